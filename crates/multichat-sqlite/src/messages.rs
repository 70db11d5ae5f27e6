//! `MessageStore` for `SqliteStore`: an append, pop or clear is one job of the writer thread
//! (the session's head, the message rows and the counters in its group transaction); a read is
//! one range scan of the `(session_id, seq)` key on a reader connection.

use std::sync::Arc;

use async_trait::async_trait;
use multichat_core::{
    Message, MessageQuery, MessageStore, MessageStream, NewMessage, Result, SessionId, Timestamp,
};
use rusqlite::{Connection, OptionalExtension, params};

use crate::SqliteStore;
use crate::codec::{MESSAGE_COLUMNS, message};
use crate::error::db;
use crate::rows;

#[async_trait]
impl MessageStore for SqliteStore {
    async fn append(
        &self,
        id: &SessionId,
        messages: Vec<NewMessage>,
        expected_last_seq: Option<u64>,
    ) -> Result<Vec<u64>> {
        self.config.limits.check_batch(&messages)?;
        let (key, now) = (id.clone(), self.now());
        let (stored, seqs) = self
            .writer
            .call(move |conn| crate::keyed::append(conn, &key, messages, expected_last_seq, now))
            .await?;
        if !stored.is_empty() {
            self.changes.appended(id, &stored);
        }
        Ok(seqs)
    }

    async fn read(&self, id: &SessionId, query: MessageQuery) -> Result<Vec<Message>> {
        self.config.limits.check_read(&query)?;
        let (id, now) = (id.clone(), self.now());
        self.on_reader(move |conn| read(conn, &id, query, now))
            .await
    }

    async fn pop(&self, id: &SessionId) -> Result<Option<Message>> {
        let (id, now) = (id.clone(), self.now());
        self.writer.call(move |conn| pop(conn, &id, now)).await
    }

    async fn clear(&self, id: &SessionId) -> Result<u64> {
        let (id, now) = (id.clone(), self.now());
        self.writer.call(move |conn| clear(conn, &id, now)).await
    }

    /// Woken at once by this process's appends and deletes, and by the store's change detector
    /// within `config.watch.poll` of another process's writes and of an expiry.
    fn watch(self: Arc<Self>, id: SessionId, after_seq: u64) -> MessageStream {
        let config = crate::detector::watch_config(&self);
        let changes = Arc::clone(&self.changes);
        changes.follow(self, id, after_seq, config)
    }
}

/// The statements of the three reads. They have no `LIMIT`: the read takes its rows one by one
/// and stops after `limit` of them, which SQLite steps no further than that. A `LIMIT ?`
/// parameter made the same read of 20 rows 3.5–6 µs slower (`docs/benchmarks.md`, "Reads").
const LAST_SQL: &str = concat!(
    "SELECT ",
    message_columns!(),
    " FROM messages WHERE session_id = ?1 ORDER BY seq DESC"
);
const AFTER_SQL: &str = concat!(
    "SELECT ",
    message_columns!(),
    " FROM messages WHERE session_id = ?1 AND seq > ?2 ORDER BY seq ASC"
);
const BEFORE_SQL: &str = concat!(
    "SELECT ",
    message_columns!(),
    " FROM messages WHERE session_id = ?1 AND seq < ?2 ORDER BY seq DESC"
);

/// The messages `query` selects, in ascending seq order. Each form is one range scan of the
/// `(session_id, seq)` primary key: O(log n + limit). The session's head (no JSON) is read
/// first, in the same read transaction, for its existence and expiry.
fn read(
    conn: &Connection,
    id: &SessionId,
    query: MessageQuery,
    now: Timestamp,
) -> Result<Vec<Message>> {
    rows::load_head(conn, id, now)?;
    let clamp = |seq: u64| i64::try_from(seq).unwrap_or(i64::MAX);
    let (sql, bound, limit) = match query {
        MessageQuery::Last { n } | MessageQuery::Budget { limit: n, .. } => (LAST_SQL, None, n),
        MessageQuery::After { seq, limit } => (AFTER_SQL, Some(clamp(seq)), limit),
        MessageQuery::Before { seq, limit } => (BEFORE_SQL, Some(clamp(seq)), limit),
    };
    let mut stmt = conn.prepare_cached(sql).map_err(db)?;
    let rows = match bound {
        None => stmt.query_map(params![id.as_str()], message),
        Some(bound) => stmt.query_map(params![id.as_str(), bound], message),
    }
    .map_err(db)?;
    // A budget stops at the first row past it (the rows of a budget come newest first).
    let mut admit = query.admits();
    let mut found = rows
        .take(limit)
        .map(|r| r.map_err(db).and_then(std::convert::identity))
        .take_while(|m| m.as_ref().map_or(true, &mut admit))
        .collect::<Result<Vec<Message>>>()?;
    if !matches!(query, MessageQuery::After { .. }) {
        found.reverse();
    }
    Ok(query.window(found))
}

/// Removes and returns the last message of the live session `id`.
fn pop(conn: &Connection, id: &SessionId, now: Timestamp) -> Result<Option<Message>> {
    let mut s = rows::load_head(conn, id, now)?;
    let sql = format!(
        "SELECT {MESSAGE_COLUMNS} FROM messages WHERE session_id = ?1 ORDER BY seq DESC LIMIT 1"
    );
    let mut stmt = conn.prepare_cached(&sql).map_err(db)?;
    let Some(last) = stmt
        .query_row([id.as_str()], message)
        .optional()
        .map_err(db)?
        .transpose()?
    else {
        return Ok(None);
    };
    let mut delete = conn
        .prepare_cached("DELETE FROM messages WHERE session_id = ?1 AND seq = ?2")
        .map_err(db)?;
    delete
        .execute(params![id.as_str(), last.seq as i64])
        .map_err(db)?;
    s.record_removal(1, now)?;
    rows::save_counters(conn, &s)?;
    Ok(Some(last))
}

/// Removes every message of the live session `id`; returns how many.
fn clear(conn: &Connection, id: &SessionId, now: Timestamp) -> Result<u64> {
    let mut s = rows::load_head(conn, id, now)?;
    let highest: i64 = conn
        .prepare_cached("SELECT coalesce(max(seq), 0) FROM messages WHERE session_id = ?1")
        .and_then(|mut stmt| stmt.query_row([id.as_str()], |r| r.get(0)))
        .map_err(db)?;
    let mut stmt = conn
        .prepare_cached("DELETE FROM messages WHERE session_id = ?1")
        .map_err(db)?;
    let removed = stmt.execute([id.as_str()]).map_err(db)? as u64;
    s.record_clear(removed, u64::try_from(highest).unwrap_or(0), now)?;
    rows::save_counters(conn, &s)?;
    Ok(removed)
}
