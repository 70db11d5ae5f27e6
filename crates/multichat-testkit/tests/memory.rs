//! `MemoryStore` against the conformance suite.
//!
//! It does not run the model-based property test: `MemoryStore` *is* the model, so comparing it
//! with itself could never fail. What would make it wrong is covered by tests that can: the
//! conformance suite here (hand-written expectations for every operation), and the core's
//! transition table (`multichat_core::backend::transition_cases`, written out by hand), which the
//! transitions `MemoryStore` runs on are tested against case by case.

use std::sync::Arc;

use multichat_core::{MemoryConfig, MemoryStore};
use multichat_testkit::{Fixture, ManualClock};

async fn make(clock: ManualClock) -> Fixture {
    let config = MemoryConfig::default().clock(Arc::new(clock.clone()));
    Fixture::new(Arc::new(MemoryStore::with_config(config)), clock)
}

multichat_testkit::conformance_tests!(make);
