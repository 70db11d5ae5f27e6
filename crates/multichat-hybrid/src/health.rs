//! The fast store's health: counters, and the bypass after repeated failures.

use multichat_core::{Clock, Result, Timestamp};
use std::future::Future;
use std::sync::Mutex;
use std::sync::atomic::{AtomicU32, AtomicU64, Ordering};

use crate::config::HybridConfig;

/// What the hybrid store has seen of its fast store.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
#[non_exhaustive]
pub struct HybridStats {
    /// Reads answered by the fast store.
    pub hits: u64,
    /// Reads the fast store could not answer (absent, invalidated, outside the window).
    pub misses: u64,
    /// Fast-store calls that failed or timed out.
    pub fast_errors: u64,
    /// Whether the fast store is bypassed right now.
    pub bypassed: bool,
}

/// Counters and the bypass state.
#[derive(Debug, Default)]
pub struct Health {
    hits: AtomicU64,
    misses: AtomicU64,
    errors: AtomicU64,
    consecutive: AtomicU32,
    bypass_until: Mutex<Option<Timestamp>>,
}

impl Health {
    /// Runs a fast-store call with the timeout, unless bypassed. `None` means "no answer": the
    /// call was skipped, failed or timed out (counted and logged).
    pub async fn call<T>(
        &self,
        config: &HybridConfig,
        what: &str,
        call: impl Future<Output = Result<T>>,
    ) -> Option<Result<T>> {
        if self.bypassed(config.clock.as_ref()) {
            return None;
        }
        match tokio::time::timeout(config.fast_timeout, call).await {
            Ok(Err(e)) if !e.kind().is_answer() => self.failed(config, what, &e.to_string()),
            Ok(answer) => {
                self.consecutive.store(0, Ordering::Relaxed);
                Some(answer)
            }
            Err(_) => self.failed(config, what, "timed out"),
        }
    }

    fn failed<T>(&self, config: &HybridConfig, what: &str, why: &str) -> Option<T> {
        self.errors.fetch_add(1, Ordering::Relaxed);
        let failures = self.consecutive.fetch_add(1, Ordering::Relaxed) + 1;
        tracing::warn!(
            operation = what,
            error = why,
            failures,
            "fast store failed; using the durable store"
        );
        if failures >= config.failure_threshold {
            *self.lock() = Some(config.clock.now().plus(config.backoff));
            self.consecutive.store(0, Ordering::Relaxed);
            tracing::warn!(backoff = ?config.backoff, "fast store bypassed");
        }
        None
    }

    /// Whether the fast store is in its back-off period, measured on `clock` (the configured
    /// one, so tests end a back-off by advancing a manual clock).
    pub fn bypassed(&self, clock: &dyn Clock) -> bool {
        let mut until = self.lock();
        match *until {
            Some(t) if clock.now() < t => true,
            Some(_) => {
                *until = None;
                false
            }
            None => false,
        }
    }

    /// Counts a read answered by the fast store (`true`) or not.
    pub fn record(&self, hit: bool) {
        let counter = if hit { &self.hits } else { &self.misses };
        counter.fetch_add(1, Ordering::Relaxed);
    }

    /// The counters now (the bypass as seen on `clock`).
    pub fn stats(&self, clock: &dyn Clock) -> HybridStats {
        HybridStats {
            hits: self.hits.load(Ordering::Relaxed),
            misses: self.misses.load(Ordering::Relaxed),
            fast_errors: self.errors.load(Ordering::Relaxed),
            bypassed: self.bypassed(clock),
        }
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Option<Timestamp>> {
        self.bypass_until.lock().unwrap_or_else(|p| p.into_inner())
    }
}
