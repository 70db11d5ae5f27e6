//! Criterion benchmarks: the same workload for every backend, one group per operation.

use std::sync::Arc;

use criterion::{BenchmarkId, Criterion, criterion_group, criterion_main};
use multichat_bench::{message, seed_session, seed_sessions};
use multichat_core::{ChatStore, MemoryStore, MessageQuery, SessionQuery};
use tokio::runtime::Runtime;

/// The stores under test, by name. Each backend issue adds its store here.
fn stores() -> Vec<(&'static str, Arc<dyn ChatStore>)> {
    vec![("memory", Arc::new(MemoryStore::new()))]
}

fn appends(c: &mut Criterion) {
    let rt = Runtime::new().expect("runtime");
    for (name, store) in stores() {
        let id = rt
            .block_on(seed_session(store.as_ref(), "append", 0))
            .expect("seed");
        c.benchmark_group("append_one")
            .bench_function(BenchmarkId::from_parameter(name), |b| {
                b.to_async(&rt).iter(|| async {
                    store
                        .append(&id, vec![message(1)], None)
                        .await
                        .expect("append")
                })
            });
        c.benchmark_group("append_batch10").bench_function(
            BenchmarkId::from_parameter(name),
            |b| {
                b.to_async(&rt).iter(|| async {
                    store
                        .append(&id, (0..10).map(message).collect(), None)
                        .await
                        .expect("append")
                })
            },
        );
    }
}

fn reads(c: &mut Criterion) {
    let rt = Runtime::new().expect("runtime");
    for (name, store) in stores() {
        for history in [100, 20_000] {
            let id = rt
                .block_on(seed_session(
                    store.as_ref(),
                    &format!("h{history}"),
                    history,
                ))
                .expect("seed");
            let group = format!("last20_at_{history}");
            c.benchmark_group(group)
                .bench_function(BenchmarkId::from_parameter(name), |b| {
                    b.to_async(&rt).iter(|| async {
                        store.read(&id, MessageQuery::last(20)).await.expect("read")
                    })
                });
        }
        rt.block_on(seed_sessions(store.as_ref(), "list", 1000))
            .expect("seed");
        c.benchmark_group("list_100")
            .bench_function(BenchmarkId::from_parameter(name), |b| {
                b.to_async(&rt).iter(|| async {
                    store
                        .list_sessions(SessionQuery::new(100))
                        .await
                        .expect("list")
                })
            });
    }
}

criterion_group!(benches, appends, reads);
criterion_main!(benches);
