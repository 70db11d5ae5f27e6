//! `HybridStore<MemoryStore, MemoryStore>` against the conformance suite and the property test.

use std::sync::Arc;

use multichat_core::{MemoryConfig, MemoryStore};
use multichat_hybrid::{HybridConfig, HybridStore};
use multichat_testkit::{Fixture, ManualClock};

async fn make(clock: ManualClock) -> Fixture {
    let durable = MemoryStore::with_config(MemoryConfig::default().clock(Arc::new(clock.clone())));
    let config = HybridConfig::default()
        .window(8)
        .clock(Arc::new(clock.clone()));
    Fixture::new(
        Arc::new(HybridStore::new(MemoryStore::new(), durable, config)),
        clock,
    )
}

multichat_testkit::conformance_tests!(make);

#[test]
fn hybrid_memory_memory_matches_the_model() {
    multichat_testkit::model::check_against_model(make, 48);
}
