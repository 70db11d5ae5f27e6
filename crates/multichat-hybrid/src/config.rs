//! `HybridConfig`: the window of cached messages, the fast store's timeout and back-off.

use std::sync::Arc;
use std::time::Duration;

use multichat_core::{Clock, SystemClock};

/// Settings of a [`crate::HybridStore`].
///
/// ```
/// use std::time::Duration;
/// use multichat_hybrid::HybridConfig;
/// let config = HybridConfig::default().window(20).fast_timeout(Duration::from_millis(100));
/// assert_eq!(config.window, 20);
/// ```
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct HybridConfig {
    /// How many of the most recent messages of a session the fast store keeps (50 by default).
    pub window: usize,
    /// How long a fast-store call may take before it counts as failed (250 ms by default).
    pub fast_timeout: Duration,
    /// Consecutive fast-store failures that start a bypass (3 by default).
    pub failure_threshold: u32,
    /// How long the fast store is bypassed after that (5 s by default), then retried. Measured
    /// on [`HybridConfig::clock`].
    pub backoff: Duration,
    /// The clock the durable store uses: expiry of cached records is checked against it, and
    /// the back-off is measured on it.
    pub clock: Arc<dyn Clock>,
}

impl Default for HybridConfig {
    fn default() -> Self {
        Self {
            window: 50,
            fast_timeout: Duration::from_millis(250),
            failure_threshold: 3,
            backoff: Duration::from_secs(5),
            clock: Arc::new(SystemClock),
        }
    }
}

impl HybridConfig {
    /// Sets the message window.
    pub fn window(mut self, window: usize) -> Self {
        self.window = window;
        self
    }

    /// Sets the fast-store timeout.
    pub fn fast_timeout(mut self, timeout: Duration) -> Self {
        self.fast_timeout = timeout;
        self
    }

    /// Sets the failures before a bypass and the bypass duration.
    pub fn backoff(mut self, failure_threshold: u32, backoff: Duration) -> Self {
        self.failure_threshold = failure_threshold.max(1);
        self.backoff = backoff;
        self
    }

    /// Sets the clock.
    pub fn clock(mut self, clock: Arc<dyn Clock>) -> Self {
        self.clock = clock;
        self
    }
}
