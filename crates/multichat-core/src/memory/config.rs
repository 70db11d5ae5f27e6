//! The settings of a [`MemoryStore`](super::MemoryStore).

use std::sync::Arc;

use crate::limits::Limits;
use crate::time::{Clock, SystemClock};
use crate::watch::WatchConfig;

/// Settings of a [`MemoryStore`](super::MemoryStore).
///
/// ```
/// use std::sync::Arc;
/// use multichat_core::{ManualClock, MemoryConfig, MemoryStore};
///
/// let clock = ManualClock::new(); // tests drive expiry without sleeping
/// let store = MemoryStore::with_config(MemoryConfig::default().clock(Arc::new(clock.clone())));
/// # drop(store);
/// ```
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct MemoryConfig {
    /// Size limits.
    pub limits: Limits,
    /// The clock (the system clock by default).
    pub clock: Arc<dyn Clock>,
    /// How its watches read; this store wakes them at once on its writes (handing them what it
    /// appended), so they read on their own only every `recheck`, which bounds how late an
    /// expiry is seen.
    pub watch: WatchConfig,
}

impl Default for MemoryConfig {
    fn default() -> Self {
        Self {
            limits: Limits::default(),
            clock: Arc::new(SystemClock),
            watch: WatchConfig::default(),
        }
    }
}

impl MemoryConfig {
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
