//! `SqliteStore::open_in_memory` (reads through the writer) against the conformance suite, with
//! callers that sleep at once instead of polling for the writer's answer (`spin` zero; the file
//! store's suite runs with the default).

use std::sync::Arc;
use std::time::Duration;

use multichat_sqlite::{SqliteConfig, SqliteStore};
use multichat_testkit::{Fixture, ManualClock};

async fn make(clock: ManualClock) -> Fixture {
    let config = SqliteConfig::default()
        .clock(Arc::new(clock.clone()))
        .spin(Duration::ZERO);
    Fixture::new(
        Arc::new(SqliteStore::open_in_memory(config).expect("open")),
        clock,
    )
}

multichat_testkit::conformance_tests!(make);
