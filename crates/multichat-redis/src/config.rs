//! `RedisConfig`: key prefix, timeouts, limits and clock of a `RedisStore`.

use std::sync::Arc;
use std::time::Duration;

use multichat_core::{Clock, Error, Limits, Result, SystemClock, WatchConfig};

/// Settings of a [`crate::RedisStore`].
///
/// ```
/// use std::time::Duration;
/// use multichat_redis::RedisConfig;
/// let config = RedisConfig::default().prefix("app1").response_timeout(Duration::from_millis(500));
/// assert_eq!(config.prefix, "app1");
/// ```
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct RedisConfig {
    /// Prefix of every key (`mc` by default), so several applications can share one Redis.
    pub prefix: String,
    /// How long to wait for a connection (2 s by default).
    pub connect_timeout: Duration,
    /// How long to wait for an answer (2 s by default); a dead server is `Unavailable` after it.
    pub response_timeout: Duration,
    /// Size limits.
    pub limits: Limits,
    /// The clock; expiry is checked against it on every access.
    pub clock: Arc<dyn Clock>,
    /// Whether script calls made while others are under way are sent together as one pipeline
    /// (on by default; one server only, not Cluster). Each call stays one atomic script; the
    /// pipeline shares the round trip and saves most of a call's CPU under concurrency.
    pub auto_pipeline: bool,
    /// Acknowledge an append only once this many replicas confirmed it (`WAIT`; 0, the default:
    /// as soon as the primary has it). In a Cluster the `WAIT` goes to the session's master.
    pub confirm_replicas: u32,
    /// How long an append waits for [`RedisConfig::confirm_replicas`] (100 ms by default); then
    /// it is `Error::Unconfirmed`: written on the primary, maybe applied.
    pub confirm_timeout: Duration,
    /// How watches read (set the field: `config.watch = WatchConfig { … }`). On one server every
    /// process's appends wake them (`XREAD BLOCK`) and they read on their own only every
    /// `watch.recheck` (a delete or an expiry is seen then); in a Cluster they poll every
    /// `watch.poll`.
    pub watch: WatchConfig,
}

impl Default for RedisConfig {
    fn default() -> Self {
        Self {
            prefix: "mc".into(),
            connect_timeout: Duration::from_secs(2),
            response_timeout: Duration::from_secs(2),
            limits: Limits::default(),
            clock: Arc::new(SystemClock),
            auto_pipeline: true,
            confirm_replicas: 0,
            confirm_timeout: Duration::from_millis(100),
            watch: WatchConfig::default(),
        }
    }
}

impl RedisConfig {
    /// Sets the key prefix.
    pub fn prefix(mut self, prefix: impl Into<String>) -> Self {
        self.prefix = prefix.into();
        self
    }

    /// Sets the connect timeout.
    pub fn connect_timeout(mut self, timeout: Duration) -> Self {
        self.connect_timeout = timeout;
        self
    }

    /// Sets the response timeout.
    pub fn response_timeout(mut self, timeout: Duration) -> Self {
        self.response_timeout = timeout;
        self
    }

    /// Sets the limits.
    pub fn limits(mut self, limits: Limits) -> Self {
        self.limits = limits;
        self
    }

    /// Turns auto-pipelining on or off (see [`RedisConfig::auto_pipeline`]).
    pub fn auto_pipeline(mut self, on: bool) -> Self {
        self.auto_pipeline = on;
        self
    }

    /// Sets the clock.
    pub fn clock(mut self, clock: Arc<dyn Clock>) -> Self {
        self.clock = clock;
        self
    }

    /// Acknowledges appends only once `replicas` replicas confirmed them, waiting up to
    /// `timeout` (see [`RedisConfig::confirm_replicas`]).
    pub fn confirm_replicas(mut self, replicas: u32, timeout: Duration) -> Self {
        self.confirm_replicas = replicas;
        self.confirm_timeout = timeout;
        self
    }

    /// How long one answer may take on the connection: the response timeout, plus the
    /// confirmation timeout when appends wait for replicas (a `WAIT` answers that much later).
    pub(crate) fn answer_timeout(&self) -> Duration {
        match self.confirm_replicas {
            0 => self.response_timeout,
            _ => self.response_timeout + self.confirm_timeout,
        }
    }

    /// Checks the prefix: 1 to 64 bytes, no braces (they would break the hash tags), no
    /// whitespace or control characters.
    pub(crate) fn check(&self) -> Result<()> {
        let p = &self.prefix;
        let bad = p.is_empty()
            || p.len() > 64
            || p.chars()
                .any(|c| c == '{' || c == '}' || c.is_whitespace() || c.is_control());
        if bad {
            return Err(Error::invalid(
                "prefix",
                "must be 1 to 64 bytes without braces, spaces or control characters",
            ));
        }
        Ok(())
    }
}
