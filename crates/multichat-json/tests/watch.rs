//! Watches on a JSON store: its own appends wake a waiting watch at once (with a poll of an
//! hour, a missed wake-up fails the 5 s bound). One process at a time holds a JSON store, so
//! there is no other process's write to poll for.

use std::sync::Arc;
use std::time::Duration;

use multichat_core::{ChatStore, NewSession, SessionId, SessionStore, WatchConfig};
use multichat_json::{JsonConfig, JsonStore};
use multichat_testkit::cases::watch::own_append_wakes_a_waiting_watch;

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
    let store: Arc<dyn ChatStore> = store;
    own_append_wakes_a_waiting_watch(&store, &id).await;
}
