//! Small sessions written whole, many to a call (`RestoreStore::restore_sessions`: one
//! transaction on SQLite and PostgreSQL), instead of three writes each: an import or a
//! migration of many short conversations is bound by transactions, not by bytes.

use multichat_core::{RestoreStore, Result, Session, WholeSession};

use crate::copy::Plan;
use crate::pages::PAGE;

/// The most sessions written in one call.
const MAX_SESSIONS: usize = 200;

/// Sessions waiting to be written whole, and their messages' count.
pub struct Batch<'a> {
    target: &'a dyn RestoreStore,
    pending: Vec<WholeSession>,
    messages: usize,
}

impl<'a> Batch<'a> {
    /// An empty batch for `target`.
    pub fn new(target: &'a dyn RestoreStore) -> Self {
        Self {
            target,
            pending: Vec::new(),
            messages: 0,
        }
    }

    /// Whether `session`, planned `plan`, is written whole: it is to be written, and its
    /// messages fit in one page.
    pub fn takes(plan: Plan, session: &Session) -> bool {
        matches!(plan, Plan::Write | Plan::Replace) && session.message_count <= PAGE as u64
    }

    /// Adds `whole`; writes the batch once it holds a page of messages or [`MAX_SESSIONS`]
    /// sessions. The ids of the sessions written.
    pub async fn push(&mut self, whole: WholeSession) -> Result<Vec<String>> {
        self.messages += whole.messages.len();
        self.pending.push(whole);
        if self.messages >= PAGE || self.pending.len() >= MAX_SESSIONS {
            return self.flush().await;
        }
        Ok(Vec::new())
    }

    /// Writes what the batch holds; the ids of the sessions written.
    pub async fn flush(&mut self) -> Result<Vec<String>> {
        let pending = std::mem::take(&mut self.pending);
        self.messages = 0;
        let ids = pending.iter().map(|w| w.session.id.to_string()).collect();
        if !pending.is_empty() {
            self.target.restore_sessions(pending).await?;
        }
        Ok(ids)
    }
}
