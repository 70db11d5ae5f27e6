//! Stores of a given size for the scale benchmark (`benches/scale.rs`), filled by the database
//! itself — `rusqlite` in one transaction, or `INSERT … SELECT FROM generate_series` on the
//! server — with the stores' own schemas and columns: 10 million appends through any store would
//! take most of an hour. Session `s<7 digits>` number `i` is updated at `T0 + i` and holds
//! [`PER_SESSION`] messages.

use std::path::Path;
use std::sync::Arc;

use multichat_core::ChatStore;
use multichat_postgres::{PostgresConfig, PostgresStore};
use multichat_sqlite::sql::{MESSAGE_COLUMNS, SESSION_COLUMNS};
use multichat_sqlite::{SqliteConfig, SqliteStore};
use multichat_testkit::PostgresServer;
use rusqlite::{Connection, params};
use tokio_postgres::NoTls;

use crate::message;

/// Messages per session in every store of the scale benchmark.
pub const PER_SESSION: usize = 10;
/// When session 0 was last updated.
const T0: i64 = 1_764_000_000_000;

/// A SQLite store of `sessions` sessions in `dir` (its file made by the store, then filled).
pub async fn sqlite(dir: &Path, sessions: usize) -> Arc<dyn ChatStore> {
    let path = dir.join("scale.db");
    let created = SqliteStore::open(&path, SqliteConfig::default()).await;
    created.expect("create").close().await.expect("close");
    let filling = path.clone();
    tokio::task::spawn_blocking(move || fill_sqlite(&filling, sessions))
        .await
        .expect("fill");
    let store = SqliteStore::open(&path, SqliteConfig::default()).await;
    Arc::new(store.expect("open"))
}

fn fill_sqlite(path: &Path, sessions: usize) {
    let conn = Connection::open(path).expect("open");
    conn.execute_batch("PRAGMA synchronous = OFF; BEGIN")
        .expect("begin");
    let mut session = conn
        .prepare(&format!(
            "INSERT INTO sessions ({SESSION_COLUMNS}) VALUES \
             (?1, NULL, '[\"bench-user\"]', '{{}}', ?2, ?2, NULL, NULL, NULL, ?3, ?3, ?3)"
        ))
        .expect("prepare");
    let mut participant = conn
        .prepare(
            "INSERT INTO session_participants (participant, session_id) VALUES ('bench-user', ?1)",
        )
        .expect("prepare");
    let mut insert = conn
        .prepare(&format!(
            "INSERT INTO messages (session_id, {MESSAGE_COLUMNS}) \
             VALUES (?1, ?2, 'user', 'bench-user', ?3, '{{}}', ?4, NULL, NULL)"
        ))
        .expect("prepare");
    let content = message(0).content;
    for i in 0..sessions {
        let (id, at) = (format!("s{i:07}"), T0 + i as i64);
        let count = PER_SESSION as i64;
        session.execute(params![id, at, count]).expect("session");
        participant.execute([&id]).expect("participant");
        for seq in 1..=count {
            let row = params![id, seq, content, at];
            insert.execute(row).expect("message");
        }
    }
    drop((session, participant, insert));
    conn.execute_batch("COMMIT").expect("commit");
}

/// A PostgreSQL store of `sessions` sessions in schema `schema` of `server` (its tables made by
/// the store, then filled by three set-based statements and analyzed).
pub async fn postgres(
    server: &PostgresServer,
    schema: &str,
    sessions: usize,
) -> Arc<dyn ChatStore> {
    let config = PostgresConfig::default().schema(schema);
    let store = PostgresStore::connect(&server.url(), config)
        .await
        .expect("connect");
    let (client, connection) = tokio_postgres::connect(&server.url(), NoTls)
        .await
        .expect("connect");
    tokio::spawn(connection);
    let (last, content) = (sessions as i64 - 1, message(0).content.replace('\'', "''"));
    let id = "'s' || lpad(i::text, 7, '0')";
    let fill = format!(
        "INSERT INTO {schema}.sessions (id, title, participants, metadata, created_at, \
           updated_at, idle_ms, deadline, expires_at, version, last_seq, message_count) \
         SELECT {id}, NULL, '[\"bench-user\"]', '{{}}', {T0} + i, {T0} + i, NULL, NULL, NULL, \
           {n}, {n}, {n} FROM generate_series(0, {last}) i; \
         INSERT INTO {schema}.participants (session_id, participant, updated_at) \
         SELECT {id}, 'bench-user', {T0} + i FROM generate_series(0, {last}) i; \
         INSERT INTO {schema}.messages (session_id, seq, role, sender, content, metadata, \
           created_at) \
         SELECT {id}, q, 'user', 'bench-user', '{content}', '{{}}', {T0} + i \
         FROM generate_series(0, {last}) i, generate_series(1, {n}) q; \
         ANALYZE {schema}.sessions; ANALYZE {schema}.participants; ANALYZE {schema}.messages;",
        n = PER_SESSION,
    );
    client.batch_execute(&fill).await.expect("fill");
    Arc::new(store)
}
