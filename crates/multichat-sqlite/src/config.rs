//! `SqliteConfig`: durability, timeouts, pool size, limits and clock of a `SqliteStore`.

use std::sync::Arc;
use std::time::Duration;

use multichat_core::{Clock, Limits, SystemClock, WatchConfig};

/// How hard SQLite works to make a commit durable (`PRAGMA synchronous`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
#[non_exhaustive]
pub enum Synchronous {
    /// `NORMAL` (the default): in WAL mode a commit survives a crash of the process; the last
    /// commits may be lost on power failure or an OS crash, but the database stays consistent.
    #[default]
    Normal,
    /// `FULL`: every commit is fsynced before it is acknowledged; survives power loss.
    Full,
}

impl Synchronous {
    pub(crate) fn pragma(self) -> &'static str {
        match self {
            Self::Normal => "NORMAL",
            Self::Full => "FULL",
        }
    }
}

/// Settings of a [`crate::SqliteStore`].
///
/// ```
/// use std::time::Duration;
/// use multichat_sqlite::{SqliteConfig, Synchronous};
/// let config = SqliteConfig::default().synchronous(Synchronous::Full).readers(2);
/// assert_eq!(config.busy_timeout, Duration::from_secs(5));
/// ```
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct SqliteConfig {
    /// Durability of commits (NORMAL by default).
    pub synchronous: Synchronous,
    /// How long a connection waits for a lock held by another process (5 s by default).
    pub busy_timeout: Duration,
    /// Read connections (4 by default); reads run on them in parallel with the writer.
    pub readers: usize,
    /// Most write operations committed together in one transaction (256 by default).
    pub max_group: usize,
    /// How long a writing caller polls for the writer thread's answer, yielding to the runtime
    /// between polls, before its task sleeps (100 µs by default; zero: sleep at once). Polling
    /// saves the wake-up of a sleeping runtime thread, which costs about as much as an append in
    /// `NORMAL` mode; it spends otherwise idle CPU time to do so.
    pub spin: Duration,
    /// Size limits.
    pub limits: Limits,
    /// The clock.
    pub clock: Arc<dyn Clock>,
    /// How watches read: this process's own writes wake them at once; another process's
    /// writes, and expiries, are seen by the store's one change detector, which checks every
    /// `watch.poll` (25 ms by default); each watch reads on its own only every `watch.recheck`.
    pub watch: WatchConfig,
}

impl Default for SqliteConfig {
    fn default() -> Self {
        Self {
            synchronous: Synchronous::Normal,
            busy_timeout: Duration::from_secs(5),
            readers: 4,
            max_group: 256,
            spin: Duration::from_micros(100),
            limits: Limits::default(),
            clock: Arc::new(SystemClock),
            watch: WatchConfig::default(),
        }
    }
}

impl SqliteConfig {
    /// Sets the durability.
    pub fn synchronous(mut self, synchronous: Synchronous) -> Self {
        self.synchronous = synchronous;
        self
    }

    /// Sets the busy timeout.
    pub fn busy_timeout(mut self, timeout: Duration) -> Self {
        self.busy_timeout = timeout;
        self
    }

    /// Sets the number of read connections (at least 1).
    pub fn readers(mut self, readers: usize) -> Self {
        self.readers = readers.max(1);
        self
    }

    /// Sets how long a writing caller polls for its answer before it sleeps (zero: never polls).
    pub fn spin(mut self, spin: Duration) -> Self {
        self.spin = spin;
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

    /// Sets how watches read.
    pub fn watch(mut self, watch: WatchConfig) -> Self {
        self.watch = watch;
        self
    }
}
