//! Opening a store from its URL: `sqlite:PATH`, `json:DIR`, `redis://…`, `rediss://…`,
//! `redis+cluster://…`, optionally behind a cache (`--cache URL`, a hybrid store).

use std::path::{Path, PathBuf};
use std::sync::Arc;

use multichat_core::{ChatStore, Error, RestoreStore, Result};
use multichat_hybrid::{HybridConfig, HybridStore};
use multichat_json::{JsonConfig, JsonStore};
use multichat_redis::{RedisConfig, RedisStore, redact};
use multichat_sqlite::{SqliteConfig, SqliteStore};

/// What `stats` shows about a store beside its counts.
#[derive(Debug, Default)]
pub struct StoreFacts {
    /// The bytes it occupies on disk, where the backend can tell (a file or directory).
    pub bytes: Option<u64>,
    /// A Redis server's `maxmemory-policy`, when it may evict sessions.
    pub eviction: Option<String>,
}

/// Opens the store at `url`.
pub async fn open(url: &str) -> Result<Arc<dyn RestoreStore>> {
    Ok(open_noting(url).await?.0)
}

/// Opens the store at `url`; warns (on stderr) about a Redis server that may evict sessions
/// and returns its policy.
async fn open_noting(url: &str) -> Result<(Arc<dyn RestoreStore>, Option<String>)> {
    if let Some(path) = url.strip_prefix("sqlite:") {
        let store = SqliteStore::open(path, SqliteConfig::default()).await?;
        return Ok((Arc::new(store), None));
    }
    if let Some(dir) = url.strip_prefix("json:") {
        return Ok((Arc::new(JsonStore::open(JsonConfig::new(dir)).await?), None));
    }
    if ["redis://", "rediss://", "redis+cluster://"]
        .iter()
        .any(|p| url.starts_with(p))
    {
        let store = RedisStore::connect(url, RedisConfig::default()).await?;
        let eviction = store
            .eviction_policy()
            .filter(|p| multichat_redis::evicts(p))
            .map(str::to_owned);
        if let Some(policy) = &eviction {
            eprintln!(
                "warning: this Redis server's maxmemory-policy is {policy}: it may evict sessions \
                 without any error (see docs/redis-format.md)"
            );
        }
        return Ok((Arc::new(store), eviction));
    }
    let reason = format!(
        "{}: expected sqlite:PATH, json:DIR, redis://…, rediss://… or redis+cluster://…",
        redact(url)
    );
    Err(Error::invalid("store URL", reason))
}

/// Opens `url`, behind `cache` if one is given.
pub async fn open_with_cache(url: &str, cache: Option<&str>) -> Result<Arc<dyn ChatStore>> {
    Ok(open_inspected(url, cache).await?.0)
}

/// [`open_with_cache`], with what `stats` shows about the durable store and the cache.
pub async fn open_inspected(
    url: &str,
    cache: Option<&str>,
) -> Result<(Arc<dyn ChatStore>, StoreFacts)> {
    let (durable, eviction) = open_noting(url).await?;
    let bytes = disk_bytes(url);
    let Some(cache) = cache else {
        return Ok((durable, StoreFacts { bytes, eviction }));
    };
    let (fast, cache_eviction) = open_noting(cache).await?;
    let fast: Arc<dyn ChatStore> = fast;
    let hybrid = HybridStore::new(fast, durable, HybridConfig::default());
    let eviction = eviction.or(cache_eviction.map(|p| format!("{p} (cache)")));
    Ok((Arc::new(hybrid), StoreFacts { bytes, eviction }))
}

/// The bytes a store occupies on disk, where the backend can tell (a file or directory).
fn disk_bytes(url: &str) -> Option<u64> {
    let path = url
        .strip_prefix("sqlite:")
        .map(PathBuf::from)
        .or_else(|| url.strip_prefix("json:").map(PathBuf::from))?;
    let wal = PathBuf::from(format!("{}-wal", path.display()));
    Some(
        size(&path)
            + if url.starts_with("sqlite:") {
                size(&wal)
            } else {
                0
            },
    )
}

fn size(path: &Path) -> u64 {
    let Ok(meta) = std::fs::metadata(path) else {
        return 0;
    };
    if !meta.is_dir() {
        return meta.len();
    }
    let entries = std::fs::read_dir(path).into_iter().flatten().flatten();
    entries.map(|e| size(&e.path())).sum()
}
