//! Watches on SQLite: this store's own appends wake a waiting watch at once (with a poll of an
//! hour, a missed wake-up fails the 5 s bound), and a second store on the same file — what
//! another process is: its own connections, its own wake-ups — sees them by its poll.

use std::sync::Arc;
use std::time::Duration;

use futures_util::StreamExt;
use multichat_core::{
    ChatStore, Clock, ErrorKind, Expiry, ManualClock, MessageStore, NewMessage, NewSession,
    SessionId, SessionStore, Timestamp, WatchConfig,
};
use multichat_sqlite::{SqliteConfig, SqliteStore};
use multichat_testkit::cases::watch::{next_message, own_append_wakes_a_waiting_watch};

fn polling(poll: Duration) -> SqliteConfig {
    SqliteConfig::default().watch(WatchConfig {
        poll,
        ..WatchConfig::default()
    })
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn own_appends_wake_a_watch_and_another_stores_are_polled() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("watch.db");
    let hour = Duration::from_secs(3600);
    let store = Arc::new(SqliteStore::open(&path, polling(hour)).await.expect("open"));
    let id = SessionId::new("w").expect("id");
    store
        .create_session(NewSession::new(id.clone()))
        .await
        .expect("create");
    let shared: Arc<dyn ChatStore> = Arc::clone(&store) as _;
    own_append_wakes_a_waiting_watch(&shared, &id).await;
    let other = SqliteStore::open(&path, polling(Duration::from_millis(10)));
    let other = Arc::new(other.await.expect("open a second store"));
    let mut polled = Arc::clone(&other).watch(id.clone(), 1);
    store
        .append(&id, vec![NewMessage::user("seen by the other")], None)
        .await
        .expect("append");
    assert_eq!(next_message(&mut polled).await.content, "seen by the other");
}

/// Lets `stream` read, find nothing and wait (it keeps its place when this `next` is given up),
/// so what follows happens while it waits, not before its next read.
async fn waiting(stream: &mut multichat_core::MessageStream) {
    let early = tokio::time::timeout(Duration::from_millis(200), stream.next()).await;
    assert!(early.is_err(), "nothing to deliver yet: {early:?}");
}

/// The error `stream` ends with, within 10 s.
async fn ending(stream: &mut multichat_core::MessageStream) -> ErrorKind {
    let next = tokio::time::timeout(Duration::from_secs(10), stream.next()).await;
    match next.expect("the watch ends within 10 s") {
        Some(Err(e)) => e.kind(),
        other => panic!("expected an error, got {other:?}"),
    }
}

/// Another store's delete, and an expiry nobody wrote, end a watch through the watching store's
/// change detector: the watch's own recheck is an hour, so without the detector neither would
/// be seen within the 10 s bound.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn another_stores_delete_and_an_expiry_end_a_watch_through_the_detector() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("watch.db");
    let clock = ManualClock::new();
    let watch = WatchConfig {
        poll: Duration::from_millis(10),
        recheck: Duration::from_secs(3600),
        ..WatchConfig::default()
    };
    let config = SqliteConfig::default()
        .watch(watch)
        .clock(Arc::new(clock.clone()));
    let watching = Arc::new(SqliteStore::open(&path, config).await.expect("open"));
    let other = SqliteStore::open(&path, SqliteConfig::default()).await;
    let other = other.expect("a second store");
    let (deleted, expiring) = (
        SessionId::new("d").expect("id"),
        SessionId::new("e").expect("id"),
    );
    let deadline = Timestamp(clock.now().0 + 60_000);
    other
        .create_session(NewSession::new(deleted.clone()))
        .await
        .expect("create");
    let new = NewSession::new(expiring.clone()).expiry(Expiry::At(deadline));
    other.create_session(new).await.expect("create");
    let mut gone = Arc::clone(&watching).watch(deleted.clone(), 0);
    let mut expired = Arc::clone(&watching).watch(expiring, 0);
    other
        .append(&deleted, vec![NewMessage::user("one")], None)
        .await
        .expect("append");
    assert_eq!(next_message(&mut gone).await.content, "one");
    waiting(&mut gone).await;
    other.delete_session(&deleted).await.expect("delete");
    assert_eq!(ending(&mut gone).await, ErrorKind::NotFound);
    waiting(&mut expired).await;
    clock.advance(Duration::from_secs(120));
    assert_eq!(ending(&mut expired).await, ErrorKind::NotFound);
}
