//! The memory store wakes its watches on its own writes: with a poll of an hour, an append and a
//! delete still reach a waiting watch at once (a missed wake-up fails the 5 s bound here).

use std::sync::Arc;
use std::time::Duration;

use futures_util::StreamExt;
use multichat_core::{
    ErrorKind, MemoryConfig, MemoryStore, MessageStore, NewMessage, NewSession, SessionId,
    SessionStore, WatchConfig,
};

#[tokio::test]
async fn the_memory_stores_own_writes_wake_a_waiting_watch() {
    let hour = WatchConfig {
        poll: Duration::from_secs(3600),
        ..WatchConfig::default()
    };
    let store = Arc::new(MemoryStore::with_config(
        MemoryConfig::default().watch(hour),
    ));
    let id = SessionId::new("w").expect("id");
    store
        .create_session(NewSession::new(id.clone()))
        .await
        .expect("create");
    let mut watch = Arc::clone(&store).watch(id.clone(), 0);
    let bound = Duration::from_secs(5);
    // The watch reads first (nothing), then waits; the append comes while it waits.
    let (delivered, _) = tokio::join!(tokio::time::timeout(bound, watch.next()), async {
        tokio::task::yield_now().await;
        store.append(&id, vec![NewMessage::user("now")], None).await
    });
    let delivered = delivered.expect("woken, not left to the hour's poll");
    assert_eq!(delivered.expect("a message").expect("ok").content, "now");
    let (ended, _) = tokio::join!(tokio::time::timeout(bound, watch.next()), async {
        tokio::task::yield_now().await;
        store.delete_session(&id).await
    });
    let ended = ended.expect("woken by the delete").expect("an item");
    assert_eq!(ended.expect_err("ends").kind(), ErrorKind::NotFound);
}
