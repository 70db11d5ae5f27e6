//! `RedisStore` on a standalone server of its own against the conformance suite and the property
//! test. The tests of this binary share one server; each test gets its own key prefix.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, OnceLock};

use multichat_redis::{RedisConfig, RedisStore};
use multichat_testkit::{Fixture, ManualClock, RedisServer};

fn server() -> Option<&'static RedisServer> {
    static SERVER: OnceLock<Option<RedisServer>> = OnceLock::new();
    SERVER.get_or_init(RedisServer::start).as_ref()
}

async fn make(clock: ManualClock) -> Fixture {
    static NEXT: AtomicUsize = AtomicUsize::new(0);
    let Some(server) = server() else {
        return Fixture::skipped(clock);
    };
    let prefix = format!("t{}", NEXT.fetch_add(1, Ordering::SeqCst));
    let config = RedisConfig::default()
        .prefix(prefix)
        .clock(Arc::new(clock.clone()));
    let store = RedisStore::connect(&server.url(), config)
        .await
        .expect("connect");
    Fixture::new(Arc::new(store), clock)
}

multichat_testkit::conformance_tests!(make);

#[test]
fn redis_store_matches_the_model() {
    multichat_testkit::model::check_against_model(make, 24);
}
