//! `sqlite:PATH` and `sqlite::memory:`.

use std::sync::Arc;

use multichat_core::{Error, RestoreStore, Result};
use multichat_sqlite::{SqliteConfig, SqliteStore, Synchronous};

use crate::url::StoreUrl;

/// The options of a SQLite URL.
pub const OPTIONS: &[&str] = &["synchronous", "busy_timeout_ms", "readers"];

/// Opens the SQLite store `url` names.
pub async fn open(mut url: StoreUrl) -> Result<Arc<dyn RestoreStore>> {
    let config = config(&mut url)?;
    let location = url.location.clone();
    let path = url.path().map(ToOwned::to_owned);
    url.finish(OPTIONS)?;
    if location == ":memory:" {
        return Ok(Arc::new(SqliteStore::open_in_memory(config)?));
    }
    Ok(Arc::new(SqliteStore::open(path?, config).await?))
}

/// The settings the options of `url` give (taking them).
fn config(url: &mut StoreUrl) -> Result<SqliteConfig> {
    let mut config = SqliteConfig::default();
    if let Some(mode) = url.take::<String>("synchronous", "normal or full")? {
        config = config.synchronous(synchronous(&mode)?);
    }
    if let Some(timeout) = url.take_ms("busy_timeout_ms")? {
        config = config.busy_timeout(timeout);
    }
    if let Some(readers) = url.take("readers", "a number of reader connections")? {
        config = config.readers(readers);
    }
    Ok(config)
}

fn synchronous(mode: &str) -> Result<Synchronous> {
    match mode.to_ascii_lowercase().as_str() {
        "normal" => Ok(Synchronous::Normal),
        "full" => Ok(Synchronous::Full),
        _ => Err(Error::invalid(
            "URL option synchronous",
            format!("`{mode}` is not normal or full"),
        )),
    }
}
