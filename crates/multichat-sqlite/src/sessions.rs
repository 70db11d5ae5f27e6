//! `SessionStore` for `SqliteStore`: writes run on the writer thread inside its group
//! transaction, reads on a reader connection.

use async_trait::async_trait;
use multichat_core::{
    Error, NewSession, Page, Result, Session, SessionId, SessionPatch, SessionQuery, SessionStore,
    Timestamp,
};
use rusqlite::Connection;

use crate::SqliteStore;
use crate::error::db;
use crate::{listing, rows};

#[async_trait]
impl SessionStore for SqliteStore {
    async fn create_session(&self, new: NewSession) -> Result<Session> {
        self.config.limits.check_new_session(&new)?;
        let now = self.now();
        self.writer.call(move |conn| create(conn, new, now)).await
    }

    async fn get_session(&self, id: &SessionId) -> Result<Option<Session>> {
        let (id, now) = (id.clone(), self.now());
        self.on_reader(move |conn| Ok(rows::load(conn, &id)?.filter(|s| !s.is_expired(now))))
            .await
    }

    async fn update_session(&self, id: &SessionId, patch: SessionPatch) -> Result<Session> {
        self.config.limits.check_patch(&patch)?;
        let (id, now) = (id.clone(), self.now());
        self.writer
            .call(move |conn| update(conn, &id, patch, now))
            .await
    }

    /// Deletes `id` (live or expired) with its messages; returns whether a live one was deleted.
    async fn delete_session(&self, id: &SessionId) -> Result<bool> {
        let (key, now) = (id.clone(), self.now());
        let live = self
            .writer
            .call(move |conn| {
                let live = rows::load(conn, &key)?.is_some_and(|s| !s.is_expired(now));
                rows::delete_row(conn, &key)?;
                Ok(live)
            })
            .await?;
        self.changes.touch(id);
        Ok(live)
    }

    async fn list_sessions(&self, query: SessionQuery) -> Result<Page<Session>> {
        let cursor = self.config.limits.check_list(&query)?;
        let now = self.now();
        self.on_reader(move |conn| listing::list(conn, &query, cursor, now))
            .await
    }

    async fn purge_expired(&self) -> Result<u64> {
        let now = self.now();
        let sql = "DELETE FROM sessions WHERE expires_at IS NOT NULL AND expires_at <= ?1";
        self.writer
            .call(move |conn| {
                let removed = conn
                    .prepare_cached(sql)
                    .and_then(|mut s| s.execute([now.0]))
                    .map_err(db)?;
                Ok(removed as u64)
            })
            .await
    }
}

/// Creates a session; an expired one with the same id is replaced.
fn create(conn: &Connection, new: NewSession, now: Timestamp) -> Result<Session> {
    if let Some(old) = rows::load(conn, &new.id)? {
        if !old.is_expired(now) {
            return Err(Error::AlreadyExists { id: new.id });
        }
        rows::delete_row(conn, &old.id)?;
    }
    let s = Session::create(new, now);
    rows::write_row(conn, &s)?;
    rows::replace_participants(conn, &s)?;
    Ok(s)
}

/// Applies a patch to the live session `id`.
fn update(
    conn: &Connection,
    id: &SessionId,
    patch: SessionPatch,
    now: Timestamp,
) -> Result<Session> {
    let mut s = rows::load_live(conn, id, now)?;
    let participants_changed = patch.participants.is_some();
    s.apply_patch(patch, now)?;
    rows::write_row(conn, &s)?;
    if participants_changed {
        rows::replace_participants(conn, &s)?;
    }
    Ok(s)
}
