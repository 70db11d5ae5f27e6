//! The raw `rusqlite` baseline: the same schema and the same SQL as `multichat-sqlite` issues for
//! an append (read the session's counters, insert the message, update the counters) in one
//! `BEGIN IMMEDIATE` transaction per append — on the calling thread, with no async, validation,
//! worker thread or group commit. What a hand-written rusqlite program storing the same data does.

use multichat_sqlite::sql::{HEAD_SQL, INSERT_MESSAGE_SQL, SAVE_COUNTERS_SQL, SCHEMA_V1};
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
                0
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
}
