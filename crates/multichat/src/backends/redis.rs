//! `redis://…`, `rediss://…` and `redis+cluster://…`.

use std::sync::Arc;

use multichat_core::Result;
use multichat_redis::{RedisConfig, RedisStore};

use super::Opened;
use crate::url::StoreUrl;

/// The options of a Redis URL.
pub const OPTIONS: &[&str] = &[
    "prefix",
    "connect_timeout_ms",
    "response_timeout_ms",
    "auto_pipeline",
    "confirm_replicas",
    "confirm_timeout_ms",
];

/// Connects to the Redis server or cluster `url` names.
pub async fn open(mut url: StoreUrl) -> Result<Opened> {
    let config = config(&mut url)?;
    let location = url.location.clone();
    url.finish(OPTIONS)?;
    let store = RedisStore::connect(&location, config).await?;
    let evicting_policy = store
        .eviction_policy()
        .filter(|p| multichat_redis::evicts(p))
        .map(str::to_owned);
    Ok(Opened {
        store: Arc::new(store),
        evicting_policy,
    })
}

/// The settings the options of `url` give (taking them).
fn config(url: &mut StoreUrl) -> Result<RedisConfig> {
    let mut config = timeouts(url)?;
    if let Some(prefix) = url.take::<String>("prefix", "a key prefix")? {
        config = config.prefix(prefix);
    }
    if let Some(on) = url.take("auto_pipeline", "true or false")? {
        config = config.auto_pipeline(on);
    }
    // Taken even alone, so it is never reported as unknown; it matters with confirm_replicas.
    if let Some(wait) = url.take_ms("confirm_timeout_ms")? {
        config.confirm_timeout = wait;
    }
    if let Some(n) = url.take("confirm_replicas", "a number of replicas")? {
        let wait = config.confirm_timeout;
        config = config.confirm_replicas(n, wait);
    }
    Ok(config)
}

/// The default settings with the timeouts `url` gives.
fn timeouts(url: &mut StoreUrl) -> Result<RedisConfig> {
    let mut config = RedisConfig::default();
    if let Some(timeout) = url.take_ms("connect_timeout_ms")? {
        config = config.connect_timeout(timeout);
    }
    if let Some(timeout) = url.take_ms("response_timeout_ms")? {
        config = config.response_timeout(timeout);
    }
    Ok(config)
}
