//! `JsonStore` (a temp dir) against the conformance suite and the property test.

use std::sync::Arc;

use multichat_json::{JsonConfig, JsonStore};
use multichat_testkit::{Fixture, ManualClock};

async fn make(clock: ManualClock) -> Fixture {
    let dir = tempfile::tempdir().expect("temp dir");
    let config = JsonConfig::new(dir.path()).clock(Arc::new(clock.clone()));
    let store = JsonStore::open(config).await.expect("open");
    Fixture::with_guard(Arc::new(store), clock, Box::new(dir))
}

multichat_testkit::conformance_tests!(make);

#[test]
fn json_store_matches_the_model() {
    multichat_testkit::model::check_against_model(make, 24);
}
