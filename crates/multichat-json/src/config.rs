//! `JsonConfig`: where the store lives, how durable appends are, limits, clock, file system.

use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use multichat_core::{Clock, Limits, SystemClock, WatchConfig};

use crate::fs::{FileSystem, StdFs};

/// How durable an acknowledged append is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
#[non_exhaustive]
pub enum Durability {
    /// `fsync` the log after every append before acknowledging it (the default): an acknowledged
    /// message survives power loss.
    #[default]
    Fsync,
    /// Write without `fsync`: an acknowledged message survives a crash of the process, not of
    /// the machine. Session records are always fsynced.
    Flush,
}

/// Settings of a [`crate::JsonStore`].
///
/// ```
/// use multichat_json::{Durability, JsonConfig};
/// let config = JsonConfig::new("/var/lib/chats").durability(Durability::Flush);
/// assert_eq!(config.root.to_str(), Some("/var/lib/chats"));
/// ```
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct JsonConfig {
    /// The store's directory (created if missing).
    pub root: PathBuf,
    /// Durability of appends.
    pub durability: Durability,
    /// Size limits.
    pub limits: Limits,
    /// The clock.
    pub clock: Arc<dyn Clock>,
    /// The file system every change goes through (a test seam).
    pub fs: Arc<dyn FileSystem>,
    /// How long opening waits for another process to close the store (5 s by default; zero:
    /// fail at once). One process at a time is the JSON store's rule; this lets a short-lived
    /// second one (a CLI call, a cron job) wait its turn instead of failing.
    pub lock_timeout: Duration,
    /// How watches read: this store's writes wake them at once (one process at a time holds a
    /// JSON store), so they read on their own only every `watch.recheck`, which bounds how late
    /// an expiry is seen.
    pub watch: WatchConfig,
}

impl JsonConfig {
    /// Default settings for a store at `root`.
    pub fn new(root: impl Into<PathBuf>) -> Self {
        Self {
            root: root.into(),
            durability: Durability::Fsync,
            limits: Limits::default(),
            clock: Arc::new(SystemClock),
            fs: Arc::new(StdFs),
            lock_timeout: Duration::from_secs(5),
            watch: WatchConfig::default(),
        }
    }

    /// Sets how watches read.
    pub fn watch(mut self, watch: WatchConfig) -> Self {
        self.watch = watch;
        self
    }

    /// Sets how long opening waits for another process's lock.
    pub fn lock_timeout(mut self, timeout: Duration) -> Self {
        self.lock_timeout = timeout;
        self
    }

    /// Sets the durability.
    pub fn durability(mut self, durability: Durability) -> Self {
        self.durability = durability;
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

    /// Sets the file system (for fault-injection tests).
    pub fn file_system(mut self, fs: Arc<dyn FileSystem>) -> Self {
        self.fs = fs;
        self
    }
}
