//! `MemoryStore` against the conformance suite and the model-based property test.

use std::sync::Arc;

use multichat_core::{MemoryConfig, MemoryStore};
use multichat_testkit::{Fixture, ManualClock};

async fn make(clock: ManualClock) -> Fixture {
    let config = MemoryConfig::default().clock(Arc::new(clock.clone()));
    Fixture::new(Arc::new(MemoryStore::with_config(config)), clock)
}

multichat_testkit::conformance_tests!(make);

#[test]
fn memory_store_matches_the_model() {
    multichat_testkit::model::check_against_model(make, 64);
}
