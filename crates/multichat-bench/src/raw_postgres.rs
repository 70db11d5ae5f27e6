//! The raw `tokio-postgres` baseline: the same schema and the same statements as
//! `multichat-postgres` issues — an append locks the session row, inserts the message and updates
//! the counters in one transaction; a read of the last N is one indexed `SELECT` — on one
//! connection, with no pool, validation or core transitions. What a hand-written tokio-postgres
//! program storing the same data does.

use std::time::Duration;

use multichat_postgres::{PostgresConfig, PostgresStore};
use multichat_testkit::PostgresServer;
use tokio_postgres::{Client, NoTls, Statement};

use crate::remote::Delayed;

/// A connection to a server of its own holding the multichat schema `raw` and one session `s`.
pub struct RawPostgres {
    client: Client,
    statements: [Statement; 4],
    _server: PostgresServer,
}

impl RawPostgres {
    /// Starts a server, creates the schema (through the store, so it is the same) and session
    /// `s`, and prepares the statements.
    pub async fn start() -> Self {
        let server = PostgresServer::start().expect("PostgreSQL is needed for the benchmarks");
        let url = server.url();
        Self::connect(server, &url).await
    }

    /// [`RawPostgres::start`] with the client behind a [`Delayed`] proxy holding each chunk
    /// `delay` each way: a database on another machine.
    pub async fn start_remote(delay: Duration) -> Self {
        let server = PostgresServer::start().expect("PostgreSQL is needed for the benchmarks");
        let url = Delayed::postgres_url(&server.url(), delay);
        Self::connect(server, &url).await
    }

    async fn connect(server: PostgresServer, url: &str) -> Self {
        let config = PostgresConfig::default().schema("raw");
        let store = PostgresStore::connect(url, config).await.expect("schema");
        store.close().await.expect("close");
        let (client, connection) = tokio_postgres::connect(url, NoTls).await.expect("connect");
        tokio::spawn(connection);
        client
            .batch_execute(
                "INSERT INTO raw.sessions VALUES ('s', NULL, '[]', '{}', 0, 0, NULL, NULL, NULL, 1, 0, 0)",
            )
            .await
            .expect("session");
        let sql = [
            "SELECT version, last_seq, message_count FROM raw.sessions WHERE id = 's' FOR UPDATE",
            "INSERT INTO raw.messages VALUES ('s', $1, 'user', 'bench-user', $2, '{}', 0)",
            "UPDATE raw.sessions SET version = $1, last_seq = $2, message_count = $3, updated_at = 0 WHERE id = 's'",
            "SELECT seq, role, sender, content, metadata, created_at FROM raw.messages \
             WHERE session_id = 's' ORDER BY seq DESC LIMIT $1",
        ];
        let mut statements = Vec::new();
        for text in sql {
            statements.push(client.prepare(text).await.expect("prepare"));
        }
        Self {
            client,
            statements: statements.try_into().expect("four statements"),
            _server: server,
        }
    }

    /// Appends one message in its own transaction; returns its seq.
    pub async fn append(&self, content: &str) -> i64 {
        let [lock, insert, update, _] = &self.statements;
        self.client.batch_execute("BEGIN").await.expect("begin");
        let row = self.client.query_one(lock, &[]).await.expect("lock");
        let (version, last, count): (i64, i64, i64) = (row.get(0), row.get(1), row.get(2));
        self.client
            .execute(insert, &[&(last + 1), &content])
            .await
            .expect("insert");
        self.client
            .execute(update, &[&(version + 1), &(last + 1), &(count + 1)])
            .await
            .expect("update");
        self.client.batch_execute("COMMIT").await.expect("commit");
        last + 1
    }

    /// The last `n` messages, decoded to their contents.
    pub async fn last(&self, n: i64) -> Vec<String> {
        let rows = self
            .client
            .query(&self.statements[3], &[&n])
            .await
            .expect("read");
        rows.iter().rev().map(|r| r.get::<_, String>(3)).collect()
    }
}
