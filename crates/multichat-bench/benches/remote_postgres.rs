//! The PostgreSQL targets that depend on distance, with the database behind a proxy that holds
//! every chunk 1 ms each way (`multichat_bench::remote`; ~4 ms a round trip with tokio's
//! timer): what a PostgreSQL server in another zone costs. On loopback a Redis round trip costs
//! what a PostgreSQL one does, so neither the hybrid's hit nor 16 tasks' overlap can show there;
//! here the store, the raw `tokio-postgres` client and Redis-over-PostgreSQL (Redis on loopback,
//! as an application's cache is) are measured through the same proxy in paired rounds
//! (`src/rounds.rs`).

use std::sync::Arc;
use std::time::Duration;

use criterion::measurement::WallTime;
use criterion::{Bencher, Criterion, criterion_group, criterion_main};
use multichat_bench::raw_postgres::RawPostgres;
use multichat_bench::rounds;
use multichat_bench::{append_steadily, backends, message, seed_session};
use multichat_core::{ChatStore, MessageQuery, SessionId};
use tokio::runtime::Runtime;

/// How long the proxy holds each chunk, each way.
const DELAY: Duration = Duration::from_millis(1);

/// The stores behind the proxy and their sessions.
struct Subjects {
    store: Arc<dyn ChatStore>,
    hybrid: Arc<dyn ChatStore>,
    /// The session read (100 messages) in the store and in the hybrid, the single appends',
    /// and the 16 of the concurrent appends.
    read: [SessionId; 2],
    appended: SessionId,
    sixteen: Vec<SessionId>,
    raw_read: RawPostgres,
    raw_append: RawPostgres,
    _guards: [backends::Backend; 2],
}

impl Subjects {
    async fn new() -> Self {
        let postgres = backends::postgres(Some(DELAY)).await;
        let hybrid = backends::hybrid_postgres(Some(DELAY)).await;
        let (store, cached) = (Arc::clone(&postgres.store), Arc::clone(&hybrid.store));
        let read = [
            seed_session(store.as_ref(), "h100", 100)
                .await
                .expect("seed"),
            seed_session(cached.as_ref(), "h100", 100)
                .await
                .expect("seed"),
        ];
        let appended = seed_session(store.as_ref(), "append", 0)
            .await
            .expect("seed");
        let mut sixteen = Vec::new();
        for i in 0..16 {
            let id = seed_session(store.as_ref(), &format!("c{i}"), 0).await;
            sixteen.push(id.expect("seed"));
        }
        let raw_read = RawPostgres::start_remote(DELAY).await;
        for i in 0..100 {
            raw_read.append(&message(i).content).await;
        }
        Self {
            store,
            hybrid: cached,
            read,
            appended,
            sixteen,
            raw_read,
            raw_append: RawPostgres::start_remote(DELAY).await,
            _guards: [postgres, hybrid],
        }
    }
}

/// The cells of a round, in their forward order: `(operation, who)`.
const CELLS: [(&str, &str); 6] = [
    ("last20_at_100", "remote-raw-postgres"),
    ("last20_at_100", "remote-postgres"),
    ("last20_at_100", "hybrid-redis-remote-postgres"),
    ("append_one", "remote-raw-postgres"),
    ("append_one", "remote-postgres"),
    ("append_16_tasks_steady", "remote-postgres"),
];

fn remote(c: &mut Criterion) {
    let rt = Runtime::new().expect("runtime");
    let subjects = rt.block_on(Subjects::new());
    // Ten samples: an append takes milliseconds here.
    rounds::run(c, &CELLS, 10, |b, cell| measure(b, &rt, &subjects, cell));
}

/// Measures cell `cell` of [`CELLS`].
fn measure(b: &mut Bencher<'_, WallTime>, rt: &Runtime, s: &Subjects, cell: usize) {
    let text = message(1).content;
    let mut b = b.to_async(rt);
    match cell {
        0 => b.iter(|| s.raw_read.last(20)),
        1 | 2 => b.iter(|| async {
            let store = [&s.store, &s.hybrid][cell - 1];
            store
                .read(&s.read[cell - 1], MessageQuery::last(20))
                .await
                .expect("read")
        }),
        3 => b.iter(|| s.raw_append.append(&text)),
        4 => b.iter(|| async {
            s.store
                .append(&s.appended, vec![message(1)], None)
                .await
                .expect("append")
        }),
        _ => b.iter_custom(|iters| append_steadily(&s.store, &s.sixteen, iters)),
    }
}

criterion_group!(benches, remote);
criterion_main!(benches);
