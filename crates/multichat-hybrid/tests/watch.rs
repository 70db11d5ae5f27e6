//! A watch through the hybrid is its durable store's own: it has the durable store's wake-ups
//! (it delivers what is appended to the durable store directly, as another process would), and
//! it holds the durable store, not the hybrid, so the hybrid — and the cache it holds — goes when
//! the application drops it while the watch goes on.

use std::sync::Arc;
use std::time::Duration;

use futures_util::StreamExt;
use multichat_core::{
    MemoryConfig, MemoryStore, MessageStore, NewMessage, NewSession, SessionId, SessionStore,
    WatchConfig,
};
use multichat_hybrid::{HybridConfig, HybridStore};
use multichat_testkit::cases::watch::next_message;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_watch_through_the_hybrid_is_the_durable_stores_own() {
    let hour = WatchConfig {
        poll: Duration::from_secs(3600),
        ..WatchConfig::default()
    };
    let durable = Arc::new(MemoryStore::with_config(
        MemoryConfig::default().watch(hour),
    ));
    let fast = Arc::new(MemoryStore::new());
    let hybrid = HybridStore::new(
        Arc::clone(&fast),
        Arc::clone(&durable),
        HybridConfig::default(),
    );
    let hybrid = Arc::new(hybrid);
    let id = SessionId::new("w").expect("id");
    hybrid
        .create_session(NewSession::new(id.clone()))
        .await
        .expect("create");
    hybrid
        .append(&id, vec![NewMessage::user("through the hybrid")], None)
        .await
        .expect("append");
    let mut watch = Arc::clone(&hybrid).watch(id.clone(), 0);
    assert_eq!(next_message(&mut watch).await.content, "through the hybrid");
    assert_eq!(
        Arc::strong_count(&durable),
        3,
        "the watch holds the durable store"
    );
    drop(hybrid);
    assert_eq!(
        Arc::strong_count(&fast),
        1,
        "the hybrid and its cache are gone"
    );
    let early = tokio::time::timeout(Duration::from_millis(200), watch.next()).await;
    assert!(early.is_err(), "nothing to deliver yet");
    durable
        .append(&id, vec![NewMessage::user("to the durable store")], None)
        .await
        .expect("append");
    // The durable store's own wake-up (its poll is an hour): delivered within the 10 s bound.
    assert_eq!(
        next_message(&mut watch).await.content,
        "to the durable store"
    );
    drop(watch);
    assert_eq!(Arc::strong_count(&durable), 1, "released with the watch");
}
