//! `SessionHandle`: the convenience API for one session, as agent SDKs present a chat history:
//! add (creating the session from a template), compare-and-append, pop, clear; reading is in
//! `history.rs`.

use std::sync::Arc;

use crate::error::{Error, Result};
use crate::id::SessionId;
use crate::message::{Message, NewMessage};
use crate::new_session::NewSession;
use crate::store::ChatStore;

/// One session of a store. The session is created on the first write, from the handle's
/// template (title, participants, metadata, expiry); reading a session that does not exist yet
/// gives nothing.
///
/// ```
/// # tokio::runtime::Runtime::new().unwrap().block_on(async {
/// use std::sync::Arc;
/// use std::time::Duration;
/// use multichat_core::{Expiry, MemoryStore, NewMessage, NewSession, SessionHandle, SessionId};
///
/// let store = Arc::new(MemoryStore::new());
/// let template = NewSession::new(SessionId::new("chat-1")?)
///     .participants(["ana", "agent-7"])
///     .expiry(Expiry::idle(Duration::from_secs(86_400)));
/// let chat = SessionHandle::with_template(store.clone(), template);
/// chat.add(NewMessage::user("hi").sender("ana")).await?;
/// chat.add(NewMessage::assistant("hello!").sender("agent-7")).await?;
/// assert_eq!(chat.last(10).await?.len(), 2);
/// assert!(chat.add_if(vec![NewMessage::user("stale")], Some(1)).await.is_err());
/// assert_eq!(chat.pop().await?.unwrap().content, "hello!");
/// # Ok::<(), multichat_core::Error>(())
/// # }).unwrap();
/// ```
#[derive(Clone)]
pub struct SessionHandle {
    pub(crate) store: Arc<dyn ChatStore>,
    template: NewSession,
}

impl SessionHandle {
    /// A handle on session `id` of `store`; a session it creates has no title, participants,
    /// metadata or expiry (see [`SessionHandle::with_template`]).
    pub fn new(store: Arc<dyn ChatStore>, id: SessionId) -> Self {
        Self::with_template(store, NewSession::new(id))
    }

    /// A handle on session `template.id` of `store`; a session it creates is `template`.
    pub fn with_template(store: Arc<dyn ChatStore>, template: NewSession) -> Self {
        Self { store, template }
    }

    /// The session's id.
    pub fn id(&self) -> &SessionId {
        &self.template.id
    }

    /// Appends one message, creating the session if needed; returns its seq.
    pub async fn add(&self, message: NewMessage) -> Result<u64> {
        let seqs = self.append(vec![message], None).await?;
        Ok(seqs[0])
    }

    /// Appends a batch atomically, creating the session if needed; returns the seqs.
    pub async fn add_many(&self, messages: Vec<NewMessage>) -> Result<Vec<u64>> {
        self.append(messages, None).await
    }

    /// Appends a batch only if the session's `last_seq` is `expected_last_seq` (a session not
    /// created yet has 0): [`Error::Conflict`] otherwise, and nothing is appended. Creates the
    /// session if needed.
    pub async fn add_if(
        &self,
        messages: Vec<NewMessage>,
        expected_last_seq: Option<u64>,
    ) -> Result<Vec<u64>> {
        self.append(messages, expected_last_seq).await
    }

    async fn append(&self, messages: Vec<NewMessage>, expected: Option<u64>) -> Result<Vec<u64>> {
        match self
            .store
            .append(self.id(), messages.clone(), expected)
            .await
        {
            Err(Error::NotFound { .. }) => {}
            other => return other,
        }
        self.store
            .get_or_create_session(self.template.clone())
            .await?;
        self.store.append(self.id(), messages, expected).await
    }

    /// Removes and returns the last message.
    pub async fn pop(&self) -> Result<Option<Message>> {
        absent_as_default(self.store.pop(self.id()).await)
    }

    /// Removes every message; returns how many.
    pub async fn clear(&self) -> Result<u64> {
        absent_as_default(self.store.clear(self.id()).await)
    }
}

/// A missing session as its empty value (what a handle reads from a session not created yet).
pub(crate) fn absent_as_default<T: Default>(result: Result<T>) -> Result<T> {
    match result {
        Err(Error::NotFound { .. }) => Ok(T::default()),
        other => other,
    }
}
