//! A fast multichat store in front of a durable one — Redis over SQLite, memory over JSON, any
//! two stores — that never loses data and never serves stale data.
//!
//! - **Writes** go to the durable store first; only after it succeeds is the fast store's entry
//!   invalidated. A failed durable write fails the call and leaves the fast store alone.
//! - **Reads** of a session and of its last messages (up to the window) try the fast store, fall
//!   back to the durable store on a miss or an error, then fill the fast store. Other reads and
//!   listings go to the durable store, and so do watches: a watch is the durable store's own,
//!   with its wake-ups (the cache is never watched).
//! - A **failing fast store never fails a call**: errors and timeouts are counted and logged
//!   (`tracing`), and after repeated failures the fast store is bypassed for a back-off period.
//! - **Never stale**: fills are compare-and-append operations that lose against any invalidation
//!   made after the fill began; see `docs/hybrid.md` for the argument.
//!
//! ```
//! # tokio::runtime::Runtime::new().unwrap().block_on(async {
//! use multichat_core::{MemoryStore, MessageQuery, MessageStore, NewMessage, NewSession, SessionId, SessionStore};
//! use multichat_hybrid::{HybridConfig, HybridStore};
//!
//! let store = HybridStore::new(MemoryStore::new(), MemoryStore::new(), HybridConfig::default());
//! let id = SessionId::new("s1").unwrap();
//! store.create_session(NewSession::new(id.clone())).await.unwrap();
//! store.append(&id, vec![NewMessage::user("hi")], None).await.unwrap();
//! store.read(&id, MessageQuery::last(10)).await.unwrap(); // miss: fills the fast store
//! store.read(&id, MessageQuery::last(10)).await.unwrap(); // hit
//! assert_eq!(store.stats().hits, 1);
//! # });
//! ```
#![forbid(unsafe_code)]
#![deny(missing_docs)]

mod cache;
mod config;
mod health;
mod messages;
mod sessions;

use std::collections::HashSet;
use std::future::Future;
use std::sync::{Arc, Mutex};

use multichat_core::{ChatStore, Result, SessionId};

pub use config::HybridConfig;
pub use health::HybridStats;

/// A fast store in front of a durable store; implements the same traits.
#[derive(Debug)]
pub struct HybridStore<F, D> {
    fast: F,
    /// Shared with the durable store's watches, which outlive a call.
    durable: Arc<D>,
    config: HybridConfig,
    health: health::Health,
    suspects: Mutex<HashSet<SessionId>>,
}

impl<F: ChatStore, D: ChatStore> HybridStore<F, D> {
    /// `fast` in front of `durable`.
    pub fn new(fast: F, durable: D, config: HybridConfig) -> Self {
        Self {
            fast,
            durable: Arc::new(durable),
            config,
            health: health::Health::default(),
            suspects: Mutex::default(),
        }
    }

    /// Hits, misses, fast-store errors and whether the fast store is bypassed now.
    pub fn stats(&self) -> HybridStats {
        self.health.stats(self.config.clock.as_ref())
    }

    /// The durable store.
    pub fn durable(&self) -> &D {
        &self.durable
    }

    /// The fast store.
    pub fn fast(&self) -> &F {
        &self.fast
    }

    async fn fast_call<T>(
        &self,
        what: &str,
        call: impl Future<Output = Result<T>>,
    ) -> Option<Result<T>> {
        self.health.call(&self.config, what, call).await
    }

    fn mark_suspect(&self, id: &SessionId) {
        self.suspects
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .insert(id.clone());
    }

    fn forget_suspect(&self, id: &SessionId) {
        self.suspects
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .remove(id);
    }

    fn is_suspect(&self, id: &SessionId) -> bool {
        self.suspects
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .contains(id)
    }
}
