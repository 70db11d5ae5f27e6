//! Sixteen raw `tokio-postgres` clients on one server, each appending to a session of its own
//! with the raw baseline's statements (`raw_postgres.rs`, here keyed by the session): what the
//! machine gives 16 concurrent appenders without the store, to set beside the store's 16 tasks.

use std::sync::Arc;
use std::time::{Duration, Instant};

use multichat_postgres::{PostgresConfig, PostgresStore};
use multichat_testkit::PostgresServer;
use tokio_postgres::{Client, NoTls, Statement};

/// One client, its session and its prepared statements (lock, insert, update).
struct Appender {
    client: Client,
    session: String,
    statements: [Statement; 3],
}

/// The clients, on a server of their own.
pub struct RawMany {
    appenders: Vec<Arc<Appender>>,
    _server: PostgresServer,
}

const SQL: [&str; 3] = [
    "SELECT version, last_seq, message_count FROM raw.sessions WHERE id = $1 FOR UPDATE",
    "INSERT INTO raw.messages VALUES ($1, $2, 'user', 'bench-user', $3, '{}', 0)",
    "UPDATE raw.sessions SET version = $2, last_seq = $3, message_count = $4, updated_at = 0 \
     WHERE id = $1",
];

impl RawMany {
    /// Starts a server with the store's schema `raw` and `n` clients, each with a session.
    pub async fn start(n: usize) -> Self {
        let server = PostgresServer::start().expect("PostgreSQL is needed for the benchmarks");
        let schema = PostgresConfig::default().schema("raw");
        let store = PostgresStore::connect(&server.url(), schema).await;
        store.expect("schema").close().await.expect("close");
        let mut appenders = Vec::new();
        for i in 0..n {
            let (client, connection) = tokio_postgres::connect(&server.url(), NoTls)
                .await
                .expect("connect");
            tokio::spawn(connection);
            let session = format!("r{i}");
            let create = "INSERT INTO raw.sessions VALUES ($1, NULL, '[]', '{}', 0, 0, NULL, NULL, \
                          NULL, 1, 0, 0)";
            client.execute(create, &[&session]).await.expect("session");
            let mut statements = Vec::new();
            for sql in SQL {
                statements.push(client.prepare(sql).await.expect("prepare"));
            }
            let statements = statements.try_into().expect("three statements");
            appenders.push(Arc::new(Appender {
                client,
                session,
                statements,
            }));
        }
        Self {
            appenders,
            _server: server,
        }
    }

    /// Every client appends `per_task` messages, each in its own task, all at once; the time
    /// it took.
    pub async fn append_steadily(&self, content: &str, per_task: u64) -> Duration {
        let started = Instant::now();
        let tasks: Vec<_> = self
            .appenders
            .iter()
            .map(|a| {
                let (a, content) = (Arc::clone(a), content.to_owned());
                tokio::spawn(async move {
                    for _ in 0..per_task {
                        a.append(&content).await;
                    }
                })
            })
            .collect();
        for task in tasks {
            task.await.expect("appender");
        }
        started.elapsed()
    }
}

impl Appender {
    /// The raw append: `BEGIN`, lock, insert, update, `COMMIT`, one statement at a time.
    async fn append(&self, content: &str) {
        let [lock, insert, update] = &self.statements;
        let id = &self.session;
        self.client.batch_execute("BEGIN").await.expect("begin");
        let row = self.client.query_one(lock, &[id]).await.expect("lock");
        let (version, last, count): (i64, i64, i64) = (row.get(0), row.get(1), row.get(2));
        let insert_params: [&(dyn tokio_postgres::types::ToSql + Sync); 3] =
            [id, &(last + 1), &content];
        self.client
            .execute(insert, &insert_params)
            .await
            .expect("insert");
        let counters = [&(version + 1), &(last + 1), &(count + 1)];
        let update_params: [&(dyn tokio_postgres::types::ToSql + Sync); 4] =
            [id, counters[0], counters[1], counters[2]];
        self.client
            .execute(update, &update_params)
            .await
            .expect("update");
        self.client.batch_execute("COMMIT").await.expect("commit");
    }
}
