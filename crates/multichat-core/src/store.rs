//! The store traits every backend implements.

use std::sync::Arc;

use async_trait::async_trait;

use crate::error::{Error, Result};
use crate::id::SessionId;
use crate::message::{Message, NewMessage};
use crate::new_session::NewSession;
use crate::patch::SessionPatch;
use crate::query::{MessageQuery, Page, SessionQuery};
use crate::session::Session;
use crate::watch::{MessageStream, WatchConfig};

/// Sessions: create, read, update, delete, list and purge.
///
/// An expired session reads as absent everywhere: `get_session` returns `None`, updates and
/// appends fail with [`crate::Error::NotFound`], listings skip it, and a create with its id
/// succeeds (the old one is replaced).
#[async_trait]
pub trait SessionStore: Send + Sync {
    /// Creates a session; [`crate::Error::AlreadyExists`] if a live one has this id.
    async fn create_session(&self, new: NewSession) -> Result<Session>;

    /// The session, or `None` if it does not exist or has expired.
    async fn get_session(&self, id: &SessionId) -> Result<Option<Session>>;

    /// Applies `patch`; [`crate::Error::NotFound`] if absent, [`crate::Error::Conflict`] if the
    /// patch's expected version differs from the stored one.
    async fn update_session(&self, id: &SessionId, patch: SessionPatch) -> Result<Session>;

    /// Deletes the session and all its messages. Returns whether a live session was deleted;
    /// deleting an absent session is not an error.
    async fn delete_session(&self, id: &SessionId) -> Result<bool>;

    /// One page of sessions, newest `updated_at` first. Never loads messages.
    async fn list_sessions(&self, query: SessionQuery) -> Result<Page<Session>>;

    /// Removes every expired session with its messages; returns how many were removed.
    async fn purge_expired(&self) -> Result<u64>;

    /// The live session `new.id`, created from `new` (title, participants, metadata, expiry)
    /// when there is none; `true` when this call created it. Race-free across processes: of
    /// callers that find none at once, exactly one creates it and the others get what it
    /// created (a create is atomic on every backend).
    ///
    /// ```
    /// # tokio::runtime::Runtime::new().unwrap().block_on(async {
    /// use multichat_core::{MemoryStore, NewSession, SessionId, SessionStore};
    /// let store = MemoryStore::new();
    /// let new = NewSession::new(SessionId::new("a")?).participant("ana");
    /// let (session, created) = store.get_or_create_session(new.clone()).await?;
    /// assert!(created && session.participants == ["ana"]);
    /// let (_, created) = store.get_or_create_session(new).await?;
    /// assert!(!created);
    /// # Ok::<(), multichat_core::Error>(())
    /// # }).unwrap();
    /// ```
    async fn get_or_create_session(&self, new: NewSession) -> Result<(Session, bool)> {
        // A session deleted or expired between the create and the get is tried again, a bounded
        // number of times: a bug or a pathological churn ends in the last `AlreadyExists`.
        let mut last = None;
        for _ in 0..8 {
            if let Some(session) = self.get_session(&new.id).await? {
                return Ok((session, false));
            }
            match self.create_session(new.clone()).await {
                Ok(session) => return Ok((session, true)),
                Err(e @ Error::AlreadyExists { .. }) => last = Some(e),
                Err(e) => return Err(e),
            }
        }
        Err(last.unwrap_or(Error::AlreadyExists { id: new.id }))
    }
}

/// Messages of a session: append, read, pop and clear.
#[async_trait]
pub trait MessageStore: Send + Sync {
    /// Appends a batch atomically (all or nothing) and returns the assigned seqs, in order.
    /// With `expected_last_seq`, the append happens only if the session's `last_seq` equals it
    /// ([`crate::Error::Conflict`] otherwise).
    async fn append(
        &self,
        id: &SessionId,
        messages: Vec<NewMessage>,
        expected_last_seq: Option<u64>,
    ) -> Result<Vec<u64>>;

    /// Reads messages, always in chronological order.
    async fn read(&self, id: &SessionId, query: MessageQuery) -> Result<Vec<Message>>;

    /// Removes and returns the last message, or `None` if there is none. Its seq is not reused.
    async fn pop(&self, id: &SessionId) -> Result<Option<Message>>;

    /// Removes every message of the session and returns how many; seqs are not reused.
    async fn clear(&self, id: &SessionId) -> Result<u64>;

    /// Follows session `id`: every message with a seq above `after_seq`, first those stored,
    /// then each one appended later, in seq order, each once (semantics: the `watch` module,
    /// [`crate::follow`]). By default it reads after the last delivered seq and polls with
    /// [`WatchConfig::default`]; a store with change notifications does better.
    ///
    /// ```
    /// # tokio::runtime::Runtime::new().unwrap().block_on(async {
    /// use std::sync::Arc;
    /// use futures_util::StreamExt;
    /// use multichat_core::{MemoryStore, MessageStore, NewMessage, NewSession, SessionId, SessionStore};
    ///
    /// let store = Arc::new(MemoryStore::new());
    /// let id = SessionId::new("s")?;
    /// store.create_session(NewSession::new(id.clone())).await?;
    /// store.append(&id, vec![NewMessage::user("a"), NewMessage::user("b")], None).await?;
    /// let mut after_one = Arc::clone(&store).watch(id, 1);
    /// assert_eq!(after_one.next().await.transpose()?.map(|m| m.seq), Some(2));
    /// # Ok::<(), multichat_core::Error>(())
    /// # }).unwrap();
    /// ```
    fn watch(self: Arc<Self>, id: SessionId, after_seq: u64) -> MessageStream
    where
        Self: 'static,
    {
        crate::watch::follow(self, id, after_seq, WatchConfig::default())
    }
}

/// A complete store: what applications hold, as `Arc<dyn ChatStore>`. Every backend implements
/// it; `multichat::open(url)` gives one from a URL.
///
/// ```
/// # tokio::runtime::Runtime::new().unwrap().block_on(async {
/// use std::sync::Arc;
/// use multichat_core::{ChatStore, MemoryStore, MessageQuery, NewMessage, NewSession, SessionId};
///
/// async fn greet(store: &dyn ChatStore, id: &SessionId) -> multichat_core::Result<u64> {
///     store.get_or_create_session(NewSession::new(id.clone())).await?;
///     Ok(store.append(id, vec![NewMessage::system("be brief")], None).await?[0])
/// }
/// let store: Arc<dyn ChatStore> = Arc::new(MemoryStore::new());
/// let id = SessionId::new("a")?;
/// assert_eq!(greet(store.as_ref(), &id).await?, 1);
/// assert_eq!(store.read(&id, MessageQuery::last(5)).await?.len(), 1);
/// # Ok::<(), multichat_core::Error>(())
/// # }).unwrap();
/// ```
pub trait ChatStore: SessionStore + MessageStore {}

impl<T: SessionStore + MessageStore + ?Sized> ChatStore for T {}

/// Compile-time check that the traits stay dyn-compatible.
fn _object_safe(_: &dyn ChatStore) {}
