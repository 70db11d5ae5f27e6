//! Append benchmarks: one message (fresh session and at 20,000 messages of history), a batch
//! of 10, and a keyed append and its retry beside the plain one; every backend and the raw
//! `rusqlite` and JSON Lines baselines.

use criterion::measurement::WallTime;
use criterion::{
    BenchmarkGroup, BenchmarkId, Criterion, Throughput, criterion_group, criterion_main,
};
use multichat_bench::raw_jsonl::RawJsonl;
use multichat_bench::raw_postgres::RawPostgres;
use multichat_bench::raw_redis::RawRedis;
use multichat_bench::raw_sqlite::RawSqlite;
use multichat_bench::{backends, message, seed_session};
use multichat_core::NewMessage;
use std::sync::atomic::AtomicU64;
use std::sync::atomic::Ordering::Relaxed;
use tokio::runtime::Runtime;

fn append_one(c: &mut Criterion) {
    let rt = Runtime::new().expect("runtime");
    let mut group = c.benchmark_group("append_one");
    every_backend(&mut group, &rt, 0, 1);
    for (name, sync) in [
        ("raw-rusqlite-normal", "NORMAL"),
        ("raw-rusqlite-full", "FULL"),
    ] {
        let raw = RawSqlite::open(sync);
        let text = message(1).content;
        group.bench_function(BenchmarkId::from_parameter(name), |b| {
            b.iter(|| raw.append(&text))
        });
    }
    let redis = rt.block_on(RawRedis::start());
    let text = message(1).content;
    group.bench_function(BenchmarkId::from_parameter("raw-redis"), |b| {
        b.to_async(&rt).iter(|| redis.append(&text))
    });
    let postgres = rt.block_on(RawPostgres::start());
    group.bench_function(BenchmarkId::from_parameter("raw-postgres"), |b| {
        b.to_async(&rt).iter(|| postgres.append(&text))
    });
    let mut raw = RawJsonl::open();
    let line = raw_line();
    group.bench_function(BenchmarkId::from_parameter("raw-jsonl-fsync"), |b| {
        b.iter(|| raw.append(&line))
    });
    group.bench_function(BenchmarkId::from_parameter("raw-jsonl-write"), |b| {
        b.iter(|| raw.write(&line))
    });
    group.finish();
}

/// The line the JSON store writes for one message, for the raw JSON Lines baseline.
fn raw_line() -> serde_json::Value {
    let m = message(1);
    serde_json::json!({"seq": 1, "role": "user", "sender": m.sender, "content": m.content, "metadata": {},
        "created_at": 1_764_000_000_000_i64, "batch_left": 0, "version": 2,
        "updated_at": 1_764_000_000_000_i64, "message_count": 1})
}

fn append_at_20000(c: &mut Criterion) {
    let rt = Runtime::new().expect("runtime");
    let mut group = c.benchmark_group("append_one_at_20000");
    every_backend(&mut group, &rt, 20_000, 1);
    group.finish();
}

fn append_batch10(c: &mut Criterion) {
    let rt = Runtime::new().expect("runtime");
    let mut group = c.benchmark_group("append_batch10");
    every_backend(&mut group, &rt, 0, 10);
    group.finish();
}

/// Appending `batch` messages at a time to a session of `history` messages, on every backend.
fn every_backend(
    group: &mut BenchmarkGroup<'_, WallTime>,
    rt: &Runtime,
    history: usize,
    batch: usize,
) {
    group.throughput(Throughput::Elements(batch as u64));
    for backend in rt.block_on(backends::all()) {
        let id = rt
            .block_on(seed_session(backend.store.as_ref(), "append", history))
            .expect("seed");
        group.bench_function(BenchmarkId::from_parameter(backend.name), |b| {
            b.to_async(rt).iter(|| async {
                backend
                    .store
                    .append(&id, (0..batch).map(message).collect(), None)
                    .await
                    .expect("append")
            })
        });
    }
}

/// One message with a new client key each time (`<backend>-keyed`) and a retry of one already
/// stored (`<backend>-retry`), beside the same append without a key (`<backend>`), all on one
/// session of each backend that the keyed cells fill with keys (issue #22: a key costs at most
/// a tenth).
fn append_keyed(c: &mut Criterion) {
    let rt = Runtime::new().expect("runtime");
    let mut group = c.benchmark_group("append_keyed");
    for backend in rt.block_on(backends::all()) {
        let store = backend.store.as_ref();
        let id = rt.block_on(seed_session(store, "keyed", 0)).expect("seed");
        let append =
            |m: NewMessage| async { store.append(&id, vec![m], None).await.expect("append") };
        group.bench_function(BenchmarkId::from_parameter(backend.name), |b| {
            b.to_async(&rt).iter(|| append(message(1)))
        });
        let next = AtomicU64::new(0);
        let keyed = format!("{}-keyed", backend.name);
        group.bench_function(BenchmarkId::from_parameter(keyed), |b| {
            b.to_async(&rt)
                .iter(|| append(message(1).key(format!("k{}", next.fetch_add(1, Relaxed)))))
        });
        let retried = message(1).key("retried");
        rt.block_on(append(retried.clone()));
        let retry = format!("{}-retry", backend.name);
        group.bench_function(BenchmarkId::from_parameter(retry), |b| {
            b.to_async(&rt).iter(|| append(retried.clone()))
        });
    }
    group.finish();
}

criterion_group!(
    benches,
    append_one,
    append_at_20000,
    append_batch10,
    append_keyed
);
criterion_main!(benches);
