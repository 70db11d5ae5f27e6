//! `RestoreStore`: writing sessions and messages exactly as they were, for import and migration.

use async_trait::async_trait;

use crate::error::Result;
use crate::id::SessionId;
use crate::message::Message;
use crate::session::Session;
use crate::store::ChatStore;

/// A store that can take sessions and messages with their own times, versions and seqs (what
/// `multichat import` and `multichat migrate` use). Ordinary applications never need it.
///
/// A restore of one session is `restore_session` (any version; migration writes version 0 first
/// to mark the copy as incomplete), `restore_messages` in ascending pages, then
/// `restore_session` again with the final record.
#[async_trait]
pub trait RestoreStore: ChatStore {
    /// Writes `session` exactly — every field, counters included — creating it or replacing the
    /// record of a session with its id (its messages are kept).
    async fn restore_session(&self, session: Session) -> Result<()>;

    /// Adds `messages` to session `id` exactly (seqs, times), after every message it holds;
    /// the session record is not changed. Seqs must ascend and exceed the stored ones.
    async fn restore_messages(&self, id: &SessionId, messages: Vec<Message>) -> Result<()>;
}
