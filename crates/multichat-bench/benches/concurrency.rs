//! Concurrency: 16 tasks each appending one message to its own session at once (one iteration =
//! 16 appends), against one task appending alone, per backend.

use criterion::{BenchmarkId, Criterion, Throughput, criterion_group, criterion_main};
use multichat_bench::{append_concurrently, backends, seed_session};
use multichat_core::SessionId;
use tokio::runtime::Runtime;

const TASKS: usize = 16;

fn concurrent_appends(c: &mut Criterion) {
    let rt = Runtime::new().expect("runtime");
    let mut group = c.benchmark_group("append_16_tasks");
    group.throughput(Throughput::Elements(TASKS as u64));
    for backend in rt.block_on(backends::all()) {
        let seed = |i: usize| {
            rt.block_on(seed_session(backend.store.as_ref(), &format!("c{i}"), 0))
                .expect("seed")
        };
        let ids: Vec<SessionId> = (0..TASKS).map(seed).collect();
        group.bench_function(BenchmarkId::from_parameter(backend.name), |b| {
            b.to_async(&rt)
                .iter(|| append_concurrently(&backend.store, &ids))
        });
    }
    group.finish();
}

criterion_group!(benches, concurrent_appends);
criterion_main!(benches);
