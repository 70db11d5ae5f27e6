//! What 1,000 watched sessions cost, per backend (issue #20): one store, 1,000 sessions, one
//! watch on each with a consumer task of its own (the application's), then what the store added
//! to the process and its server, how much CPU the process burns while nothing is written, and
//! how long 1,000 appends (one per session) take to reach their watchers.
//!
//! `cargo run --release -p multichat-bench --example watchers`

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use futures_util::StreamExt;
use multichat_bench::backends;
use multichat_core::{ChatStore, MemoryStore, NewMessage, NewSession, SessionId};
use multichat_testkit::{PostgresServer, RedisServer};

const WATCHED: usize = 1_000;

/// What the process uses now (Linux `/proc/self`).
#[derive(Clone, Copy)]
struct Usage {
    threads: i64,
    rss_kib: i64,
    cpu_ms: i64,
}

fn usage() -> Usage {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    let field = |name: &str| {
        let line = status.lines().find(|l| l.starts_with(name));
        let value = line.and_then(|l| l.split_whitespace().nth(1));
        value.and_then(|v| v.parse().ok()).unwrap_or(0)
    };
    let stat = std::fs::read_to_string("/proc/self/stat").unwrap_or_default();
    let after = stat.rsplit(')').next().unwrap_or_default();
    let ticks: Vec<i64> = after
        .split_whitespace()
        .filter_map(|v| v.parse().ok())
        .collect();
    // utime and stime are fields 14 and 15 of stat; after the name, 11 and 12 of these (the
    // state letter does not parse), in clock ticks of 10 ms.
    let cpu_ms = (ticks.get(10).unwrap_or(&0) + ticks.get(11).unwrap_or(&0)) * 10;
    Usage {
        threads: field("Threads:"),
        rss_kib: field("VmRSS:"),
        cpu_ms,
    }
}

/// The connections a server holds now and the commands (Redis) or transactions (PostgreSQL)
/// it has run, if the backend has one.
async fn server_state(server: &Server) -> (i64, i64) {
    match server {
        Server::None => (0, 0),
        Server::Redis(url) => {
            let client = redis::Client::open(url.as_str()).expect("client");
            let mut conn = client
                .get_multiplexed_async_connection()
                .await
                .expect("connect");
            let info: String = redis::cmd("INFO")
                .query_async(&mut conn)
                .await
                .expect("info");
            let field = |name: &str| {
                let line = info.lines().find_map(|l| l.strip_prefix(name));
                line.and_then(|v| v.trim().parse::<i64>().ok()).unwrap_or(0)
            };
            (
                field("connected_clients:") - 1,
                field("total_commands_processed:"),
            )
        }
        Server::Postgres(url) => {
            let connected = tokio_postgres::connect(url, tokio_postgres::NoTls).await;
            let (client, connection) = connected.expect("connect");
            tokio::spawn(connection);
            let sql = "SELECT (SELECT count(*) FROM pg_stat_activity \
                       WHERE backend_type = 'client backend'), \
                       (SELECT xact_commit FROM pg_stat_database WHERE datname = 'postgres')";
            let row = client.query_one(sql, &[]).await.expect("count");
            (row.get::<_, i64>(0) - 1, row.get::<_, i64>(1))
        }
    }
}

/// How a backend's server is reached, to count its connections.
enum Server {
    None,
    Redis(String),
    Postgres(String),
}

/// Watches 1,000 sessions of `store` and prints what that cost.
async fn measure(name: &str, store: Arc<dyn ChatStore>, server: Server) {
    let ids: Vec<SessionId> = (0..WATCHED)
        .map(|i| SessionId::new(format!("w{i}")).expect("id"))
        .collect();
    for id in &ids {
        store
            .create_session(NewSession::new(id.clone()))
            .await
            .expect("create");
    }
    let (before, (links, _), tasks) = (usage(), server_state(&server).await, alive_tasks());
    let delivered = Arc::new(AtomicU64::new(0));
    let mut consumers = tokio::task::JoinSet::new();
    for id in &ids {
        let (mut watch, delivered) = (
            Arc::clone(&store).watch(id.clone(), 0),
            Arc::clone(&delivered),
        );
        consumers.spawn(async move {
            while let Some(Ok(_)) = watch.next().await {
                delivered.fetch_add(1, Ordering::SeqCst);
            }
        });
    }
    tokio::time::sleep(Duration::from_secs(1)).await;
    let (watching, (_, work)) = (usage(), server_state(&server).await);
    tokio::time::sleep(Duration::from_secs(2)).await;
    let idle_cpu = (usage().cpu_ms - watching.cpu_ms) / 2;
    let store_tasks = alive_tasks() - tasks - WATCHED as i64;
    let (now_links, now_work) = server_state(&server).await;
    let (added_links, idle_work) = (now_links - links, (now_work - work) / 2);
    let started = Instant::now();
    for id in &ids {
        store
            .append(id, vec![NewMessage::user("hello")], None)
            .await
            .expect("append");
    }
    while delivered.load(Ordering::SeqCst) < WATCHED as u64
        && started.elapsed() < Duration::from_secs(60)
    {
        tokio::time::sleep(Duration::from_millis(1)).await;
    }
    consumers.shutdown().await; // the watches go with their consumers
    println!(
        "{name:<8} threads +{:<3} store tasks +{store_tasks:<3} server connections +{added_links:<3} \
         memory +{:>6} KiB ({:>5} B/watch)  idle: CPU {idle_cpu:>4} ms/s, server {idle_work:>5} \
         calls/s  {} of {WATCHED} appends delivered in {:?}",
        watching.threads - before.threads,
        watching.rss_kib - before.rss_kib,
        (watching.rss_kib - before.rss_kib) * 1024 / WATCHED as i64,
        delivered.load(Ordering::SeqCst),
        started.elapsed(),
    );
}

fn alive_tasks() -> i64 {
    tokio::runtime::Handle::current()
        .metrics()
        .num_alive_tasks() as i64
}

#[tokio::main]
async fn main() {
    measure("memory", Arc::new(MemoryStore::new()), Server::None).await;
    let sqlite = backends::sqlite("sqlite", multichat_sqlite::Synchronous::Normal).await;
    measure("sqlite", Arc::clone(&sqlite.store), Server::None).await;
    let json = backends::json(multichat_json::Durability::Fsync).await;
    measure("json", Arc::clone(&json.store), Server::None).await;
    let redis = RedisServer::start().expect("redis-server");
    let store = multichat_redis::RedisStore::connect(&redis.url(), Default::default())
        .await
        .expect("connect");
    measure("redis", Arc::new(store), Server::Redis(redis.url())).await;
    let postgres = PostgresServer::start().expect("PostgreSQL");
    let store = multichat_postgres::PostgresStore::connect(&postgres.url(), Default::default())
        .await
        .expect("connect");
    measure(
        "postgres",
        Arc::new(store),
        Server::Postgres(postgres.url()),
    )
    .await;
}
