//! `PostgresConfig`: pool size, timeouts, schema name, limits and clock of a `PostgresStore`.

use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use multichat_core::{Clock, Error, Limits, Result, SystemClock, WatchConfig};

/// Settings of a [`crate::PostgresStore`].
///
/// ```
/// use std::time::Duration;
/// use multichat_postgres::PostgresConfig;
///
/// let config = PostgresConfig::default().schema("tenant_a").pool_size(32);
/// assert_eq!(config.schema, "tenant_a");
/// ```
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct PostgresConfig {
    /// Connections in the pool (16 by default).
    pub pool_size: usize,
    /// How long connecting, or waiting for a pooled connection, may take (5 s by default).
    pub connect_timeout: Duration,
    /// The longest a statement may run on the server before it is cancelled (10 s by default):
    /// a stalled server gives an error, never a hang.
    pub statement_timeout: Duration,
    /// The PostgreSQL schema holding the tables (`multichat` by default): several applications
    /// or tenants share one database, each in its own schema. Lower-case letters, digits and
    /// `_`, starting with a letter, at most 63 bytes.
    pub schema: String,
    /// Size limits.
    pub limits: Limits,
    /// The clock; its `now` is a parameter of every statement that needs the time.
    pub clock: Arc<dyn Clock>,
    /// A PEM file of certificates to trust besides the webpki roots (a private CA, a
    /// self-signed server); needs the `tls` feature.
    pub tls_root_certificate: Option<PathBuf>,
    /// How watches read: an append or a delete by any process wakes them through
    /// `LISTEN`/`NOTIFY`, so they read on their own only every `watch.recheck`, which bounds how
    /// late an expiry is seen.
    pub watch: WatchConfig,
}

impl Default for PostgresConfig {
    fn default() -> Self {
        Self {
            pool_size: 16,
            connect_timeout: Duration::from_secs(5),
            statement_timeout: Duration::from_secs(10),
            schema: "multichat".into(),
            limits: Limits::default(),
            clock: Arc::new(SystemClock),
            tls_root_certificate: None,
            watch: WatchConfig::default(),
        }
    }
}

impl PostgresConfig {
    /// Sets the pool size (at least 1).
    pub fn pool_size(mut self, size: usize) -> Self {
        self.pool_size = size.max(1);
        self
    }

    /// Sets the connect timeout.
    pub fn connect_timeout(mut self, timeout: Duration) -> Self {
        self.connect_timeout = timeout;
        self
    }

    /// Sets the statement timeout.
    pub fn statement_timeout(mut self, timeout: Duration) -> Self {
        self.statement_timeout = timeout;
        self
    }

    /// Sets the schema name.
    pub fn schema(mut self, schema: impl Into<String>) -> Self {
        self.schema = schema.into();
        self
    }

    /// Sets the limits.
    pub fn limits(mut self, limits: Limits) -> Self {
        self.limits = limits;
        self
    }

    /// Sets the clock.
    pub fn clock(mut self, clock: Arc<dyn Clock>) -> Self {
        self.clock = clock;
        self
    }

    /// Trusts the certificates in the PEM file at `path` (needs the `tls` feature).
    pub fn tls_root_certificate(mut self, path: impl Into<PathBuf>) -> Self {
        self.tls_root_certificate = Some(path.into());
        self
    }

    /// Sets how watches read.
    pub fn watch(mut self, watch: WatchConfig) -> Self {
        self.watch = watch;
        self
    }

    /// Refuses a schema name that would need quoting (it is written into every statement).
    pub(crate) fn check(&self) -> Result<()> {
        let s = &self.schema;
        let first_ok = s.chars().next().is_some_and(|c| c.is_ascii_lowercase());
        let rest_ok = s
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_');
        if !first_ok || !rest_ok || s.len() > 63 {
            return Err(Error::invalid(
                "schema",
                "must be 1 to 63 bytes of a-z, 0-9 and _, starting with a letter",
            ));
        }
        Ok(())
    }
}
