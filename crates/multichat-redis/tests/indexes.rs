//! The index writes of an append: skipped when the append lands in the same millisecond as the
//! previous write (nothing the indexes hold changed), done when `updated_at` or `expires_at`
//! moved. Checked by reading the sorted sets of a server of its own.

use std::sync::Arc;
use std::time::Duration;

use multichat_core::{
    Clock, Expiry, ManualClock, MessageStore, NewMessage, NewSession, SessionId, SessionStore,
};
use multichat_redis::{RedisConfig, RedisStore};
use multichat_testkit::RedisServer;

/// The score of `member` in `key`.
async fn score(conn: &mut redis::aio::MultiplexedConnection, key: &str) -> Option<i64> {
    redis::cmd("ZSCORE")
        .arg(key)
        .arg("s")
        .query_async(conn)
        .await
        .expect("zscore")
}

#[tokio::test]
async fn appends_keep_every_index_at_the_session_s_times() {
    let Some(server) = RedisServer::start() else {
        return;
    };
    let clock = ManualClock::new();
    let config = RedisConfig::default().clock(Arc::new(clock.clone()));
    let store = RedisStore::connect(&server.url(), config)
        .await
        .expect("connect");
    let client = redis::Client::open(server.url()).expect("client");
    let mut conn = client
        .get_multiplexed_async_connection()
        .await
        .expect("conn");
    let id = SessionId::new("s").expect("id");
    let new = NewSession::new(id.clone())
        .participant("ann")
        .expiry(Expiry::idle(Duration::from_secs(60)));
    store.create_session(new).await.expect("create");
    let append = || store.append(&id, vec![NewMessage::user("hi")], None);
    for step in [0, 0, 5, 0, 1_000] {
        clock.advance(Duration::from_millis(step));
        append().await.expect("append");
        let now = clock.now().0;
        assert_eq!(score(&mut conn, "mc:idx:updated").await, Some(-now));
        assert_eq!(score(&mut conn, "mc:idx:p:ann").await, Some(-now));
        assert_eq!(score(&mut conn, "mc:idx:expiry").await, Some(now + 60_000));
    }
    let session = store.get_session(&id).await.expect("get").expect("live");
    assert_eq!((session.last_seq, session.version), (5, 6));
}
