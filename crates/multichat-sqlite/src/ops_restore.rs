//! Restores (import, migration): sessions and messages written exactly as given.

use std::sync::LazyLock;

use multichat_core::{Error, Limits, Message, Result, Session, SessionId};
use rusqlite::{Connection, OptionalExtension, params};

use crate::codec::{SESSION_COLUMNS, expiry_columns, json};
use crate::error::db;
use crate::ops_messages::INSERT_MESSAGE_SQL;

/// Inserts or replaces the record of `s` (its messages stay), and its participants.
pub fn restore_session(conn: &Connection, s: &Session) -> Result<()> {
    write_row(conn, s)?;
    replace_participants(conn, s)
}

/// Writes every column of the row of `s`, inserting it if it is new (creates, updates, restores).
pub fn write_row(conn: &Connection, s: &Session) -> Result<()> {
    let (kind, value) = expiry_columns(s.expiry);
    let mut stmt = conn.prepare_cached(&UPSERT_SQL).map_err(db)?;
    stmt.execute(params![
        s.id.as_str(),
        s.title,
        json(&s.participants),
        json(&s.metadata),
        s.created_at.0,
        s.updated_at.0,
        kind,
        value,
        s.expires_at.map(|t| t.0),
        s.version as i64,
        s.last_seq as i64,
        s.message_count as i64
    ])
    .map_err(db)?;
    Ok(())
}

/// The statement of [`write_row`], built once.
static UPSERT_SQL: LazyLock<String> = LazyLock::new(|| {
    let updates = SESSION_COLUMNS
        .split(", ")
        .skip(1)
        .map(|c| format!("{c} = excluded.{c}"))
        .collect::<Vec<_>>()
        .join(", ");
    format!(
        "INSERT INTO sessions ({SESSION_COLUMNS}) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12) \
         ON CONFLICT (id) DO UPDATE SET {updates}"
    )
});

/// Replaces the participant rows of `s` (the participant filter of listings reads them).
pub fn replace_participants(conn: &Connection, s: &Session) -> Result<()> {
    let mut delete = conn
        .prepare_cached("DELETE FROM session_participants WHERE session_id = ?1")
        .map_err(db)?;
    delete.execute([s.id.as_str()]).map_err(db)?;
    let sql = "INSERT INTO session_participants (participant, session_id) VALUES (?1, ?2)";
    let mut insert = conn.prepare_cached(sql).map_err(db)?;
    for p in &s.participants {
        insert.execute([p.as_str(), s.id.as_str()]).map_err(db)?;
    }
    Ok(())
}

/// Appends `messages` to `id` with their own seqs and times, after its stored ones.
pub fn restore_messages(
    conn: &Connection,
    id: &SessionId,
    messages: &[Message],
    limits: &Limits,
) -> Result<()> {
    let last_seq: i64 = conn
        .query_row(
            "SELECT last_seq FROM sessions WHERE id = ?1",
            [id.as_str()],
            |r| r.get(0),
        )
        .optional()
        .map_err(db)?
        .ok_or_else(|| Error::not_found(id))?;
    let max: i64 = conn
        .query_row(
            "SELECT coalesce(max(seq), 0) FROM messages WHERE session_id = ?1",
            [id.as_str()],
            |r| r.get(0),
        )
        .map_err(db)?;
    limits.check_restored(messages, max as u64, last_seq as u64)?;
    let mut stmt = conn.prepare_cached(INSERT_MESSAGE_SQL).map_err(db)?;
    for m in messages {
        let row = params![
            id.as_str(),
            m.seq as i64,
            m.role.as_str(),
            m.sender,
            m.content,
            json(&m.metadata),
            m.created_at.0
        ];
        stmt.execute(row).map_err(db)?;
    }
    Ok(())
}
