//! `SqliteStore::open_in_memory` (reads through the writer) against the conformance suite.

use std::sync::Arc;

use multichat_sqlite::{SqliteConfig, SqliteStore};
use multichat_testkit::{Fixture, ManualClock};

async fn make(clock: ManualClock) -> Fixture {
    let config = SqliteConfig::default().clock(Arc::new(clock.clone()));
    Fixture::new(
        Arc::new(SqliteStore::open_in_memory(config).expect("open")),
        clock,
    )
}

multichat_testkit::conformance_tests!(make);
