//! Watches on SQLite: this store's own appends wake a waiting watch at once (with a poll of an
//! hour, a missed wake-up fails the 5 s bound), and a second store on the same file — what
//! another process is: its own connections, its own wake-ups — sees them by its poll.

use std::sync::Arc;
use std::time::Duration;

use multichat_core::{
    ChatStore, MessageStore, NewMessage, NewSession, SessionId, SessionStore, WatchConfig,
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
