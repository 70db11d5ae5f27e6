//! Following a session (`MessageStore::watch`): catch-up, live, both racing, several watchers,
//! removals before delivery, the end on delete and expiry, and release on drop. Every wait is
//! bounded: a watch that misses a message fails here instead of hanging.

use std::sync::Arc;
use std::time::Duration;

use futures_util::StreamExt;
use multichat_core::{
    ChatStore, ErrorKind, Expiry, Message, MessageStream, NewMessage, NewSession, SessionId,
};

use super::{append_texts, create, sid};
use crate::Fixture;

/// The next message of `stream`, which must come within 10 s (a missed message fails here
/// instead of hanging). For the backends' own watch tests too.
pub async fn next_message(stream: &mut MessageStream) -> Message {
    let next = tokio::time::timeout(Duration::from_secs(10), stream.next()).await;
    let next = next.expect("a message within 10 s");
    next.expect("the stream goes on").expect("a message")
}

/// The seqs of the next `n` messages of `stream` (10 s at most each).
async fn take(stream: &mut MessageStream, n: usize) -> Vec<u64> {
    let mut seqs = Vec::with_capacity(n);
    while seqs.len() < n {
        seqs.push(next_message(stream).await.seq);
    }
    seqs
}

/// The kind of the error `stream` ends with (10 s at most), after which it ends.
async fn end(stream: &mut MessageStream) -> ErrorKind {
    let next = tokio::time::timeout(Duration::from_secs(10), stream.next()).await;
    let kind = match next.expect("the stream ended within 10 s") {
        Some(Err(e)) => e.kind(),
        other => panic!("expected the stream to end with an error, got {other:?}"),
    };
    let after = tokio::time::timeout(Duration::from_secs(10), stream.next()).await;
    assert!(matches!(after, Ok(None)), "nothing after the error");
    kind
}

/// What is stored is delivered first, in order, from after the given seq.
pub async fn watch_catches_up_from_after_seq(fx: &Fixture) {
    create(fx, "w").await;
    append_texts(fx, &sid("w"), "m", 5).await;
    let mut from_start = Arc::clone(&fx.store).watch(sid("w"), 0);
    assert_eq!(take(&mut from_start, 5).await, [1, 2, 3, 4, 5]);
    let mut after_two = Arc::clone(&fx.store).watch(sid("w"), 2);
    assert_eq!(take(&mut after_two, 3).await, [3, 4, 5]);
}

/// Messages appended after the watch began arrive, to every watcher, each once, in order — also
/// while they are appended concurrently with the watcher's catching up.
pub async fn watch_follows_appends_racing_the_subscribe(fx: &Fixture) {
    create(fx, "w").await;
    append_texts(fx, &sid("w"), "old", 3).await;
    let store = Arc::clone(&fx.store);
    let appender = tokio::spawn(async move {
        for i in 0..30 {
            let m = multichat_core::NewMessage::user(format!("new{i}"));
            store
                .append(&sid("w"), vec![m], None)
                .await
                .expect("append");
        }
    });
    let mut first = Arc::clone(&fx.store).watch(sid("w"), 0);
    let mut second = Arc::clone(&fx.store).watch(sid("w"), 0);
    let all: Vec<u64> = (1..=33).collect();
    assert_eq!(take(&mut first, 33).await, all);
    assert_eq!(take(&mut second, 33).await, all);
    appender.await.expect("appender");
    append_texts(fx, &sid("w"), "late", 1).await;
    assert_eq!(take(&mut first, 1).await, [34], "live after the catch-up");
}

/// A message popped or cleared before the watch read it is not delivered; the seqs after it are.
pub async fn watch_skips_what_was_removed_before_it_was_read(fx: &Fixture) {
    create(fx, "w").await;
    append_texts(fx, &sid("w"), "m", 3).await;
    fx.store.pop(&sid("w")).await.expect("pop");
    let mut stream = Arc::clone(&fx.store).watch(sid("w"), 0);
    assert_eq!(take(&mut stream, 2).await, [1, 2]);
    fx.store.clear(&sid("w")).await.expect("clear");
    append_texts(fx, &sid("w"), "n", 1).await;
    assert_eq!(
        take(&mut stream, 1).await,
        [4],
        "seq 3 was popped, never delivered"
    );
}

/// Deleting the watched session ends the stream with `NotFound`; so does its expiry, and a watch
/// of a session that does not exist.
pub async fn watch_ends_on_delete_and_expiry(fx: &Fixture) {
    create(fx, "gone").await;
    let mut deleted = Arc::clone(&fx.store).watch(sid("gone"), 0);
    fx.store.delete_session(&sid("gone")).await.expect("delete");
    assert_eq!(end(&mut deleted).await, ErrorKind::NotFound);
    let idle = NewSession::new(sid("idle")).expiry(Expiry::IdleMs(60_000));
    fx.store.create_session(idle).await.expect("create");
    let mut expiring = Arc::clone(&fx.store).watch(sid("idle"), 0);
    append_texts(fx, &sid("idle"), "m", 1).await;
    assert_eq!(take(&mut expiring, 1).await, [1]);
    fx.clock.advance(Duration::from_secs(61));
    assert_eq!(end(&mut expiring).await, ErrorKind::NotFound);
    let mut missing = Arc::clone(&fx.store).watch(sid("never"), 0);
    assert_eq!(end(&mut missing).await, ErrorKind::NotFound);
}

/// Dropping a watch releases what it held: the store is referenced by its owner alone again.
/// (A store's watch holds the store while it runs — except the hybrid's, which is its durable
/// store's and holds that one; the hybrid's own tests check that it is released.)
pub async fn dropping_a_watch_releases_it(fx: &Fixture) {
    create(fx, "w").await;
    let before = Arc::strong_count(&fx.store);
    let mut stream = Arc::clone(&fx.store).watch(sid("w"), 0);
    append_texts(fx, &sid("w"), "m", 1).await;
    assert_eq!(take(&mut stream, 1).await, [1]);
    drop(stream);
    assert_eq!(Arc::strong_count(&fx.store), before, "released on drop");
}

/// A store's own append wakes a watch that waits — for backends whose watches their writes wake,
/// opened with a poll far longer than this test (an hour), so that only the wake-up delivers in
/// time. `store` holds the live session `id`, without messages. Not in the conformance suite
/// (it needs that configuration); the backends' own tests call it.
pub async fn own_append_wakes_a_waiting_watch(store: &Arc<dyn ChatStore>, id: &SessionId) {
    let mut watch = Arc::clone(store).watch(id.clone(), 0);
    // Nothing yet: the watch reads, finds nothing and waits (the stream keeps its place when
    // this `next` is given up).
    let early = tokio::time::timeout(Duration::from_millis(200), watch.next()).await;
    assert!(early.is_err(), "nothing to deliver yet");
    let now = NewMessage::user("now");
    store.append(id, vec![now], None).await.expect("append");
    let next = tokio::time::timeout(Duration::from_secs(5), watch.next()).await;
    let message = next.expect("woken, not left to the poll").expect("an item");
    assert_eq!(message.expect("a message").content, "now");
}
