//! `PostgresStore` on a PostgreSQL server of its own against the conformance suite, the model
//! property test and the transition table. The tests of this binary share one server; each
//! fixture gets a schema of its own.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, OnceLock};

use multichat_postgres::{PostgresConfig, PostgresStore};
use multichat_testkit::{Fixture, ManualClock, PostgresServer};

fn server() -> Option<&'static PostgresServer> {
    static SERVER: OnceLock<Option<PostgresServer>> = OnceLock::new();
    SERVER.get_or_init(PostgresServer::start).as_ref()
}

/// A store in a fresh schema of the shared server; `None` when PostgreSQL is skipped.
async fn connect(clock: &ManualClock) -> Option<PostgresStore> {
    static NEXT: AtomicUsize = AtomicUsize::new(0);
    let server = server()?;
    let schema = format!(
        "t{}_{}",
        std::process::id(),
        NEXT.fetch_add(1, Ordering::SeqCst)
    );
    let config = PostgresConfig::default()
        .schema(schema)
        .pool_size(8)
        .clock(Arc::new(clock.clone()));
    let store = PostgresStore::connect(&server.url(), config)
        .await
        .expect("connect to the test server");
    Some(store)
}

async fn make(clock: ManualClock) -> Fixture {
    match connect(&clock).await {
        Some(store) => Fixture::new(Arc::new(store), clock),
        None => Fixture::skipped(clock),
    }
}

multichat_testkit::conformance_tests!(make);

#[test]
fn postgres_store_matches_the_model() {
    multichat_testkit::model::check_against_model(make, 24);
}

#[tokio::test]
async fn restores_and_transitions_agree_with_the_core() {
    let clock = ManualClock::new();
    let Some(store) = connect(&clock).await else {
        return;
    };
    multichat_testkit::restore::check(&store, &clock).await;
    multichat_testkit::restore::check_whole(&store, &clock, true).await;
    multichat_testkit::transitions::check(&store, &clock).await;
}
