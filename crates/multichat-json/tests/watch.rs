//! Watches on a JSON store: its own appends wake a waiting watch at once (with a poll of an
//! hour, a missed wake-up fails the 5 s bound). One process at a time holds a JSON store, so
//! there is no other process's write to poll for.

use std::sync::Arc;
use std::time::Duration;

use futures_util::StreamExt;
use multichat_core::{MessageStore, NewMessage, NewSession, SessionId, SessionStore, WatchConfig};
use multichat_json::{JsonConfig, JsonStore};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn own_appends_wake_a_waiting_watch() {
    let dir = tempfile::tempdir().expect("temp dir");
    let hour = WatchConfig {
        poll: Duration::from_secs(3600),
        ..WatchConfig::default()
    };
    let store = JsonStore::open(JsonConfig::new(dir.path()).watch(hour)).await;
    let store = Arc::new(store.expect("open"));
    let id = SessionId::new("w").expect("id");
    store
        .create_session(NewSession::new(id.clone()))
        .await
        .expect("create");
    let mut watch = Arc::clone(&store).watch(id.clone(), 0);
    // Nothing yet: the watch reads, finds nothing and waits (the stream keeps its place when
    // this `next` is given up).
    let early = tokio::time::timeout(Duration::from_millis(200), watch.next()).await;
    assert!(early.is_err(), "nothing to deliver yet");
    store
        .append(&id, vec![NewMessage::user("now")], None)
        .await
        .expect("append");
    let next = tokio::time::timeout(Duration::from_secs(5), watch.next()).await;
    let message = next
        .expect("woken, not left to the hour's poll")
        .expect("an item");
    assert_eq!(message.expect("a message").content, "now");
}
