//! Opening a store from its URL: `sqlite:PATH`, `json:DIR`, `redis://…`, `rediss://…`,
//! `redis+cluster://…`, optionally behind a cache (`--cache URL`, a hybrid store).

use std::path::{Path, PathBuf};
use std::sync::Arc;

use multichat_core::{ChatStore, Error, RestoreStore, Result};
use multichat_hybrid::{HybridConfig, HybridStore};
use multichat_json::{JsonConfig, JsonStore};
use multichat_redis::{RedisConfig, RedisStore, redact};
use multichat_sqlite::{SqliteConfig, SqliteStore};

/// Opens the store at `url`.
pub async fn open(url: &str) -> Result<Arc<dyn RestoreStore>> {
    if let Some(path) = url.strip_prefix("sqlite:") {
        return Ok(Arc::new(
            SqliteStore::open(path, SqliteConfig::default()).await?,
        ));
    }
    if let Some(dir) = url.strip_prefix("json:") {
        return Ok(Arc::new(JsonStore::open(JsonConfig::new(dir)).await?));
    }
    if ["redis://", "rediss://", "redis+cluster://"]
        .iter()
        .any(|p| url.starts_with(p))
    {
        let store = RedisStore::connect(url, RedisConfig::default()).await?;
        if let Some(policy) = store
            .eviction_policy()
            .filter(|p| multichat_redis::evicts(p))
        {
            eprintln!(
                "warning: this Redis server's maxmemory-policy is {policy}: it may evict sessions \
                 without any error (see docs/redis-format.md)"
            );
        }
        return Ok(Arc::new(store));
    }
    let reason = format!(
        "{}: expected sqlite:PATH, json:DIR, redis://…, rediss://… or redis+cluster://…",
        redact(url)
    );
    Err(Error::invalid("store URL", reason))
}

/// Opens `url`, behind `cache` if one is given.
pub async fn open_with_cache(url: &str, cache: Option<&str>) -> Result<Arc<dyn ChatStore>> {
    let durable = open(url).await?;
    let Some(cache) = cache else {
        return Ok(durable);
    };
    let fast: Arc<dyn ChatStore> = open(cache).await?;
    Ok(Arc::new(HybridStore::new(
        fast,
        durable,
        HybridConfig::default(),
    )))
}

/// The bytes a store occupies on disk, where the backend can tell (a file or directory).
pub fn disk_bytes(url: &str) -> Option<u64> {
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
