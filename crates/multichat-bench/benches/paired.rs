//! Paired rounds of the Redis store's performance targets (#5).
//!
//! A machine's speed drifts over seconds, and the main benchmarks measure a store's cell and its
//! baseline's cell with other cells in between, so one slow stretch can land on one side of a
//! ratio (what drift was measured: `docs/benchmarks.md`, "Design decisions"). Here each round measures, one right after the other: the raw append, the store's
//! append, 16 concurrent appends (steady, then as a burst: see `concurrency.rs`), then the store's
//! last-20 read and the raw `XREVRANGE` at 100 and at 20,000 messages; every other round in
//! reverse order, so a steady drift falls on both sides of each pair. `cargo xtask bench` reports, for each target, the median over rounds of the
//! round's ratio beside the ratio of the main cells.

use std::sync::Arc;

use criterion::measurement::WallTime;
use criterion::{Bencher, Criterion, criterion_group, criterion_main};
use multichat_bench::raw_redis::RawRedis;
use multichat_bench::rounds;
use multichat_bench::{append_concurrently, append_steadily, backends, message, seed_session};
use multichat_core::{ChatStore, MessageQuery, SessionId};
use tokio::runtime::Runtime;

/// What the rounds measure: one Redis store and the raw baselines, each on a server of its own.
struct Subjects {
    store: Arc<dyn ChatStore>,
    /// The session of the single appends, the 16 sessions of the concurrent ones, the sessions of
    /// 100 and 20,000 messages read.
    appended: SessionId,
    sixteen: Vec<SessionId>,
    read: [SessionId; 2],
    /// The raw append's stream, and the raw streams of 100 and 20,000 messages.
    raw_append: RawRedis,
    raw_read: [RawRedis; 2],
    _guard: backends::Backend,
}

const HISTORIES: [usize; 2] = [100, 20_000];

impl Subjects {
    async fn new() -> Self {
        let backend = backends::redis().await;
        let store = Arc::clone(&backend.store);
        let seed = |name: String, history| {
            let store = Arc::clone(&store);
            async move {
                seed_session(store.as_ref(), &name, history)
                    .await
                    .expect("seed")
            }
        };
        let appended = seed("append".into(), 0).await;
        let mut sixteen = Vec::new();
        for i in 0..16 {
            sixteen.push(seed(format!("c{i}"), 0).await);
        }
        let read = [
            seed("h100".into(), HISTORIES[0]).await,
            seed("h20000".into(), HISTORIES[1]).await,
        ];
        let raw_read = [raw_with(HISTORIES[0]).await, raw_with(HISTORIES[1]).await];
        Self {
            store,
            appended,
            sixteen,
            read,
            raw_append: RawRedis::start().await,
            raw_read,
            _guard: backend,
        }
    }
}

/// A raw baseline whose stream holds `history` messages.
async fn raw_with(history: usize) -> RawRedis {
    let raw = RawRedis::start().await;
    for i in 0..history {
        raw.append(&message(i).content).await;
    }
    raw
}

/// The cells of a round, in their forward order: `(operation, who)`.
const CELLS: [(&str, &str); 8] = [
    ("append_one", "raw-redis"),
    ("append_one", "redis"),
    ("append_16_tasks_steady", "redis"),
    ("append_16_tasks", "redis"),
    ("last20_at_100", "redis"),
    ("last20_at_100", "raw-redis"),
    ("last20_at_20000", "redis"),
    ("last20_at_20000", "raw-redis"),
];

fn paired(c: &mut Criterion) {
    let rt = Runtime::new().expect("runtime");
    let subjects = rt.block_on(Subjects::new());
    rounds::run(c, &CELLS, 100, |b, cell| measure(b, &rt, &subjects, cell));
}

/// Measures cell `cell` of [`CELLS`].
fn measure(b: &mut Bencher<'_, WallTime>, rt: &Runtime, s: &Subjects, cell: usize) {
    let text = message(1).content;
    let store = s.store.as_ref();
    let mut b = b.to_async(rt);
    match cell {
        0 => b.iter(|| s.raw_append.append(&text)),
        1 => b.iter(|| async {
            store
                .append(&s.appended, vec![message(1)], None)
                .await
                .expect("append")
        }),
        2 => b.iter_custom(|iters| append_steadily(&s.store, &s.sixteen, iters)),
        3 => b.iter(|| append_concurrently(&s.store, &s.sixteen)),
        4 | 6 => b.iter(|| async {
            store
                .read(&s.read[cell / 6], MessageQuery::last(20))
                .await
                .expect("read")
        }),
        _ => b.iter(|| s.raw_read[cell / 7].last(20)),
    }
}

criterion_group!(benches, paired);
criterion_main!(benches);
