//! The server's eviction policy. Under `maxmemory` with an evicting policy (`allkeys-*`, or
//! `volatile-*` for sessions with an expiry, whose keys carry a TTL) Redis drops keys without any
//! error to anyone: a session then vanishes. It is read once at connect, warned about through
//! `tracing`, and offered by [`RedisStore::eviction_policy`] (the CLI prints it).

use crate::store::RedisStore;

/// The server's `maxmemory-policy`, or `None` where `CONFIG GET` is not allowed.
pub(crate) async fn read(store: &RedisStore) -> Option<String> {
    let mut cmd = redis::cmd("CONFIG");
    cmd.arg("GET").arg("maxmemory-policy");
    let reply: Vec<String> = store.query(cmd, "maxmemory-policy").await.ok()?;
    reply.get(1).cloned()
}

/// True when `policy` may evict keys of this store.
pub fn evicts(policy: &str) -> bool {
    policy.starts_with("allkeys-") || policy.starts_with("volatile-")
}

/// Logs a warning when `policy` may evict sessions.
pub(crate) fn warn(policy: Option<&str>) {
    if let Some(policy) = policy.filter(|p| evicts(p)) {
        tracing::warn!(
            policy,
            "the Redis server's maxmemory-policy may evict sessions without any error; \
             use noeviction for a store that must keep every session"
        );
    }
}

impl RedisStore {
    /// The server's `maxmemory-policy` as read at connect (`None` where the server does not
    /// allow `CONFIG GET`). With an evicting policy sessions can vanish; see
    /// `docs/redis-format.md`.
    pub fn eviction_policy(&self) -> Option<&str> {
        self.eviction_policy.as_deref()
    }
}
