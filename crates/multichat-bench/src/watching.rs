//! The stores of the watch latency benchmark (`benches/watch_latency.rs`): for each backend a
//! store that appends and a watch of the same session that a task of its own follows, as an
//! application's consumer would, handing over the time it got each message. In-process cells append
//! through the watching store itself; the others through a second store on the same data —
//! what another process is (its own connections, wake-ups and, for SQLite, change detector).

use std::any::Any;
use std::sync::Arc;
use std::time::{Duration, Instant};

use futures_util::StreamExt;
use multichat_core::{ChatStore, MemoryStore, NewSession, SessionId};
use multichat_json::{JsonConfig, JsonStore};
use multichat_postgres::{PostgresConfig, PostgresStore};
use multichat_redis::{RedisConfig, RedisStore};
use multichat_sqlite::{SqliteConfig, SqliteStore};
use multichat_testkit::{PostgresServer, RedisServer};
use tokio::sync::mpsc;

use crate::message;

/// A writer and the deliveries of a watch of its session.
pub struct Followed {
    /// The cell's name (`sqlite`, `sqlite-other-process`, …).
    pub name: &'static str,
    writer: Arc<dyn ChatStore>,
    id: SessionId,
    delivered: mpsc::UnboundedReceiver<Instant>,
    /// For a watch that a poll wakes: its interval, and the state of the pseudo-random phase
    /// at which the next append lands in it.
    spread: Option<(Duration, u64)>,
    _guard: Box<dyn Any + Send>,
}

impl Followed {
    /// Appends one message and returns when the store acknowledged it. A cell whose watch a
    /// poll wakes first waits a pseudo-random time of up to one interval (1 ms at least, so the
    /// watch's read after its last delivery is over), so its appends land at any phase of the
    /// poll, as other processes' appends do, not right after a poll.
    pub async fn write(&mut self) {
        if let Some((interval, state)) = &mut self.spread {
            *state ^= *state << 13;
            *state ^= *state >> 7;
            *state ^= *state << 17;
            let micros = 1_000 + *state % interval.as_micros() as u64;
            tokio::time::sleep(Duration::from_micros(micros)).await;
        }
        let appended = self.writer.append(&self.id, vec![message(1)], None).await;
        appended.expect("append");
    }

    /// When the watch delivered its next message to its consumer.
    pub async fn delivered(&mut self) -> Instant {
        self.delivered.recv().await.expect("the watch goes on")
    }
}

/// Session `id` created through `writer`, watched through `watcher` by a task of its own.
async fn follow(
    name: &'static str,
    writer: Arc<dyn ChatStore>,
    watcher: Arc<dyn ChatStore>,
    guard: Box<dyn Any + Send>,
) -> Followed {
    let id = SessionId::new("followed").expect("id");
    let created = writer.create_session(NewSession::new(id.clone())).await;
    created.expect("create");
    let mut watch = watcher.watch(id.clone(), 0);
    let (sender, delivered) = mpsc::unbounded_channel();
    tokio::spawn(async move {
        while let Some(Ok(_)) = watch.next().await {
            if sender.send(Instant::now()).is_err() {
                return;
            }
        }
    });
    Followed {
        name,
        writer,
        id,
        delivered,
        spread: None,
        _guard: guard,
    }
}

/// Every backend's cells.
pub async fn all() -> Vec<Followed> {
    let memory: Arc<dyn ChatStore> = Arc::new(MemoryStore::new());
    let mut all = vec![follow("memory", Arc::clone(&memory), memory, Box::new(())).await];
    all.extend(sqlite().await);
    let dir = tempfile::tempdir().expect("temp dir");
    let json: Arc<dyn ChatStore> = Arc::new(
        JsonStore::open(JsonConfig::new(dir.path()))
            .await
            .expect("open"),
    );
    all.push(follow("json", Arc::clone(&json), json, Box::new(dir)).await);
    all.push(redis().await);
    all.push(postgres().await);
    all
}

/// SQLite in one process (one store), and across two stores on one file.
async fn sqlite() -> [Followed; 2] {
    let mut cells = Vec::new();
    for (name, other) in [("sqlite", false), ("sqlite-other-process", true)] {
        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path().join("watch.db");
        let open = || SqliteStore::open(&path, SqliteConfig::default());
        let watcher: Arc<dyn ChatStore> = Arc::new(open().await.expect("open"));
        let writer: Arc<dyn ChatStore> = match other {
            true => Arc::new(open().await.expect("open a second store")),
            false => Arc::clone(&watcher),
        };
        let mut cell = follow(name, writer, watcher, Box::new(dir)).await;
        if other {
            cell.spread = Some((SqliteConfig::default().watch.poll, 0x9e37_79b9_7f4a_7c15));
        }
        cells.push(cell);
    }
    cells.try_into().ok().expect("two cells")
}

/// Two Redis stores on one server of its own.
async fn redis() -> Followed {
    let server = RedisServer::start().expect("redis-server is needed for the benchmarks");
    let url = server.url();
    let open = || RedisStore::connect(&url, RedisConfig::default());
    let watcher: Arc<dyn ChatStore> = Arc::new(open().await.expect("connect"));
    let writer: Arc<dyn ChatStore> = Arc::new(open().await.expect("connect"));
    follow("redis", writer, watcher, Box::new(server)).await
}

/// Two PostgreSQL stores on one server of its own.
async fn postgres() -> Followed {
    let server = PostgresServer::start().expect("PostgreSQL is needed for the benchmarks");
    let url = server.url();
    let open = || PostgresStore::connect(&url, PostgresConfig::default());
    let watcher: Arc<dyn ChatStore> = Arc::new(open().await.expect("connect"));
    let writer: Arc<dyn ChatStore> = Arc::new(open().await.expect("connect"));
    follow("postgres", writer, watcher, Box::new(server)).await
}
