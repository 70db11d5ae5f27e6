//! `HybridStore<MemoryStore, JsonStore>` against the conformance suite and the property test.

use std::sync::Arc;

use multichat_core::MemoryStore;
use multichat_hybrid::{HybridConfig, HybridStore};
use multichat_json::{JsonConfig, JsonStore};
use multichat_testkit::{Fixture, ManualClock};

async fn make(clock: ManualClock) -> Fixture {
    let dir = tempfile::tempdir().expect("temp dir");
    let durable = JsonStore::open(JsonConfig::new(dir.path()).clock(Arc::new(clock.clone())))
        .await
        .expect("open");
    let config = HybridConfig::default()
        .window(8)
        .clock(Arc::new(clock.clone()));
    Fixture::with_guard(
        Arc::new(HybridStore::new(MemoryStore::new(), durable, config)),
        clock,
        Box::new(dir),
    )
}

multichat_testkit::conformance_tests!(make);

#[test]
fn hybrid_memory_json_matches_the_model() {
    multichat_testkit::model::check_against_model(make, 16);
}
