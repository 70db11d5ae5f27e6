//! `Fixture`: a fresh store under test, the manual clock it reads, and whatever keeps it alive.

use std::any::Any;
use std::sync::Arc;

use multichat_core::{ChatStore, ManualClock};

/// A store under test. The store must read `clock` for every time it records and every expiry
/// check; `guard` keeps resources alive (a temp dir, a server) until the test ends.
pub struct Fixture {
    /// The store under test.
    pub store: Arc<dyn ChatStore>,
    /// The clock the store reads.
    pub clock: ManualClock,
    _guard: Box<dyn Any + Send + Sync>,
    skipped: bool,
}

impl Fixture {
    /// A fixture for a store that needs nothing kept alive.
    pub fn new(store: Arc<dyn ChatStore>, clock: ManualClock) -> Self {
        Self::with_guard(store, clock, Box::new(()))
    }

    /// A fixture that drops `guard` after the store.
    pub fn with_guard(
        store: Arc<dyn ChatStore>,
        clock: ManualClock,
        guard: Box<dyn Any + Send + Sync>,
    ) -> Self {
        Self {
            store,
            clock,
            _guard: guard,
            skipped: false,
        }
    }

    /// A fixture for a backend that cannot run here (`MULTICHAT_SKIP_REDIS=1` without
    /// `redis-server`): every guarantee returns at once, saying so on stderr.
    pub fn skipped(clock: ManualClock) -> Self {
        let mut fixture = Self::new(Arc::new(multichat_core::MemoryStore::new()), clock);
        fixture.skipped = true;
        fixture
    }

    /// Whether the backend is skipped.
    pub fn is_skipped(&self) -> bool {
        self.skipped
    }
}
