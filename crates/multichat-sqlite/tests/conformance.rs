//! `SqliteStore` (a file in a temp dir) against the conformance suite and the property test.

use std::sync::Arc;

use multichat_sqlite::{SqliteConfig, SqliteStore};
use multichat_testkit::{Fixture, ManualClock};

async fn make(clock: ManualClock) -> Fixture {
    let dir = tempfile::tempdir().expect("temp dir");
    let config = SqliteConfig::default().clock(Arc::new(clock.clone()));
    let store = SqliteStore::open(dir.path().join("store.db"), config)
        .await
        .expect("open");
    Fixture::with_guard(Arc::new(store), clock, Box::new(dir))
}

multichat_testkit::conformance_tests!(make);

#[test]
fn sqlite_store_matches_the_model() {
    multichat_testkit::model::check_against_model(make, 24);
}
