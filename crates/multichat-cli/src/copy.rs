//! Copying one session into a `RestoreStore`, idempotently: a session already present and equal
//! is skipped; otherwise any partial copy is deleted, a provisional record (version 0) is
//! written, then the messages page by page, then the final record. An interrupted copy leaves
//! version 0 behind, which the next run redoes.

use multichat_core::{Message, RestoreStore, Result, Session};

/// A copy in progress.
pub struct Copy<'a> {
    target: &'a dyn RestoreStore,
    session: Session,
    skip: bool,
}

impl<'a> Copy<'a> {
    /// Starts copying `session` into `target`.
    pub async fn begin(target: &'a dyn RestoreStore, session: Session) -> Result<Self> {
        let skip = target.get_session(&session.id).await?.as_ref() == Some(&session);
        if !skip {
            target.delete_session(&session.id).await?;
            let mut provisional = session.clone();
            provisional.version = 0;
            target.restore_session(provisional).await?;
        }
        Ok(Self {
            target,
            session,
            skip,
        })
    }

    /// Adds one page of messages (ascending).
    pub async fn page(&self, messages: Vec<Message>) -> Result<()> {
        if self.skip || messages.is_empty() {
            return Ok(());
        }
        self.target
            .restore_messages(&self.session.id, messages)
            .await
    }

    /// Writes the final record; returns whether anything was copied (false: it was already there).
    pub async fn finish(self) -> Result<bool> {
        if !self.skip {
            self.target.restore_session(self.session).await?;
        }
        Ok(!self.skip)
    }
}
