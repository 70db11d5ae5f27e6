//! The statements on session rows that every operation shares: loading a session (whole, live,
//! or only its head), writing its row and participants, saving its counters, deleting it, and
//! inserting one message row. Each runs on the connection it is given, inside the caller's
//! transaction.

use std::sync::LazyLock;

use multichat_core::{Error, Message, Result, Session, SessionId, Timestamp};
use rusqlite::{Connection, OptionalExtension, params};

use crate::codec::{HEAD_SQL, SESSION_COLUMNS, expiry_columns, head_row, json, session};
use crate::error::db;

/// [`INSERT_MESSAGE_SQL`] that inserts nothing when the message's key is held.
const INSERT_NEW_KEY_SQL: &str = "INSERT INTO messages (session_id, seq, role, sender, content, \
     metadata, created_at, client_key, tokens) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9) \
     ON CONFLICT (session_id, client_key) WHERE client_key IS NOT NULL DO NOTHING";

/// The statement that stores one message.
pub const INSERT_MESSAGE_SQL: &str = "INSERT INTO messages (session_id, seq, role, sender, content, metadata, created_at, client_key, tokens) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)";

/// The statement that writes what appends, pops and clears change.
pub const SAVE_COUNTERS_SQL: &str = "UPDATE sessions SET updated_at = ?2, expires_at = ?3, version = ?4, last_seq = ?5, message_count = ?6 WHERE id = ?1";

/// The session row of `id`, live or expired.
pub fn load(conn: &Connection, id: &SessionId) -> Result<Option<Session>> {
    let sql = format!("SELECT {SESSION_COLUMNS} FROM sessions WHERE id = ?1");
    let mut stmt = conn.prepare_cached(&sql).map_err(db)?;
    stmt.query_row([id.as_str()], session)
        .optional()
        .map_err(db)?
        .transpose()
}

/// The live session `id`, or `NotFound`.
pub fn load_live(conn: &Connection, id: &SessionId, now: Timestamp) -> Result<Session> {
    match load(conn, id)? {
        Some(s) if !s.is_expired(now) => Ok(s),
        _ => Err(Error::not_found(id)),
    }
}

/// The live session `id` with only its times, expiry and counters, or `NotFound`.
pub fn load_head(conn: &Connection, id: &SessionId, now: Timestamp) -> Result<Session> {
    let mut stmt = conn.prepare_cached(HEAD_SQL).map_err(db)?;
    let found = stmt
        .query_row([id.as_str()], |row| head_row(row, id))
        .optional()
        .map_err(db)?;
    found
        .filter(|s| !s.is_expired(now))
        .ok_or_else(|| Error::not_found(id))
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

/// Writes what appends, pops and clears change.
pub fn save_counters(conn: &Connection, s: &Session) -> Result<()> {
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

/// Deletes the row of `id` (its messages and participants go with it: cascading keys).
pub fn delete_row(conn: &Connection, id: &SessionId) -> Result<()> {
    let mut stmt = conn
        .prepare_cached("DELETE FROM sessions WHERE id = ?1")
        .map_err(db)?;
    stmt.execute([id.as_str()]).map_err(db)?;
    Ok(())
}

/// Inserts `messages` as message rows of `id` (one prepared statement for all). A seq some
/// stored row already holds (a row past the session's counters, written by another program or a
/// partial restore) is `Corrupt` naming it.
pub fn insert_messages(conn: &Connection, id: &SessionId, messages: &[Message]) -> Result<()> {
    insert_rows(conn, id, messages, false).map(drop)
}

/// [`insert_messages`]; with `unless_key_held`, a keyed message whose key a stored message of
/// the session holds is not inserted and the answer is `false` (the rows before it are).
pub fn insert_rows(
    conn: &Connection,
    id: &SessionId,
    messages: &[Message],
    unless_key_held: bool,
) -> Result<bool> {
    let mut plain = conn.prepare_cached(INSERT_MESSAGE_SQL).map_err(db)?;
    let mut keyed = match unless_key_held {
        true => Some(conn.prepare_cached(INSERT_NEW_KEY_SQL).map_err(db)?),
        false => None,
    };
    for m in messages {
        let row = params![
            id.as_str(),
            m.seq as i64,
            m.role.as_str(),
            m.sender,
            m.content,
            json(&m.metadata),
            m.created_at.0,
            m.key,
            m.tokens
        ];
        let stmt = match (&mut keyed, &m.key) {
            (Some(keyed), Some(_)) => keyed,
            _ => &mut plain,
        };
        if stmt.execute(row).map_err(|e| taken(e, id, m))? == 0 {
            return Ok(false);
        }
    }
    Ok(true)
}

/// The error of a message insert: a taken key (only a restore can try one: an append resolves
/// keys first) is `InvalidInput`, a taken seq `Corrupt` naming it, the rest as [`db`].
fn taken(error: rusqlite::Error, id: &SessionId, m: &Message) -> Error {
    if error.sqlite_error_code() == Some(rusqlite::ErrorCode::ConstraintViolation) {
        if error.to_string().contains("client_key") {
            let reason = format!("another message of session {id} holds key {:?}", m.key);
            return Error::invalid(format!("message {}.key", m.seq), reason);
        }
        let place = format!("sqlite messages of session {id}, seq {}", m.seq);
        return Error::corrupt(place, "a stored message past last_seq holds this seq");
    }
    db(error)
}
