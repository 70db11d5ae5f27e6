//! The eviction policy is read at connect and an evicting one is shown.

use multichat_redis::{RedisConfig, RedisStore, evicts};
use multichat_testkit::RedisServer;

#[tokio::test]
async fn the_eviction_policy_is_read_at_connect() {
    let Some(plain) = RedisServer::start() else {
        return;
    };
    let store = RedisStore::connect(&plain.url(), RedisConfig::default())
        .await
        .expect("connect");
    assert_eq!(store.eviction_policy(), Some("noeviction"));
    let evicting = RedisServer::start_with(None, &["--maxmemory-policy", "allkeys-lru"])
        .expect("a second server");
    let store = RedisStore::connect(&evicting.url(), RedisConfig::default())
        .await
        .expect("connect");
    assert_eq!(store.eviction_policy(), Some("allkeys-lru"));
    assert!(evicts("allkeys-lru") && evicts("volatile-ttl"));
    assert!(!evicts("noeviction"));
}
