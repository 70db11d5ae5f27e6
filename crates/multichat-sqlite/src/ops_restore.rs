//! Restores (import, migration): sessions and messages written exactly as given.

use multichat_core::{Error, Limits, Message, Result, Session, SessionId};
use rusqlite::{Connection, OptionalExtension, params};

use crate::codec::{MESSAGE_COLUMNS, SESSION_COLUMNS, expiry_columns, json};
use crate::error::db;

/// Inserts or replaces the record of `s` (its messages stay), and its participants.
pub fn restore_session(conn: &Connection, s: &Session) -> Result<()> {
    let (kind, value) = expiry_columns(s.expiry);
    let updates = SESSION_COLUMNS
        .split(", ")
        .skip(1)
        .map(|c| format!("{c} = excluded.{c}"))
        .collect::<Vec<_>>()
        .join(", ");
    let sql = format!(
        "INSERT INTO sessions ({SESSION_COLUMNS}) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12) \
         ON CONFLICT (id) DO UPDATE SET {updates}"
    );
    conn.prepare_cached(&sql)
        .and_then(|mut stmt| {
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
        })
        .map_err(db)?;
    conn.execute(
        "DELETE FROM session_participants WHERE session_id = ?1",
        [s.id.as_str()],
    )
    .map_err(db)?;
    let mut insert = conn
        .prepare_cached(
            "INSERT INTO session_participants (participant, session_id) VALUES (?1, ?2)",
        )
        .map_err(db)?;
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
    let exists = conn
        .query_row(
            "SELECT 1 FROM sessions WHERE id = ?1",
            [id.as_str()],
            |_| Ok(()),
        )
        .optional()
        .map_err(db)?;
    exists.ok_or_else(|| Error::not_found(id))?;
    let max: i64 = conn
        .query_row(
            "SELECT coalesce(max(seq), 0) FROM messages WHERE session_id = ?1",
            [id.as_str()],
            |r| r.get(0),
        )
        .map_err(db)?;
    limits.check_restored(messages, max as u64)?;
    let sql = format!(
        "INSERT INTO messages (session_id, {MESSAGE_COLUMNS}) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)"
    );
    let mut stmt = conn.prepare_cached(&sql).map_err(db)?;
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
