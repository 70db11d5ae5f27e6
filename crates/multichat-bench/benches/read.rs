//! Read benchmarks: the last 20 messages at 100 and 20,000 messages of history (every backend and
//! the raw clients), a range of 100, and 16 concurrent readers.

use criterion::{BenchmarkId, Criterion, Throughput, criterion_group, criterion_main};
use multichat_bench::raw_postgres::RawPostgres;
use multichat_bench::raw_redis::RawRedis;
use multichat_bench::raw_sqlite::RawSqlite;
use multichat_bench::{backends, message, read_steadily, seed_session};
use multichat_core::{MessageQuery, SessionId};
use tokio::runtime::Runtime;

fn last20(c: &mut Criterion) {
    let rt = Runtime::new().expect("runtime");
    let all = rt.block_on(backends::all());
    for history in [100, 20_000] {
        let mut group = c.benchmark_group(format!("last20_at_{history}"));
        for backend in &all {
            let id = rt
                .block_on(seed_session(
                    backend.store.as_ref(),
                    &format!("h{history}"),
                    history,
                ))
                .expect("seed");
            group.bench_function(BenchmarkId::from_parameter(backend.name), |b| {
                b.to_async(&rt).iter(|| async {
                    backend
                        .store
                        .read(&id, MessageQuery::last(20))
                        .await
                        .expect("read")
                })
            });
        }
        let raw = RawSqlite::open("NORMAL");
        (0..history).for_each(|i| {
            raw.append(&message(i).content);
        });
        group.bench_function(BenchmarkId::from_parameter("raw-rusqlite"), |b| {
            b.iter(|| raw.last(20))
        });
        group.bench_function(BenchmarkId::from_parameter("raw-rusqlite-rows"), |b| {
            b.iter(|| raw.last_rows(20))
        });
        let redis = rt.block_on(RawRedis::start());
        for i in 0..history {
            rt.block_on(redis.append(&message(i).content));
        }
        group.bench_function(BenchmarkId::from_parameter("raw-redis"), |b| {
            b.to_async(&rt).iter(|| redis.last(20))
        });
        let postgres = rt.block_on(RawPostgres::start());
        for i in 0..history {
            rt.block_on(postgres.append(&message(i).content));
        }
        group.bench_function(BenchmarkId::from_parameter("raw-postgres"), |b| {
            b.to_async(&rt).iter(|| postgres.last(20))
        });
        group.finish();
    }
}

fn range100(c: &mut Criterion) {
    let rt = Runtime::new().expect("runtime");
    let mut group = c.benchmark_group("range_100_at_20000");
    for backend in rt.block_on(backends::all()) {
        let id = rt
            .block_on(seed_session(backend.store.as_ref(), "range", 20_000))
            .expect("seed");
        group.bench_function(BenchmarkId::from_parameter(backend.name), |b| {
            b.to_async(&rt).iter(|| async {
                backend
                    .store
                    .read(&id, MessageQuery::after(10_000, 100))
                    .await
                    .expect("read")
            })
        });
    }
    let raw = RawSqlite::open("NORMAL");
    (0..20_000).for_each(|i| {
        raw.append(&message(i).content);
    });
    group.bench_function(BenchmarkId::from_parameter("raw-rusqlite-rows"), |b| {
        b.iter(|| raw.after_rows(10_000, 100))
    });
    group.finish();
}

/// 16 long-lived tasks, each reading the last 20 of its own 100-message session over and over:
/// one iteration is 16 reads (against one reader alone in `last20_at_100`).
fn concurrent_reads(c: &mut Criterion) {
    let rt = Runtime::new().expect("runtime");
    let mut group = c.benchmark_group("read_16_tasks_steady");
    group.throughput(Throughput::Elements(16));
    for backend in rt.block_on(backends::all()) {
        let seed = |i: usize| {
            rt.block_on(seed_session(backend.store.as_ref(), &format!("r{i}"), 100))
                .expect("seed")
        };
        let ids: Vec<SessionId> = (0..16).map(seed).collect();
        let store = &backend.store;
        group.bench_function(BenchmarkId::from_parameter(backend.name), |b| {
            b.to_async(&rt)
                .iter_custom(|iters| read_steadily(store, &ids, iters))
        });
    }
    group.finish();
}

/// A 4,000-token context window at 20,000 messages of 100 tokens each (counted as uncounted
/// messages of 100: the same window of 40 messages), at most 200 read, beside the last 40 of the
/// same session on the same backend (issue #22).
fn budget_window(c: &mut Criterion) {
    let rt = Runtime::new().expect("runtime");
    let mut group = c.benchmark_group("budget_4000_at_20000");
    let window = MessageQuery::budget(4000, 200).uncounted(100);
    for backend in rt.block_on(backends::all()) {
        let store = backend.store.as_ref();
        let id = rt
            .block_on(seed_session(store, "budget", 20_000))
            .expect("seed");
        let id = &id;
        let read = |q: MessageQuery| async move { store.read(id, q).await.expect("read") };
        assert_eq!(rt.block_on(read(window)).len(), 40, "{}", backend.name);
        group.bench_function(BenchmarkId::from_parameter(backend.name), |b| {
            b.to_async(&rt).iter(|| read(window))
        });
        let last40 = format!("{}-last40", backend.name);
        group.bench_function(BenchmarkId::from_parameter(last40), |b| {
            b.to_async(&rt).iter(|| read(MessageQuery::last(40)))
        });
    }
    group.finish();
}

criterion_group!(benches, last20, range100, concurrent_reads, budget_window);
criterion_main!(benches);
