//! The raw `rusqlite` baseline: the same schema and the same SQL as `multichat-sqlite` issues for
//! an append (read the session's counters, insert the message, update the counters) in one
//! `BEGIN IMMEDIATE` transaction per append — on the calling thread, with no async, validation,
//! worker thread or group commit. What a hand-written rusqlite program storing the same data does.

use multichat_sqlite::sql::{
    HEAD_SQL, INSERT_MESSAGE_SQL, MESSAGE_COLUMNS, SAVE_COUNTERS_SQL, SCHEMA_V1, SCHEMA_V2,
    SESSION_COLUMNS,
};
use rusqlite::types::Value;
use rusqlite::{Connection, params};
use tempfile::TempDir;

/// A bare connection to a file with the multichat schema and one session `s`.
pub struct RawSqlite {
    conn: Connection,
    _dir: TempDir,
}

impl RawSqlite {
    /// Opens a fresh file with `synchronous` (`"NORMAL"` or `"FULL"`) and one session `s`.
    pub fn open(synchronous: &str) -> Self {
        let dir = tempfile::tempdir().expect("temp dir");
        let conn = Connection::open(dir.path().join("raw.db")).expect("open");
        let pragmas = format!(
            "PRAGMA journal_mode = WAL; PRAGMA synchronous = {synchronous}; PRAGMA foreign_keys = ON;"
        );
        conn.execute_batch(&pragmas).expect("pragmas");
        conn.execute_batch(SCHEMA_V1).expect("schema");
        conn.execute_batch(SCHEMA_V2).expect("schema v2");
        conn.execute_batch(
            "INSERT INTO sessions VALUES ('s', NULL, '[]', '{}', 0, 0, NULL, NULL, NULL, 1, 0, 0);",
        )
        .expect("session");
        Self { conn, _dir: dir }
    }

    /// Appends one message in its own transaction; returns its seq.
    pub fn append(&self, content: &str) -> u64 {
        self.conn.execute_batch("BEGIN IMMEDIATE").expect("begin");
        let mut head = self.conn.prepare_cached(HEAD_SQL).expect("prepare");
        let (version, last, count) = head
            .query_row(["s"], |r| {
                Ok((
                    r.get::<_, i64>(0)?,
                    r.get::<_, i64>(5)?,
                    r.get::<_, i64>(6)?,
                ))
            })
            .expect("counters");
        let mut insert = self
            .conn
            .prepare_cached(INSERT_MESSAGE_SQL)
            .expect("prepare");
        insert
            .execute(params![
                "s",
                last + 1,
                "user",
                "bench-user",
                content,
                "{}",
                0,
                Option::<String>::None,
                Option::<u32>::None
            ])
            .expect("insert");
        let mut update = self
            .conn
            .prepare_cached(SAVE_COUNTERS_SQL)
            .expect("prepare");
        update
            .execute(params![
                "s",
                0,
                Option::<i64>::None,
                version + 1,
                last + 1,
                count + 1
            ])
            .expect("update");
        self.conn.execute_batch("COMMIT").expect("commit");
        (last + 1) as u64
    }

    /// The last `n` messages' contents, oldest first.
    pub fn last(&self, n: usize) -> Vec<String> {
        let sql = "SELECT content FROM messages WHERE session_id = 's' ORDER BY seq DESC LIMIT ?1";
        let mut stmt = self.conn.prepare_cached(sql).expect("prepare");
        let rows = stmt.query_map([n as i64], |r| r.get(0)).expect("query");
        let mut out: Vec<String> = rows.map(|r| r.expect("row")).collect();
        out.reverse();
        out
    }

    /// The last `n` messages whole (every column, as SQLite gives them), oldest first: the
    /// statement form the store uses (no `LIMIT`, `n` rows taken), on the calling thread.
    pub fn last_rows(&self, n: usize) -> Vec<Vec<Value>> {
        let sql = format!(
            "SELECT {MESSAGE_COLUMNS} FROM messages WHERE session_id = 's' ORDER BY seq DESC"
        );
        let mut out = rows_of(&self.conn, &sql, [], n);
        out.reverse();
        out
    }

    /// Up to `n` whole messages after `seq`, oldest first, in the store's statement form.
    pub fn after_rows(&self, seq: u64, n: usize) -> Vec<Vec<Value>> {
        let sql = format!(
            "SELECT {MESSAGE_COLUMNS} FROM messages WHERE session_id = 's' AND seq > ?1 \
             ORDER BY seq ASC"
        );
        rows_of(&self.conn, &sql, [seq as i64], n)
    }
}

/// The first page of `limit` live sessions of the multichat database `conn`, newest first,
/// every column as SQLite gives it (no JSON parsed): one statement on the calling thread, what a
/// hand-written program listing the store's sessions runs.
pub fn list_sessions(conn: &Connection, now: i64, limit: usize) -> Vec<Vec<Value>> {
    let sql = format!(
        "SELECT {SESSION_COLUMNS} FROM sessions WHERE (expires_at IS NULL OR expires_at > ?1) \
         ORDER BY updated_at DESC, id ASC LIMIT {limit}"
    );
    rows_of(conn, &sql, [now], limit)
}

/// Up to `n` rows of `sql`, each row's columns as values.
fn rows_of<P: rusqlite::Params>(
    conn: &Connection,
    sql: &str,
    args: P,
    n: usize,
) -> Vec<Vec<Value>> {
    let mut stmt = conn.prepare_cached(sql).expect("prepare");
    let width = stmt.column_count();
    let rows = stmt
        .query_map(args, |r| (0..width).map(|i| r.get::<_, Value>(i)).collect())
        .expect("query");
    rows.take(n).map(|r| r.expect("row")).collect()
}
