//! A real outage: a workload over `Hybrid(Redis, SQLite)` and `Hybrid(Redis, PostgreSQL)` while
//! the Redis server is killed and restarted. No call fails, every acknowledged message is
//! readable afterwards, and no read returns a session version older than one acknowledged before
//! the read began.

use std::collections::HashMap;
use std::time::Duration;

use multichat_core::{
    ChatStore, MessageQuery, MessageStore, NewMessage, NewSession, SessionId, SessionStore,
};
use multichat_hybrid::{HybridConfig, HybridStore};
use multichat_postgres::{PostgresConfig, PostgresStore};
use multichat_redis::{RedisConfig, RedisStore};
use multichat_sqlite::{SqliteConfig, SqliteStore};
use multichat_testkit::{PostgresServer, RedisServer};

fn id(n: usize) -> SessionId {
    SessionId::new(format!("s{n}")).expect("id")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn killing_and_restarting_redis_over_sqlite_fails_no_call_and_serves_nothing_stale() {
    let dir = tempfile::tempdir().expect("tempdir");
    let durable = SqliteStore::open(dir.path().join("h.db"), SqliteConfig::default())
        .await
        .expect("sqlite");
    outage_over(durable).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn killing_and_restarting_redis_over_postgres_fails_no_call_and_serves_nothing_stale() {
    let Some(postgres) = PostgresServer::start() else {
        return;
    };
    let durable = PostgresStore::connect(&postgres.url(), PostgresConfig::default())
        .await
        .expect("postgres");
    outage_over(durable).await;
}

/// The workload over `Hybrid(Redis, durable)` while Redis is killed at step 60 and restarted at
/// step 150.
async fn outage_over<D: ChatStore>(durable: D) {
    let Some(mut server) = RedisServer::start() else {
        return;
    };
    let timeouts = RedisConfig::default()
        .connect_timeout(Duration::from_millis(100))
        .response_timeout(Duration::from_millis(100));
    let fast = RedisStore::connect(&server.url(), timeouts)
        .await
        .expect("redis");
    let config = HybridConfig::default()
        .window(10)
        .fast_timeout(Duration::from_millis(300))
        .backoff(3, Duration::from_millis(200));
    let hybrid = HybridStore::new(fast, durable, config);
    let mut acked_version: HashMap<usize, u64> = HashMap::new();
    let mut acked_messages: HashMap<usize, Vec<String>> = HashMap::new();
    for n in 0..5 {
        acked_version.insert(
            n,
            hybrid
                .create_session(NewSession::new(id(n)))
                .await
                .expect("create")
                .version,
        );
    }
    for step in 0..240 {
        if step == 60 {
            server.stop();
        }
        if step == 150 {
            server.restart();
        }
        let n = step % 5;
        let text = format!("step {step}");
        hybrid
            .append(&id(n), vec![NewMessage::user(text.clone())], None)
            .await
            .expect("append never fails");
        acked_messages.entry(n).or_default().push(text);
        let floor = hybrid
            .durable()
            .get_session(&id(n))
            .await
            .expect("durable")
            .expect("exists")
            .version;
        acked_version.insert(n, floor);
        let other = (step * 7 + 3) % 5;
        let before = acked_version[&other];
        let seen = hybrid
            .get_session(&id(other))
            .await
            .expect("get never fails")
            .expect("exists");
        assert!(
            seen.version >= before,
            "step {step}: read version {} < acknowledged {before}",
            seen.version
        );
        hybrid
            .read(&id(other), MessageQuery::last(5))
            .await
            .expect("read never fails");
    }
    for n in 0..5 {
        let all = hybrid
            .read(&id(n), MessageQuery::after(0, 1000))
            .await
            .expect("read");
        let contents: Vec<String> = all.into_iter().map(|m| m.content).collect();
        assert_eq!(
            contents, acked_messages[&n],
            "session {n} has every acknowledged message"
        );
    }
    assert!(hybrid.stats().fast_errors > 0, "the outage was seen");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_instances_over_one_redis_and_one_sqlite_file_never_read_stale() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("shared.db");
    let open = async || {
        SqliteStore::open(&path, SqliteConfig::default())
            .await
            .expect("sqlite")
    };
    two_instances_over([open().await, open().await]).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_instances_over_one_redis_and_one_postgres_database_never_read_stale() {
    let Some(postgres) = PostgresServer::start() else {
        return;
    };
    let open = async || {
        PostgresStore::connect(&postgres.url(), PostgresConfig::default())
            .await
            .expect("postgres")
    };
    two_instances_over([open().await, open().await]).await;
}

/// Two hybrid instances, each over its own handle on one shared durable store and one Redis:
/// a read through either never returns older than a write acknowledged through the other.
async fn two_instances_over<D: ChatStore>(durables: [D; 2]) {
    let Some(server) = RedisServer::start() else {
        return;
    };
    let mut instances = Vec::new();
    for durable in durables {
        let fast = RedisStore::connect(&server.url(), RedisConfig::default())
            .await
            .expect("redis");
        instances.push(HybridStore::new(
            fast,
            durable,
            HybridConfig::default().window(10),
        ));
    }
    for n in 0..3 {
        instances[0]
            .create_session(NewSession::new(id(n)))
            .await
            .expect("create");
    }
    for step in 0..90 {
        let (writer, reader) = (&instances[step % 2], &instances[(step + 1) % 2]);
        let n = step % 3;
        let seqs = writer
            .append(&id(n), vec![NewMessage::user(format!("m{step}"))], None)
            .await
            .expect("append");
        let acked = writer
            .durable()
            .get_session(&id(n))
            .await
            .expect("get")
            .expect("exists")
            .version;
        let seen = reader
            .get_session(&id(n))
            .await
            .expect("get")
            .expect("exists");
        assert!(
            seen.version >= acked,
            "step {step}: version {} < acknowledged {acked}",
            seen.version
        );
        let last = reader
            .read(&id(n), MessageQuery::last(1))
            .await
            .expect("read");
        assert_eq!(
            (last[0].seq, last[0].content.clone()),
            (seqs[0], format!("m{step}"))
        );
    }
    assert!(
        instances.iter().all(|h| h.stats().hits > 0),
        "both instances used the cache"
    );
}
