//! `RestoreStore` for `SqliteStore` (import, migration): session rows and message rows written
//! exactly as given, each call one job of the writer thread (so all or nothing).

use async_trait::async_trait;
use multichat_core::{
    Error, Limits, Message, RestoreStore, Result, Session, SessionId, WholeSession,
};
use rusqlite::{Connection, OptionalExtension};

use crate::SqliteStore;
use crate::error::db;
use crate::rows;

#[async_trait]
impl RestoreStore for SqliteStore {
    /// Inserts or replaces the record of `session` (its messages stay), and its participants.
    async fn restore_session(&self, session: Session) -> Result<()> {
        self.config.limits.check_session(&session)?;
        self.writer
            .call(move |conn| {
                rows::write_row(conn, &session)?;
                rows::replace_participants(conn, &session)
            })
            .await
    }

    async fn restore_messages(&self, id: &SessionId, messages: Vec<Message>) -> Result<()> {
        let (id, limits) = (id.clone(), self.config.limits);
        self.writer
            .call(move |conn| restore_messages(conn, &id, &messages, &limits))
            .await
    }

    /// Every record in one call of a reader connection.
    async fn existing(&self, ids: &[SessionId]) -> Result<Vec<Option<Session>>> {
        let (ids, now) = (ids.to_vec(), self.now());
        self.on_reader(move |conn| {
            let live = |id| Ok(rows::load(conn, id)?.filter(|s| !s.is_expired(now)));
            ids.iter().map(live).collect()
        })
        .await
    }

    /// Every session of the call in one job of the writer: one savepoint, all or nothing.
    async fn restore_sessions(&self, sessions: Vec<WholeSession>) -> Result<()> {
        WholeSession::check_all(&sessions, &self.config.limits)?;
        let ids: Vec<SessionId> = sessions.iter().map(|w| w.session.id.clone()).collect();
        self.writer
            .call(move |conn| {
                for whole in &sessions {
                    let (session, id) = (&whole.session, &whole.session.id);
                    rows::delete_row(conn, id)?;
                    rows::write_row(conn, session)?;
                    rows::replace_participants(conn, session)?;
                    rows::insert_messages(conn, id, &whole.messages)?;
                }
                Ok(())
            })
            .await?;
        ids.iter().for_each(|id| self.changes.touch(id));
        Ok(())
    }
}

/// Appends `messages` to `id` with their own seqs and times, after its stored ones.
fn restore_messages(
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
    rows::insert_messages(conn, id, messages)
}
