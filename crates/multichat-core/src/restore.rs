//! `RestoreStore`: writing sessions and messages exactly as they were, for import and migration.

use std::collections::HashSet;

use async_trait::async_trait;

use crate::error::Error;
use crate::error::Result;
use crate::id::SessionId;
use crate::limits::Limits;
use crate::message::Message;
use crate::session::Session;
use crate::store::ChatStore;

/// A whole session to restore: its record and every message it holds, ascending.
#[derive(Debug, Clone, PartialEq)]
pub struct WholeSession {
    /// The record, exactly as it was.
    pub session: Session,
    /// Every message of the session, in ascending seq (at most `Limits::max_batch`).
    pub messages: Vec<Message>,
}

impl WholeSession {
    /// Checks `sessions` for one [`RestoreStore::restore_sessions`] call against `limits`:
    /// every record and its messages (ascending seqs up to its `last_seq`, sizes), and
    /// [`WholeSession::check_shape`]. `InvalidInput` naming the first one refused.
    pub fn check_all(sessions: &[WholeSession], limits: &Limits) -> Result<()> {
        Self::check_shape(sessions)?;
        for whole in sessions {
            limits.check_session(&whole.session)?;
            limits.check_restored(&whole.messages, 0, whole.session.last_seq)?;
        }
        Ok(())
    }

    /// What no store's limits change: no id twice, and every session's `message_count` equal to
    /// the messages given (they are all of its messages). `InvalidInput` naming the first
    /// session refused.
    pub fn check_shape(sessions: &[WholeSession]) -> Result<()> {
        if let Some(whole) = sessions
            .iter()
            .find(|w| w.session.message_count != w.messages.len() as u64)
        {
            let (id, count) = (&whole.session.id, whole.session.message_count);
            let reason = format!(
                "message_count is {count}, {} messages given",
                whole.messages.len()
            );
            return Err(Error::invalid(format!("session {id}"), reason));
        }
        let mut seen = HashSet::new();
        match sessions
            .iter()
            .map(|w| &w.session.id)
            .find(|id| !seen.insert(*id))
        {
            Some(id) => {
                let reason = "appears twice in one restore";
                Err(Error::invalid(format!("session {id}"), reason))
            }
            None => Ok(()),
        }
    }
}

/// A store that can take sessions and messages with their own times, versions and seqs (what
/// `multichat import` and `multichat migrate` use). Ordinary applications never need it.
///
/// A restore of one session is `restore_session` (any version; migration writes version 0 first
/// to mark the copy as incomplete), `restore_messages` in ascending pages, then
/// `restore_session` again with the final record; or, for sessions small enough to hold at once,
/// [`RestoreStore::restore_sessions`].
#[async_trait]
pub trait RestoreStore: ChatStore {
    /// Writes `session` exactly — every field, counters included — creating it or replacing the
    /// record of a session with its id (its messages are kept).
    async fn restore_session(&self, session: Session) -> Result<()>;

    /// Adds `messages` to session `id` exactly (seqs, times), after every message it holds;
    /// the session record is not changed. Seqs must ascend and exceed the stored ones.
    async fn restore_messages(&self, id: &SessionId, messages: Vec<Message>) -> Result<()>;

    /// The live records of `ids`, in their order (`None` where there is none): what an import
    /// plans each session against. The SQLite and PostgreSQL stores read them in one call; the
    /// default asks `get_session` for each.
    async fn existing(&self, ids: &[SessionId]) -> Result<Vec<Option<Session>>> {
        let mut found = Vec::with_capacity(ids.len());
        for id in ids {
            found.push(self.get_session(id).await?);
        }
        Ok(found)
    }

    /// Writes each of `sessions` whole, exactly as given, replacing any session stored under
    /// its id (its messages too): what an import does with sessions small enough to hold at
    /// once. The SQLite and PostgreSQL stores write the whole call in one transaction — an
    /// error means nothing was written. The default writes one session after the other the
    /// three-step way (`restore_session` at version 0, `restore_messages`, the final record),
    /// so an interrupted call leaves the unfinished session at version 0, which an import
    /// redoes. An id twice in one call, or a `message_count` that is not the number of messages
    /// given, is `InvalidInput` on every store, before anything is written.
    async fn restore_sessions(&self, sessions: Vec<WholeSession>) -> Result<()> {
        WholeSession::check_shape(&sessions)?;
        for whole in sessions {
            let id = whole.session.id.clone();
            self.delete_session(&id).await?;
            let mut provisional = whole.session.clone();
            provisional.version = 0;
            self.restore_session(provisional).await?;
            if !whole.messages.is_empty() {
                self.restore_messages(&id, whole.messages).await?;
            }
            self.restore_session(whole.session).await?;
        }
        Ok(())
    }
}
