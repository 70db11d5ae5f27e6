//! Scale: a page of 100 sessions, the last 20 messages of one session, and an append, in stores
//! of 1,000 sessions and of 1,000,000 sessions × 10 messages (10,000,000 messages; 20,000 × 10
//! with `--quick`), SQLite and PostgreSQL, each judged against its value at 1,000. The stores are
//! filled by the databases themselves (`src/scale.rs`).

use std::sync::Arc;

use criterion::{BenchmarkId, Criterion, criterion_group, criterion_main};
use multichat_bench::scale::{self, PER_SESSION};
use multichat_bench::{message, quick};
use multichat_core::{ChatStore, MessageQuery, SessionId, SessionQuery};
use multichat_testkit::PostgresServer;
use tokio::runtime::Runtime;

fn scaling(c: &mut Criterion) {
    let rt = Runtime::new().expect("runtime");
    let large = if quick() { 20_000 } else { 1_000_000 };
    let dir = tempfile::tempdir().expect("temp dir");
    let server = PostgresServer::start().expect("PostgreSQL is needed for the benchmarks");
    let mut stores: Vec<(String, usize, Arc<dyn ChatStore>)> = Vec::new();
    for n in [1_000, large] {
        let sub = dir.path().join(n.to_string());
        std::fs::create_dir(&sub).expect("dir");
        let sqlite = rt.block_on(scale::sqlite(&sub, n));
        stores.push((format!("sqlite-{n}"), n, sqlite));
        let schema = format!("scale_{n}");
        let postgres = rt.block_on(scale::postgres(&server, &schema, n));
        stores.push((format!("postgres-{n}"), n, postgres));
    }
    for op in ["list_100", "last20", "append"] {
        let mut group = c.benchmark_group(format!("scale_{op}"));
        for (name, n, store) in &stores {
            // The middle session: neither the newest nor the oldest in the listing.
            let id = SessionId::new(format!("s{:07}", n / 2)).expect("id");
            group.bench_function(BenchmarkId::from_parameter(name), |b| {
                b.to_async(&rt).iter(|| run(op, store.as_ref(), &id))
            });
        }
        group.finish();
    }
}

/// One call of `op` on `store` (`id`: the session read and appended to).
async fn run(op: &str, store: &dyn ChatStore, id: &SessionId) {
    match op {
        "list_100" => {
            let page = store.list_sessions(SessionQuery::new(100)).await;
            assert_eq!(page.expect("list").items.len(), 100);
        }
        "last20" => {
            let read = store.read(id, MessageQuery::last(20)).await;
            assert!(read.expect("read").len() >= PER_SESSION);
        }
        _ => {
            store
                .append(id, vec![message(1)], None)
                .await
                .expect("append");
        }
    }
}

criterion_group!(benches, scaling);
criterion_main!(benches);
