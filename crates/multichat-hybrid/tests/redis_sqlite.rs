//! `HybridStore<RedisStore, SqliteStore>` against the conformance suite and the property test.
//! One Redis server for the binary; each test has its own key prefix and SQLite file.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, OnceLock};

use multichat_hybrid::{HybridConfig, HybridStore};
use multichat_redis::{RedisConfig, RedisStore};
use multichat_sqlite::{SqliteConfig, SqliteStore};
use multichat_testkit::{Fixture, ManualClock, RedisServer};

fn server() -> Option<&'static RedisServer> {
    static SERVER: OnceLock<Option<RedisServer>> = OnceLock::new();
    SERVER.get_or_init(RedisServer::start).as_ref()
}

async fn make(clock: ManualClock) -> Fixture {
    static NEXT: AtomicUsize = AtomicUsize::new(0);
    let dir = tempfile::tempdir().expect("temp dir");
    let durable = SqliteStore::open(
        dir.path().join("h.db"),
        SqliteConfig::default().clock(Arc::new(clock.clone())),
    )
    .await
    .expect("open sqlite");
    let Some(server) = server() else {
        return Fixture::skipped(clock);
    };
    let prefix = format!("h{}", NEXT.fetch_add(1, Ordering::SeqCst));
    let fast = RedisStore::connect(&server.url(), RedisConfig::default().prefix(prefix))
        .await
        .expect("connect");
    let config = HybridConfig::default()
        .window(8)
        .clock(Arc::new(clock.clone()));
    Fixture::with_guard(
        Arc::new(HybridStore::new(fast, durable, config)),
        clock,
        Box::new(dir),
    )
}

multichat_testkit::conformance_tests!(make);

#[test]
fn hybrid_redis_sqlite_matches_the_model() {
    multichat_testkit::model::check_against_model(make, 16);
}
