//! Opening a store from its URL: `sqlite:PATH`, `json:DIR`, `redis://…`, `rediss://…`,
//! `redis+cluster://…` through `multichat::open_restore`, optionally behind a cache (`--cache URL`,
//! a hybrid store).

use std::path::{Path, PathBuf};
use std::sync::Arc;

use multichat::hybrid::{HybridConfig, HybridStore};
use multichat_core::{ChatStore, RestoreStore, Result};

/// What `stats` shows about a store beside its counts.
#[derive(Debug, Default)]
pub struct StoreFacts {
    /// A Redis server's `maxmemory-policy`, when it may evict sessions.
    pub eviction: Option<String>,
    /// The store's URL, as given.
    pub url: String,
}

/// Opens the store at `url`.
pub async fn open(url: &str) -> Result<Arc<dyn RestoreStore>> {
    Ok(open_noting(url).await?.0)
}

/// Opens the store at `url` (a leading `~/` of its path expanded); warns (on stderr) about a
/// Redis server that may evict sessions and returns its policy.
async fn open_noting(url: &str) -> Result<(Arc<dyn RestoreStore>, Option<String>)> {
    let opened = multichat::open_restore(&expand_home(url)).await?;
    if let Some(policy) = &opened.evicting_policy {
        eprintln!(
            "warning: this Redis server's maxmemory-policy is {policy}: it may evict sessions \
             without any error (see docs/redis-format.md)"
        );
    }
    Ok((opened.store, opened.evicting_policy))
}

/// `sqlite:~/x` and `json:~/x` with `~` replaced by `$HOME` (the shell does not expand it after
/// the scheme); every other URL as it is.
pub fn expand_home(url: &str) -> String {
    let home = std::env::var("HOME").unwrap_or_default();
    for scheme in ["sqlite:", "json:"] {
        let rest = url.strip_prefix(scheme).and_then(|r| r.strip_prefix("~/"));
        if let Some(rest) = rest.filter(|_| !home.is_empty()) {
            return format!("{scheme}{home}/{rest}");
        }
    }
    url.to_owned()
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
    let Some(cache) = cache else {
        return Ok((
            durable,
            StoreFacts {
                eviction,
                url: url.to_owned(),
            },
        ));
    };
    let (fast, cache_eviction) = open_noting(cache).await?;
    let fast: Arc<dyn ChatStore> = fast;
    let hybrid = HybridStore::new(fast, durable, HybridConfig::default());
    let eviction = eviction.or(cache_eviction.map(|p| format!("{p} (cache)")));
    Ok((
        Arc::new(hybrid),
        StoreFacts {
            eviction,
            url: url.to_owned(),
        },
    ))
}

impl StoreFacts {
    /// The bytes the store occupies on disk, where the backend can tell (a file or directory).
    /// Computed when asked (only `stats` asks): a JSON store of 100,000 sessions has 200,000
    /// files to measure, which took 0.4 s of every command's 2.3 s.
    pub fn bytes(&self) -> Option<u64> {
        disk_bytes(&self.url)
    }
}

/// The bytes a store occupies on disk, where the backend can tell (a file or directory).
fn disk_bytes(url: &str) -> Option<u64> {
    let url = expand_home(url);
    let url = url.split('?').next().unwrap_or_default();
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
