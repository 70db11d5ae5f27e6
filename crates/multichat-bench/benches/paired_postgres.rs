//! Paired rounds of the PostgreSQL store's performance targets (#17), as `paired.rs` does for
//! Redis: each round measures, one right after the other, the raw append and the store's, 16
//! concurrent appends (steady), then the store's last-20 read and the raw one at 100 and at
//! 20,000 messages; every other round in reverse order, so a steady drift of the machine falls on
//! both sides of each pair. `cargo xtask bench` reports the median over rounds of each round's
//! ratio beside the ratio of the main cells.

use std::sync::Arc;

use criterion::measurement::WallTime;
use criterion::{Bencher, Criterion, criterion_group, criterion_main};
use multichat_bench::raw_postgres::RawPostgres;
use multichat_bench::raw_postgres_many::RawMany;
use multichat_bench::rounds;
use multichat_bench::{append_steadily, backends, message, seed_session};
use multichat_core::{ChatStore, MessageQuery, SessionId};
use tokio::runtime::Runtime;

/// One PostgreSQL store and the raw baselines, each on a server of its own.
struct Subjects {
    store: Arc<dyn ChatStore>,
    /// The session of the single appends, the 16 of the concurrent ones, those of 100 and
    /// 20,000 messages read.
    appended: SessionId,
    sixteen: Vec<SessionId>,
    read: [SessionId; 2],
    /// The raw append's session, and the raw sessions of 100 and 20,000 messages.
    raw_append: RawPostgres,
    raw_read: [RawPostgres; 2],
    /// Sixteen raw clients on a server of their own, a session each.
    raw_sixteen: RawMany,
    _guard: backends::Backend,
}

const HISTORIES: [usize; 2] = [100, 20_000];

impl Subjects {
    async fn new() -> Self {
        let backend = backends::postgres(None).await;
        let store = Arc::clone(&backend.store);
        let appended = seed_session(store.as_ref(), "append", 0)
            .await
            .expect("seed");
        let mut sixteen = Vec::new();
        for i in 0..16 {
            sixteen.push(
                seed_session(store.as_ref(), &format!("c{i}"), 0)
                    .await
                    .expect("seed"),
            );
        }
        let mut read = Vec::new();
        let mut raw_read = Vec::new();
        for history in HISTORIES {
            read.push(
                seed_session(store.as_ref(), &format!("h{history}"), history)
                    .await
                    .expect("seed"),
            );
            let raw = RawPostgres::start().await;
            for i in 0..history {
                raw.append(&message(i).content).await;
            }
            raw_read.push(raw);
        }
        Self {
            store,
            appended,
            sixteen,
            read: read.try_into().expect("two sessions"),
            raw_append: RawPostgres::start().await,
            raw_read: raw_read.try_into().ok().expect("two baselines"),
            raw_sixteen: RawMany::start(16).await,
            _guard: backend,
        }
    }
}

/// The cells of a round, in their forward order: `(operation, who)`.
const CELLS: [(&str, &str); 8] = [
    ("append_one", "raw-postgres"),
    ("append_one", "postgres"),
    ("append_16_tasks_steady", "postgres"),
    ("append_16_tasks_steady", "raw-postgres"),
    ("last20_at_100", "postgres"),
    ("last20_at_100", "raw-postgres"),
    ("last20_at_20000", "postgres"),
    ("last20_at_20000", "raw-postgres"),
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
        3 => b.iter_custom(|iters| s.raw_sixteen.append_steadily(&text, iters)),
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
