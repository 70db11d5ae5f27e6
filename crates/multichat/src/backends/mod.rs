//! Opening each backend from its URL, with the options it takes. A backend whose feature is off
//! is an error saying which feature to turn on.

#[cfg(feature = "json")]
mod json;
#[cfg(feature = "redis")]
mod redis;
#[cfg(feature = "sqlite")]
mod sqlite;

use std::sync::Arc;

use multichat_core::{Error, RestoreStore, Result};

use crate::url::{Scheme, StoreUrl};

/// A store opened from a URL, with what the backend reports about it beside the store itself.
pub struct Opened {
    /// The store.
    pub store: Arc<dyn RestoreStore>,
    /// A Redis server's `maxmemory-policy` when it may evict sessions without any error (see
    /// `docs/redis-format.md`); `None` for every other store.
    pub evicting_policy: Option<String>,
}

impl From<Arc<dyn RestoreStore>> for Opened {
    /// A store with nothing to report beside it.
    fn from(store: Arc<dyn RestoreStore>) -> Self {
        Self {
            store,
            evicting_policy: None,
        }
    }
}

/// Opens the backend `url` names.
pub async fn open(url: StoreUrl) -> Result<Opened> {
    match url.scheme {
        Scheme::Sqlite => sqlite(url).await,
        Scheme::Json => json(url).await,
        Scheme::Redis => redis(url).await,
        Scheme::Memory => Err(Error::invalid(
            "store URL",
            "memory: is not a store to import or migrate into: use multichat::open",
        )),
    }
}

#[cfg(feature = "sqlite")]
async fn sqlite(url: StoreUrl) -> Result<Opened> {
    sqlite::open(url).await.map(Opened::from)
}

#[cfg(feature = "json")]
async fn json(url: StoreUrl) -> Result<Opened> {
    json::open(url).await.map(Opened::from)
}

#[cfg(feature = "redis")]
async fn redis(url: StoreUrl) -> Result<Opened> {
    redis::open(url).await
}

#[cfg(not(feature = "sqlite"))]
async fn sqlite(url: StoreUrl) -> Result<Opened> {
    Err(missing(&url, "sqlite"))
}

#[cfg(not(feature = "json"))]
async fn json(url: StoreUrl) -> Result<Opened> {
    Err(missing(&url, "json"))
}

#[cfg(not(feature = "redis"))]
async fn redis(url: StoreUrl) -> Result<Opened> {
    Err(missing(&url, "redis"))
}

/// The error for a URL whose backend was not compiled in.
#[cfg(not(all(feature = "sqlite", feature = "json", feature = "redis")))]
fn missing(url: &StoreUrl, feature: &str) -> Error {
    let reason = format!("{url}: this build has no `{feature}` feature of the multichat crate");
    Error::invalid("store URL", reason)
}
