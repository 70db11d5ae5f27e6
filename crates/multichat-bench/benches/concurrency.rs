//! Concurrency, per backend (one iteration = 16 appends, against one task appending alone in the
//! append benchmarks):
//! - `append_16_tasks`: a burst — 16 tasks spawned, each appending one message to its own
//!   session, and joined, every iteration;
//! - `append_16_tasks_steady`: 16 long-lived tasks, one per session, each appending one message
//!   after the other (the throughput of concurrent tasks, without a spawn and a join per append).

use criterion::{BenchmarkId, Criterion, Throughput, criterion_group, criterion_main};
use multichat_bench::{append_concurrently, append_steadily, backends, seed_session};
use multichat_core::SessionId;
use tokio::runtime::Runtime;

const TASKS: usize = 16;

fn concurrent_appends(c: &mut Criterion) {
    let rt = Runtime::new().expect("runtime");
    for steady in [false, true] {
        let name = if steady {
            "append_16_tasks_steady"
        } else {
            "append_16_tasks"
        };
        let mut group = c.benchmark_group(name);
        group.throughput(Throughput::Elements(TASKS as u64));
        for backend in rt.block_on(backends::all()) {
            let seed = |i: usize| {
                rt.block_on(seed_session(backend.store.as_ref(), &format!("c{i}"), 0))
                    .expect("seed")
            };
            let ids: Vec<SessionId> = (0..TASKS).map(seed).collect();
            let store = &backend.store;
            group.bench_function(BenchmarkId::from_parameter(backend.name), |b| {
                let mut b = b.to_async(&rt);
                if steady {
                    b.iter_custom(|iters| append_steadily(store, &ids, iters));
                } else {
                    b.iter(|| append_concurrently(store, &ids));
                }
            });
        }
        group.finish();
    }
}

criterion_group!(benches, concurrent_appends);
criterion_main!(benches);
