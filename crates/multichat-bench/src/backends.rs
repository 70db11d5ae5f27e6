//! The stores under benchmark, by name. Each backend issue adds its store here.

use std::any::Any;
use std::sync::Arc;
use std::time::Duration;

use multichat_core::{ChatStore, MemoryStore};
use multichat_hybrid::{HybridConfig, HybridStore};
use multichat_json::{Durability, JsonConfig, JsonStore};
use multichat_postgres::{PostgresConfig, PostgresStore};
use multichat_redis::{RedisConfig, RedisStore};
use multichat_sqlite::{SqliteConfig, SqliteStore, Synchronous};
use multichat_testkit::{PostgresServer, RedisServer};

use crate::remote::Delayed;

/// One store under benchmark, with whatever keeps it alive.
pub struct Backend {
    /// The name shown in the results (`memory`, `sqlite-normal`, …).
    pub name: &'static str,
    /// The store.
    pub store: Arc<dyn ChatStore>,
    _guard: Box<dyn Any>,
}

impl Backend {
    /// The URL of the Redis server this backend's store has to itself, if it has one (the
    /// `redis` backend): for a raw client reading the store's own keys.
    pub fn redis_url(&self) -> Option<String> {
        self._guard
            .downcast_ref::<RedisServer>()
            .map(RedisServer::url)
    }
}

/// Every backend, freshly opened and empty.
pub async fn all() -> Vec<Backend> {
    vec![
        Backend {
            name: "memory",
            store: Arc::new(MemoryStore::new()),
            _guard: Box::new(()),
        },
        sqlite("sqlite-normal", Synchronous::Normal).await,
        sqlite("sqlite-full", Synchronous::Full).await,
        json(Durability::Fsync).await,
        json(Durability::Flush).await,
        redis().await,
        postgres(None).await,
        hybrid().await,
        hybrid_postgres(None).await,
    ]
}

/// A PostgreSQL store on a server of its own (the test kit's harness), over TCP on loopback;
/// with `delay`, behind a [`Delayed`] proxy holding each chunk that long each way (a database on
/// another machine, named `remote-postgres`).
pub async fn postgres(delay: Option<Duration>) -> Backend {
    let (server, url) = postgres_server(delay);
    let store = PostgresStore::connect(&url, PostgresConfig::default())
        .await
        .expect("connect");
    Backend {
        name: if delay.is_some() {
            "remote-postgres"
        } else {
            "postgres"
        },
        store: Arc::new(store),
        _guard: Box::new(server),
    }
}

/// Redis in front of PostgreSQL, each on a server of its own; with `delay`, PostgreSQL behind a
/// [`Delayed`] proxy as in [`postgres`] (named `hybrid-redis-remote-postgres`).
pub async fn hybrid_postgres(delay: Option<Duration>) -> Backend {
    let redis = RedisServer::start().expect("redis-server is needed for the benchmarks");
    let fast = RedisStore::connect(&redis.url(), RedisConfig::default())
        .await
        .expect("connect");
    let (postgres, url) = postgres_server(delay);
    let durable = PostgresStore::connect(&url, PostgresConfig::default())
        .await
        .expect("connect");
    let store = HybridStore::new(fast, durable, HybridConfig::default());
    Backend {
        name: if delay.is_some() {
            "hybrid-redis-remote-postgres"
        } else {
            "hybrid-redis-postgres"
        },
        store: Arc::new(store),
        _guard: Box::new((redis, postgres)),
    }
}

/// A PostgreSQL server and the URL to reach it: its own, or with `delay` a proxy's.
fn postgres_server(delay: Option<Duration>) -> (PostgresServer, String) {
    let server = PostgresServer::start().expect("PostgreSQL is needed for the benchmarks");
    let url = match delay {
        None => server.url(),
        Some(delay) => Delayed::postgres_url(&server.url(), delay),
    };
    (server, url)
}

/// Redis in front of SQLite (NORMAL), each on its own server and file.
pub async fn hybrid() -> Backend {
    let server = RedisServer::start().expect("redis-server is needed for the benchmarks");
    let fast = RedisStore::connect(&server.url(), RedisConfig::default())
        .await
        .expect("connect");
    let dir = tempfile::tempdir().expect("temp dir");
    let durable = SqliteStore::open(dir.path().join("durable.db"), SqliteConfig::default())
        .await
        .expect("open sqlite");
    let store = HybridStore::new(fast, durable, HybridConfig::default());
    Backend {
        name: "hybrid-redis-sqlite",
        store: Arc::new(store),
        _guard: Box::new((server, dir)),
    }
}

/// A Redis store on a server of its own (the test kit's harness).
pub async fn redis() -> Backend {
    let server = RedisServer::start().expect("redis-server is needed for the benchmarks");
    let store = RedisStore::connect(&server.url(), RedisConfig::default())
        .await
        .expect("connect");
    Backend {
        name: "redis",
        store: Arc::new(store),
        _guard: Box::new(server),
    }
}

/// A JSON store in a fresh temp dir: `json` with `fsync` on every append (the default),
/// `json-flush` with [`Durability::Flush`] (written, not flushed to disk).
pub async fn json(durability: Durability) -> Backend {
    let dir = tempfile::tempdir().expect("temp dir");
    let store = JsonStore::open(JsonConfig::new(dir.path()).durability(durability))
        .await
        .expect("open json");
    Backend {
        name: if durability == Durability::Flush {
            "json-flush"
        } else {
            "json"
        },
        store: Arc::new(store),
        _guard: Box::new(dir),
    }
}

/// A SQLite store in a fresh temp dir with the given durability.
pub async fn sqlite(name: &'static str, synchronous: Synchronous) -> Backend {
    let dir = tempfile::tempdir().expect("temp dir");
    let config = SqliteConfig::default().synchronous(synchronous);
    let store = SqliteStore::open(dir.path().join("bench.db"), config)
        .await
        .expect("open sqlite");
    Backend {
        name,
        store: Arc::new(store),
        _guard: Box::new(dir),
    }
}
