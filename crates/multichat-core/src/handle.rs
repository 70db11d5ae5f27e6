//! `SessionHandle`: the convenience API for one session (add, last N, pop, clear).

use std::sync::Arc;

use crate::error::{Error, Result};
use crate::id::SessionId;
use crate::message::{Message, NewMessage};
use crate::new_session::NewSession;
use crate::query::MessageQuery;
use crate::store::ChatStore;

/// One session of a store, as agent SDKs present a chat history. The session is created on the
/// first [`add`](Self::add); reading a session that does not exist yet gives nothing.
///
/// ```
/// # tokio::runtime::Runtime::new().unwrap().block_on(async {
/// use std::sync::Arc;
/// use multichat_core::{MemoryStore, NewMessage, SessionHandle, SessionId};
/// let store = Arc::new(MemoryStore::new());
/// let chat = SessionHandle::new(store, SessionId::new("chat-1").unwrap());
/// chat.add(NewMessage::user("hi")).await.unwrap();
/// chat.add(NewMessage::assistant("hello!")).await.unwrap();
/// let last = chat.last(10).await.unwrap();
/// assert_eq!(last.len(), 2);
/// assert_eq!(chat.pop().await.unwrap().unwrap().content, "hello!");
/// # });
/// ```
#[derive(Clone)]
pub struct SessionHandle {
    store: Arc<dyn ChatStore>,
    id: SessionId,
}

impl SessionHandle {
    /// A handle on session `id` of `store`.
    pub fn new(store: Arc<dyn ChatStore>, id: SessionId) -> Self {
        Self { store, id }
    }

    /// The session's id.
    pub fn id(&self) -> &SessionId {
        &self.id
    }

    /// Appends one message, creating the session if needed; returns its seq.
    pub async fn add(&self, message: NewMessage) -> Result<u64> {
        let seqs = self.add_many(vec![message]).await?;
        Ok(seqs[0])
    }

    /// Appends a batch atomically, creating the session if needed; returns the seqs.
    pub async fn add_many(&self, messages: Vec<NewMessage>) -> Result<Vec<u64>> {
        match self.store.append(&self.id, messages.clone(), None).await {
            Err(Error::NotFound { .. }) => {}
            other => return other,
        }
        match self
            .store
            .create_session(NewSession::new(self.id.clone()))
            .await
        {
            Ok(_) | Err(Error::AlreadyExists { .. }) => {}
            Err(e) => return Err(e),
        }
        self.store.append(&self.id, messages, None).await
    }

    /// The last `n` messages in chronological order (empty if the session does not exist).
    pub async fn last(&self, n: usize) -> Result<Vec<Message>> {
        absent_as_default(self.store.read(&self.id, MessageQuery::last(n)).await)
    }

    /// Removes and returns the last message.
    pub async fn pop(&self) -> Result<Option<Message>> {
        absent_as_default(self.store.pop(&self.id).await)
    }

    /// Removes every message; returns how many.
    pub async fn clear(&self) -> Result<u64> {
        absent_as_default(self.store.clear(&self.id).await)
    }
}

fn absent_as_default<T: Default>(result: Result<T>) -> Result<T> {
    match result {
        Err(Error::NotFound { .. }) => Ok(T::default()),
        other => other,
    }
}
