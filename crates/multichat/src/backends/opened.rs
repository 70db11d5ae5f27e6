//! What opening a URL gives: the store, and what its backend reports about it.

use std::sync::Arc;

use multichat_core::RestoreStore;

/// A store opened from a URL, with what the backend reports about it beside the store itself.
pub struct Opened {
    /// The store.
    pub store: Arc<dyn RestoreStore>,
    /// A Redis server's `maxmemory-policy` when it may evict sessions without any error (see
    /// `docs/redis-format.md`); `None` for every other store.
    pub evicting_policy: Option<String>,
}

impl From<Arc<dyn RestoreStore>> for Opened {
    /// A store with nothing to report beside it.
    fn from(store: Arc<dyn RestoreStore>) -> Self {
        Self {
            store,
            evicting_policy: None,
        }
    }
}
