//! Session writes, run by the writer inside its transaction.

use multichat_core::{Error, NewSession, Result, Session, SessionId, SessionPatch, Timestamp};
use rusqlite::{Connection, OptionalExtension};

use crate::codec::{SESSION_COLUMNS, session};
use crate::error::db;
use crate::ops_restore::{replace_participants, restore_session, write_row};

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

/// Creates a session; an expired one with the same id is replaced.
pub fn create(conn: &Connection, new: NewSession, now: Timestamp) -> Result<Session> {
    if let Some(old) = load(conn, &new.id)? {
        if !old.is_expired(now) {
            return Err(Error::AlreadyExists { id: new.id });
        }
        delete_row(conn, &old.id)?;
    }
    let s = Session::create(new, now);
    restore_session(conn, &s)?;
    Ok(s)
}

/// Applies a patch to the live session `id`.
pub fn update(
    conn: &Connection,
    id: &SessionId,
    patch: SessionPatch,
    now: Timestamp,
) -> Result<Session> {
    let mut s = load_live(conn, id, now)?;
    let participants_changed = patch.participants.is_some();
    s.apply_patch(patch, now)?;
    write_row(conn, &s)?;
    if participants_changed {
        replace_participants(conn, &s)?;
    }
    Ok(s)
}

/// Deletes `id` (live or expired) with its messages; returns whether a live one was deleted.
pub fn delete(conn: &Connection, id: &SessionId, now: Timestamp) -> Result<bool> {
    let live = load(conn, id)?.is_some_and(|s| !s.is_expired(now));
    delete_row(conn, id)?;
    Ok(live)
}

/// Deletes every session expired at `now`; returns how many.
pub fn purge(conn: &Connection, now: Timestamp) -> Result<u64> {
    let sql = "DELETE FROM sessions WHERE expires_at IS NOT NULL AND expires_at <= ?1";
    let removed = conn
        .prepare_cached(sql)
        .and_then(|mut s| s.execute([now.0]))
        .map_err(db)?;
    Ok(removed as u64)
}

fn delete_row(conn: &Connection, id: &SessionId) -> Result<()> {
    let mut stmt = conn
        .prepare_cached("DELETE FROM sessions WHERE id = ?1")
        .map_err(db)?;
    stmt.execute([id.as_str()]).map_err(db)?;
    Ok(())
}
