//! Session benchmarks: the first page of 100 sessions out of 100,000 (2,000 with `--quick`),
//! and creating then deleting a session.

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

use criterion::{BenchmarkId, Criterion, criterion_group, criterion_main};
use multichat_bench::{backends, quick, raw_redis, raw_sqlite, seed_sessions};
use multichat_core::Clock;
use multichat_core::{NewSession, SessionId, SessionQuery};
use multichat_sqlite::{SqliteConfig, SqliteStore};
use redis::aio::ConnectionManager;
use rusqlite::{Connection, OpenFlags};
use tokio::runtime::Runtime;

fn first_page(c: &mut Criterion) {
    let rt = Runtime::new().expect("runtime");
    let total = if quick() { 2_000 } else { 100_000 };
    let mut group = c.benchmark_group(format!("list_100_of_{total}"));
    let all = rt.block_on(backends::all());
    for backend in &all {
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
    let (conn, _dir) = rt.block_on(raw_listing(total));
    let now = multichat_core::SystemClock.now().0;
    group.bench_function(BenchmarkId::from_parameter("raw-rusqlite"), |b| {
        b.iter(|| raw_sqlite::list_sessions(&conn, now, 100))
    });
    let url = all
        .iter()
        .find_map(|b| b.redis_url())
        .expect("the redis backend");
    let redis = rt.block_on(async {
        let client = redis::Client::open(url).expect("client");
        ConnectionManager::new(client).await.expect("connect")
    });
    group.bench_function(BenchmarkId::from_parameter("raw-redis"), |b| {
        b.to_async(&rt)
            .iter(|| raw_redis::list_sessions(&redis, "mc", 100))
    });
    group.finish();
}

/// A SQLite store of `total` sessions seeded like the others, closed, and a read-only
/// connection to its file: the raw `rusqlite` listing runs its one statement on it.
async fn raw_listing(total: usize) -> (Connection, tempfile::TempDir) {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("raw-list.db");
    let store = SqliteStore::open(&path, SqliteConfig::default())
        .await
        .expect("open");
    let store: Arc<dyn multichat_core::ChatStore> = Arc::new(store);
    seed_sessions(Arc::clone(&store), "list", total)
        .await
        .expect("seed");
    drop(store);
    let conn = Connection::open_with_flags(&path, OpenFlags::SQLITE_OPEN_READ_ONLY).expect("open");
    (conn, dir)
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
