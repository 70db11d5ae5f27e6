//! Session benchmarks: the first page of 100 sessions out of 100,000 (2,000 with `--quick`),
//! and creating then deleting a session.

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

use criterion::{BenchmarkId, Criterion, criterion_group, criterion_main};
use multichat_bench::{backends, quick, seed_sessions};
use multichat_core::{NewSession, SessionId, SessionQuery};
use tokio::runtime::Runtime;

fn first_page(c: &mut Criterion) {
    let rt = Runtime::new().expect("runtime");
    let total = if quick() { 2_000 } else { 100_000 };
    let mut group = c.benchmark_group(format!("list_100_of_{total}"));
    for backend in rt.block_on(backends::all()) {
        rt.block_on(seed_sessions(Arc::clone(&backend.store), "list", total))
            .expect("seed");
        group.bench_function(BenchmarkId::from_parameter(backend.name), |b| {
            b.to_async(&rt).iter(|| async {
                backend
                    .store
                    .list_sessions(SessionQuery::new(100))
                    .await
                    .expect("list")
            })
        });
    }
    group.finish();
}

fn create_delete(c: &mut Criterion) {
    let rt = Runtime::new().expect("runtime");
    let mut group = c.benchmark_group("create_delete");
    let next = AtomicU64::new(0);
    for backend in rt.block_on(backends::all()) {
        group.bench_function(BenchmarkId::from_parameter(backend.name), |b| {
            b.to_async(&rt).iter(|| async {
                let id = SessionId::new(format!("cd{}", next.fetch_add(1, Ordering::Relaxed)))
                    .expect("id");
                backend
                    .store
                    .create_session(NewSession::new(id.clone()))
                    .await
                    .expect("create");
                backend.store.delete_session(&id).await.expect("delete")
            })
        });
    }
    group.finish();
}

criterion_group!(benches, first_page, create_delete);
criterion_main!(benches);
