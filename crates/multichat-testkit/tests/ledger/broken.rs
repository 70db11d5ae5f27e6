//! A store that breaks what it promises, the way the ledger must notice: it drops an
//! acknowledged append, stores one twice, or hands messages back out of order.

use std::sync::atomic::{AtomicUsize, Ordering};

use async_trait::async_trait;
use multichat_core::{
    MemoryStore, Message, MessageQuery, MessageStore, NewMessage, NewSession, Page, Result,
    Session, SessionId, SessionPatch, SessionQuery, SessionStore,
};

/// What the broken store does wrong, at its fourth append (or in every read).
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Breakage {
    None,
    /// Acknowledges the append with the next seq and stores nothing.
    Drop,
    /// Stores the batch twice and acknowledges the first copy.
    Duplicate,
    /// Hands the second and third message back swapped.
    Reorder,
}

/// A memory store broken by `breakage`.
pub struct Broken {
    pub inner: MemoryStore,
    pub breakage: Breakage,
    pub appends: AtomicUsize,
}

#[async_trait]
impl SessionStore for Broken {
    async fn create_session(&self, new: NewSession) -> Result<Session> {
        self.inner.create_session(new).await
    }
    async fn get_session(&self, id: &SessionId) -> Result<Option<Session>> {
        self.inner.get_session(id).await
    }
    async fn update_session(&self, id: &SessionId, patch: SessionPatch) -> Result<Session> {
        self.inner.update_session(id, patch).await
    }
    async fn delete_session(&self, id: &SessionId) -> Result<bool> {
        self.inner.delete_session(id).await
    }
    async fn list_sessions(&self, query: SessionQuery) -> Result<Page<Session>> {
        self.inner.list_sessions(query).await
    }
    async fn purge_expired(&self) -> Result<u64> {
        self.inner.purge_expired().await
    }
}

#[async_trait]
impl MessageStore for Broken {
    async fn append(
        &self,
        id: &SessionId,
        messages: Vec<NewMessage>,
        expected: Option<u64>,
    ) -> Result<Vec<u64>> {
        let fourth = self.appends.fetch_add(1, Ordering::SeqCst) == 3;
        match self.breakage {
            Breakage::Drop if fourth => {
                let s = self.inner.get_session(id).await?.expect("session");
                Ok(vec![s.last_seq + 1])
            }
            Breakage::Duplicate if fourth => {
                let first = self.inner.append(id, messages.clone(), expected).await?;
                self.inner.append(id, messages, None).await?;
                Ok(first)
            }
            _ => self.inner.append(id, messages, expected).await,
        }
    }
    async fn read(&self, id: &SessionId, query: MessageQuery) -> Result<Vec<Message>> {
        let mut read = self.inner.read(id, query).await?;
        if self.breakage == Breakage::Reorder && read.len() > 2 {
            let second = read[1].content.clone();
            read[1].content = std::mem::replace(&mut read[2].content, second);
        }
        Ok(read)
    }
    async fn pop(&self, id: &SessionId) -> Result<Option<Message>> {
        self.inner.pop(id).await
    }
    async fn clear(&self, id: &SessionId) -> Result<u64> {
        self.inner.clear(id).await
    }
}
