//! `HybridStore<RedisStore, PostgresStore>` — the hybrid's real use, a fast store in front of a
//! remote durable one — against the conformance suite and the property test. One Redis and one
//! PostgreSQL server for the binary; each test has its own key prefix and schema.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, OnceLock};

use multichat_hybrid::{HybridConfig, HybridStore};
use multichat_postgres::{PostgresConfig, PostgresStore};
use multichat_redis::{RedisConfig, RedisStore};
use multichat_testkit::{Fixture, ManualClock, PostgresServer, RedisServer};

fn servers() -> Option<&'static (RedisServer, PostgresServer)> {
    static SERVERS: OnceLock<Option<(RedisServer, PostgresServer)>> = OnceLock::new();
    SERVERS
        .get_or_init(|| Some((RedisServer::start()?, PostgresServer::start()?)))
        .as_ref()
}

async fn make(clock: ManualClock) -> Fixture {
    static NEXT: AtomicUsize = AtomicUsize::new(0);
    let Some((redis, postgres)) = servers() else {
        return Fixture::skipped(clock);
    };
    let n = NEXT.fetch_add(1, Ordering::SeqCst);
    let config = PostgresConfig::default()
        .schema(format!("h{n}"))
        .pool_size(4)
        .clock(Arc::new(clock.clone()));
    let durable = PostgresStore::connect(&postgres.url(), config)
        .await
        .expect("connect postgres");
    let fast = RedisStore::connect(&redis.url(), RedisConfig::default().prefix(format!("h{n}")))
        .await
        .expect("connect redis");
    let config = HybridConfig::default()
        .window(8)
        .clock(Arc::new(clock.clone()));
    Fixture::new(Arc::new(HybridStore::new(fast, durable, config)), clock)
}

multichat_testkit::conformance_tests!(make);

#[test]
fn hybrid_redis_postgres_matches_the_model() {
    multichat_testkit::model::check_against_model(make, 16);
}
