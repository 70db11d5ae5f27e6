//! The raw `rusqlite` baseline: the same SQL as `multichat-sqlite` issues for an append (read the
//! session's counters, insert the message, update the counters) in one `BEGIN IMMEDIATE`
//! transaction per append, on the calling thread, with no async, validation or channel.

use rusqlite::{Connection, params};
use tempfile::TempDir;

/// A bare connection to a file with the multichat-like tables.
pub struct RawSqlite {
    conn: Connection,
    _dir: TempDir,
}

impl RawSqlite {
    /// Opens a fresh file with `synchronous` (`"NORMAL"` or `"FULL"`) and one session `s`.
    pub fn open(synchronous: &str) -> Self {
        let dir = tempfile::tempdir().expect("temp dir");
        let conn = Connection::open(dir.path().join("raw.db")).expect("open");
        conn.execute_batch(&format!(
            "PRAGMA journal_mode = WAL; PRAGMA synchronous = {synchronous}; PRAGMA foreign_keys = ON;
             CREATE TABLE sessions (id TEXT PRIMARY KEY, updated_at INTEGER, version INTEGER, last_seq INTEGER,
                 message_count INTEGER) WITHOUT ROWID;
             CREATE TABLE messages (session_id TEXT, seq INTEGER, role TEXT, sender TEXT, content TEXT, metadata TEXT,
                 created_at INTEGER, PRIMARY KEY (session_id, seq)) WITHOUT ROWID;
             INSERT INTO sessions VALUES ('s', 0, 1, 0, 0);"
        ))
        .expect("schema");
        Self { conn, _dir: dir }
    }

    /// Appends one message in its own transaction; returns its seq.
    pub fn append(&self, content: &str) -> u64 {
        self.conn.execute_batch("BEGIN IMMEDIATE").expect("begin");
        let mut read = self
            .conn
            .prepare_cached("SELECT last_seq FROM sessions WHERE id = 's'")
            .expect("prepare");
        let seq = read
            .query_row([], |r| r.get::<_, i64>(0))
            .expect("counters")
            + 1;
        let mut insert = self
            .conn
            .prepare_cached(
                "INSERT INTO messages VALUES ('s', ?1, 'user', 'bench-user', ?2, '{}', 0)",
            )
            .expect("prepare");
        insert.execute(params![seq, content]).expect("insert");
        let mut update = self
            .conn
            .prepare_cached("UPDATE sessions SET updated_at = 0, version = version + 1, last_seq = ?1, message_count = message_count + 1 WHERE id = 's'")
            .expect("prepare");
        update.execute([seq]).expect("update");
        self.conn.execute_batch("COMMIT").expect("commit");
        seq as u64
    }

    /// The last `n` messages' contents, oldest first.
    pub fn last(&self, n: usize) -> Vec<String> {
        let sql = "SELECT content FROM messages WHERE session_id = 's' ORDER BY seq DESC LIMIT ?1";
        let mut stmt = self.conn.prepare_cached(sql).expect("prepare");
        let mut out: Vec<String> = stmt
            .query_map([n as i64], |r| r.get(0))
            .expect("query")
            .map(|r| r.expect("row"))
            .collect();
        out.reverse();
        out
    }
}
