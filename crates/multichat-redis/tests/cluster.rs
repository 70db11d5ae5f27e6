//! `RedisStore` on a 3-master Redis Cluster of its own against the conformance suite and the
//! property test. The tests of this binary share one cluster; each test gets its own key prefix.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, OnceLock};

use multichat_redis::{RedisConfig, RedisStore};
use multichat_testkit::{Fixture, ManualClock, RedisCluster};

fn cluster() -> Option<&'static RedisCluster> {
    static CLUSTER: OnceLock<Option<RedisCluster>> = OnceLock::new();
    CLUSTER.get_or_init(RedisCluster::start).as_ref()
}

async fn make(clock: ManualClock) -> Fixture {
    static NEXT: AtomicUsize = AtomicUsize::new(0);
    let Some(cluster) = cluster() else {
        return Fixture::skipped(clock);
    };
    let hosts: Vec<String> = cluster
        .urls()
        .iter()
        .map(|u| {
            u.trim_start_matches("redis://")
                .trim_end_matches('/')
                .to_owned()
        })
        .collect();
    let url = format!("redis+cluster://{}", hosts.join(","));
    let prefix = format!("c{}", NEXT.fetch_add(1, Ordering::SeqCst));
    let config = RedisConfig::default()
        .prefix(prefix)
        .clock(Arc::new(clock.clone()));
    let store = RedisStore::connect(&url, config)
        .await
        .expect("connect to the cluster");
    Fixture::new(Arc::new(store), clock)
}

multichat_testkit::conformance_tests!(make);

#[test]
fn redis_cluster_store_matches_the_model() {
    multichat_testkit::model::check_against_model(make, 16);
}
