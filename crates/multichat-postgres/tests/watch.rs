//! Watches on PostgreSQL, woken by `LISTEN`/`NOTIFY`: a watch in one store (with a poll of an
//! hour, so only a notification can wake it in time) delivers what another store — what another
//! process is: its own pool, its own listening connection — appends; and through a server killed
//! and restarted, it delivers every message once, in order, none skipped (its listening
//! connection comes back and wakes it); the other store's delete ends it.

use std::sync::Arc;
use std::time::Duration;

use futures_util::StreamExt;
use multichat_core::{
    MessageQuery, MessageStore, NewMessage, NewSession, SessionId, SessionStore, WatchConfig,
};
use multichat_postgres::{PostgresConfig, PostgresStore};
use multichat_testkit::PostgresServer;
use multichat_testkit::cases::watch::next_message;
use multichat_testkit::recovering::append_eventually;

fn config(poll: Duration) -> PostgresConfig {
    PostgresConfig::default()
        .schema("watch")
        .connect_timeout(Duration::from_secs(2))
        .statement_timeout(Duration::from_secs(2))
        .watch(WatchConfig {
            poll,
            ..WatchConfig::default()
        })
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn another_stores_appends_wake_a_watch_even_through_a_server_restart() {
    let Some(mut server) = PostgresServer::start() else {
        return;
    };
    let hour = Duration::from_secs(3600);
    let watcher = Arc::new(
        PostgresStore::connect(&server.url(), config(hour))
            .await
            .expect("connect"),
    );
    let url = server.url();
    let writer = PostgresStore::connect(&url, config(Duration::from_millis(25)));
    let writer = writer.await.expect("connect");
    let id = SessionId::new("w").expect("id");
    writer
        .create_session(NewSession::new(id.clone()))
        .await
        .expect("create");
    let mut watch = Arc::clone(&watcher).watch(id.clone(), 0);
    let early = tokio::time::timeout(Duration::from_millis(300), watch.next()).await;
    assert!(early.is_err(), "nothing to deliver yet");
    let mut delivered = Vec::new();
    for text in ["a", "b", "c"] {
        writer
            .append(&id, vec![NewMessage::user(text)], None)
            .await
            .expect("append");
        delivered.push(seq_and_content(next_message(&mut watch).await));
    }
    // Too large for a notification's payload: sent as the bare id, the watch reads it.
    let large = "x".repeat(9_000);
    writer
        .append(&id, vec![NewMessage::user(large.clone())], None)
        .await
        .expect("append");
    let read_back = next_message(&mut watch).await;
    assert_eq!(read_back.content, large);
    delivered.push(seq_and_content(read_back));
    deleting_ends_a_watch(&writer, &watcher).await;
    server.kill();
    server.restart();
    for text in ["d", "e", "f"] {
        append_eventually(&writer, &id, text).await;
    }
    for _ in 0..3 {
        delivered.push(seq_and_content(next_message(&mut watch).await));
    }
    let stored: Vec<(u64, String)> = writer
        .read(&id, MessageQuery::last(100))
        .await
        .expect("read")
        .into_iter()
        .map(|m| (m.seq, m.content))
        .collect();
    assert_eq!(delivered, stored, "every stored message, once, in order");
    assert_eq!(stored.len(), 7);
}

/// A message's seq and content, to compare.
fn seq_and_content(m: multichat_core::Message) -> (u64, String) {
    (m.seq, m.content)
}

/// A watch of `watcher` waits; `writer`'s delete notifies it, and it ends with `NotFound`.
async fn deleting_ends_a_watch(writer: &PostgresStore, watcher: &Arc<PostgresStore>) {
    let id = SessionId::new("gone").expect("id");
    writer
        .create_session(NewSession::new(id.clone()))
        .await
        .expect("create");
    let mut watch = Arc::clone(watcher).watch(id.clone(), 0);
    let early = tokio::time::timeout(Duration::from_millis(300), watch.next()).await;
    assert!(early.is_err(), "nothing to deliver yet");
    writer.delete_session(&id).await.expect("delete");
    let end = tokio::time::timeout(Duration::from_secs(10), watch.next()).await;
    let end = end.expect("the delete ends the watch within 10 s");
    assert!(
        matches!(end, Some(Err(multichat_core::Error::NotFound { .. }))),
        "{end:?}"
    );
}
