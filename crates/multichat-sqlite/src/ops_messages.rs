//! Message writes, run by the writer inside its transaction.

use multichat_core::{Message, NewMessage, Result, Session, SessionId, Timestamp};
use rusqlite::{Connection, OptionalExtension, params};

use crate::codec::{HEAD_SQL, MESSAGE_COLUMNS, head_row, json, message};
use crate::error::db;

/// Appends a validated batch to the live session `id`; returns the assigned seqs.
pub fn append(
    conn: &Connection,
    id: &SessionId,
    batch: Vec<NewMessage>,
    expected_last_seq: Option<u64>,
    now: Timestamp,
) -> Result<Vec<u64>> {
    let mut s = load_head(conn, id, now)?;
    s.check_last_seq(expected_last_seq)?;
    let first = s.record_append(batch.len() as u64, now)?;
    let mut stmt = conn.prepare_cached(INSERT_MESSAGE_SQL).map_err(db)?;
    let seqs: Vec<u64> = (first..first + batch.len() as u64).collect();
    for (m, seq) in batch.iter().zip(&seqs) {
        let row = params![
            id.as_str(),
            *seq as i64,
            m.role.as_str(),
            m.sender,
            m.content,
            json(&m.metadata),
            now.0
        ];
        stmt.execute(row).map_err(|e| taken_seq(e, id, *seq))?;
    }
    save_counters(conn, &s)?;
    Ok(seqs)
}

/// Removes and returns the last message of the live session `id`.
pub fn pop(conn: &Connection, id: &SessionId, now: Timestamp) -> Result<Option<Message>> {
    let mut s = load_head(conn, id, now)?;
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
    save_counters(conn, &s)?;
    Ok(Some(last))
}

/// Removes every message of the live session `id`; returns how many.
pub fn clear(conn: &Connection, id: &SessionId, now: Timestamp) -> Result<u64> {
    let mut s = load_head(conn, id, now)?;
    let highest: i64 = conn
        .prepare_cached("SELECT coalesce(max(seq), 0) FROM messages WHERE session_id = ?1")
        .and_then(|mut stmt| stmt.query_row([id.as_str()], |r| r.get(0)))
        .map_err(db)?;
    let mut stmt = conn
        .prepare_cached("DELETE FROM messages WHERE session_id = ?1")
        .map_err(db)?;
    let removed = stmt.execute([id.as_str()]).map_err(db)? as u64;
    s.record_clear(removed, u64::try_from(highest).unwrap_or(0), now)?;
    save_counters(conn, &s)?;
    Ok(removed)
}

/// The error of a message insert: a seq some stored row already holds (a row past the session's
/// counters, written by another program or a partial restore) is `Corrupt` naming it.
fn taken_seq(error: rusqlite::Error, id: &SessionId, seq: u64) -> multichat_core::Error {
    if error.sqlite_error_code() == Some(rusqlite::ErrorCode::ConstraintViolation) {
        let place = format!("sqlite messages of session {id}, seq {seq}");
        return multichat_core::Error::corrupt(
            place,
            "a stored message past last_seq holds this seq",
        );
    }
    db(error)
}

/// The live session `id` with only its times, expiry and counters, or `NotFound`.
fn load_head(conn: &Connection, id: &SessionId, now: Timestamp) -> Result<Session> {
    let mut stmt = conn.prepare_cached(HEAD_SQL).map_err(db)?;
    let found = stmt
        .query_row([id.as_str()], |row| head_row(row, id))
        .optional()
        .map_err(db)?;
    found
        .filter(|s| !s.is_expired(now))
        .ok_or_else(|| multichat_core::Error::not_found(id))
}

/// The statement that stores one message.
pub const INSERT_MESSAGE_SQL: &str = "INSERT INTO messages (session_id, seq, role, sender, content, metadata, created_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)";

/// The statement that writes what appends, pops and clears change.
pub const SAVE_COUNTERS_SQL: &str = "UPDATE sessions SET updated_at = ?2, expires_at = ?3, version = ?4, last_seq = ?5, message_count = ?6 WHERE id = ?1";

/// Writes what appends, pops and clears change.
fn save_counters(conn: &Connection, s: &Session) -> Result<()> {
    let mut stmt = conn.prepare_cached(SAVE_COUNTERS_SQL).map_err(db)?;
    let row = params![
        s.id.as_str(),
        s.updated_at.0,
        s.expires_at.map(|t| t.0),
        s.version as i64,
        s.last_seq as i64,
        s.message_count as i64
    ];
    stmt.execute(row).map_err(db)?;
    Ok(())
}
