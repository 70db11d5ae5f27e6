//! Opening each backend from its URL, with the options it takes. A backend whose feature is off
//! is an error saying which feature to turn on.

#[cfg(feature = "json")]
mod json;
mod opened;
#[cfg(feature = "postgres")]
mod postgres;
#[cfg(feature = "redis")]
mod redis;
#[cfg(feature = "sqlite")]
mod sqlite;

pub use self::opened::Opened;

use multichat_core::{Error, Result};

use crate::url::{Scheme, StoreUrl};

/// Opens the backend `url` names.
pub async fn open(url: StoreUrl) -> Result<Opened> {
    match url.scheme {
        Scheme::Sqlite => sqlite(url).await,
        Scheme::Json => json(url).await,
        Scheme::Redis => redis(url).await,
        Scheme::Postgres => postgres(url).await,
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

#[cfg(feature = "postgres")]
async fn postgres(url: StoreUrl) -> Result<Opened> {
    postgres::open(url).await.map(Opened::from)
}

#[cfg(not(feature = "postgres"))]
async fn postgres(url: StoreUrl) -> Result<Opened> {
    Err(missing(&url, "postgres"))
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
#[cfg(not(all(
    feature = "sqlite",
    feature = "json",
    feature = "redis",
    feature = "postgres"
)))]
fn missing(url: &StoreUrl, feature: &str) -> Error {
    let reason = format!("{url}: this build has no `{feature}` feature of the multichat crate");
    Error::invalid("store URL", reason)
}
