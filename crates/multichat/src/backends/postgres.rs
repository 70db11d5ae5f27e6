//! `postgres://…` and `postgresql://…`.

use std::sync::Arc;

use multichat_core::{RestoreStore, Result};
use multichat_postgres::{PostgresConfig, PostgresStore};

use crate::url::StoreUrl;

/// Connects to the PostgreSQL database `url` names. Its options `schema`, `pool_size` and
/// `statement_timeout_ms` are taken here; every other one is passed to `tokio-postgres`, which
/// refuses what it does not know (`sslmode`, `application_name`, … are its own).
pub async fn open(mut url: StoreUrl) -> Result<Arc<dyn RestoreStore>> {
    let mut config = PostgresConfig::default();
    if let Some(schema) = url.take::<String>("schema", "a schema name")? {
        config = config.schema(schema);
    }
    if let Some(size) = url.take("pool_size", "a number of connections")? {
        config = config.pool_size(size);
    }
    if let Some(timeout) = url.take_ms("statement_timeout_ms")? {
        config = config.statement_timeout(timeout);
    }
    let url = url.with_remaining_options();
    Ok(Arc::new(PostgresStore::connect(&url, config).await?))
}
