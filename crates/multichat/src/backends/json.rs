//! `json:DIR`.

use std::sync::Arc;

use multichat_core::{Error, RestoreStore, Result};
use multichat_json::{Durability, JsonConfig, JsonStore};

use crate::url::StoreUrl;

/// The options of a JSON URL.
pub const OPTIONS: &[&str] = &["durability", "lock_timeout_ms"];

/// Opens the JSON store `url` names.
pub async fn open(mut url: StoreUrl) -> Result<Arc<dyn RestoreStore>> {
    let mut config = JsonConfig::new(url.path()?);
    if let Some(mode) = url.take::<String>("durability", "fsync or flush")? {
        config = config.durability(durability(&mode)?);
    }
    if let Some(timeout) = url.take_ms("lock_timeout_ms")? {
        config = config.lock_timeout(timeout);
    }
    url.finish(OPTIONS)?;
    Ok(Arc::new(JsonStore::open(config).await?))
}

fn durability(mode: &str) -> Result<Durability> {
    match mode.to_ascii_lowercase().as_str() {
        "fsync" => Ok(Durability::Fsync),
        "flush" => Ok(Durability::Flush),
        _ => Err(Error::invalid(
            "URL option durability",
            format!("`{mode}` is not fsync or flush"),
        )),
    }
}
