//! `Message` (as stored) and `NewMessage` (as given to an append).

use serde::{Deserialize, Serialize};

use crate::role::Role;
use crate::session::Metadata;
use crate::time::Timestamp;

/// One stored message.
///
/// JSON shape (stable; also the export format):
/// `{"seq","role","sender","content","metadata","created_at"}`, plus `"key"` when the message
/// was appended with a client key ([`NewMessage::key`]) and `"tokens"` when it carries a token
/// count ([`NewMessage::tokens`]); absent otherwise, so older exports read the same.
///
/// ```
/// # tokio::runtime::Runtime::new().unwrap().block_on(async {
/// use multichat_core::{MemoryStore, MessageQuery, MessageStore, NewMessage, NewSession, Role};
/// use multichat_core::{SessionId, SessionStore};
///
/// let store = MemoryStore::new();
/// let id = SessionId::new("a")?;
/// store.create_session(NewSession::new(id.clone())).await?;
/// store.append(&id, vec![NewMessage::assistant("hello").sender("agent-7")], None).await?;
/// let m = &store.read(&id, MessageQuery::last(1)).await?[0];
/// assert_eq!((m.seq, &m.role, m.sender.as_deref()), (1, &Role::Assistant, Some("agent-7")));
/// # Ok::<(), multichat_core::Error>(())
/// # }).unwrap();
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Message {
    /// Position in the session: assigned by the store, from 1, strictly increasing, never reused.
    pub seq: u64,
    /// The author's role.
    pub role: Role,
    /// The participant who sent it, if known.
    pub sender: Option<String>,
    /// The text.
    pub content: String,
    /// A JSON object: tool calls, token usage, anything.
    pub metadata: Metadata,
    /// When the store accepted it.
    pub created_at: Timestamp,
    /// The client key it was appended with ([`NewMessage::key`]), unique within its session.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub key: Option<String>,
    /// Its token count, if given ([`NewMessage::tokens`]).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tokens: Option<u32>,
}

impl Message {
    /// Builds the stored form of `new` with its assigned `seq` and time.
    pub fn from_new(new: NewMessage, seq: u64, created_at: Timestamp) -> Self {
        Self {
            seq,
            role: new.role,
            sender: new.sender,
            content: new.content,
            metadata: new.metadata,
            created_at,
            key: new.key,
            tokens: new.tokens,
        }
    }
}

/// A message to append; the store assigns `seq` and `created_at`.
///
/// ```
/// use multichat_core::{NewMessage, Role};
/// let m = NewMessage::user("hello").sender("alice");
/// assert_eq!(m.role, Role::User);
/// assert_eq!(m.sender.as_deref(), Some("alice"));
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct NewMessage {
    /// The author's role.
    pub role: Role,
    /// The sending participant.
    pub sender: Option<String>,
    /// The text.
    pub content: String,
    /// A JSON object.
    pub metadata: Metadata,
    /// A client key making the append retry-safe ([`NewMessage::key`]).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub key: Option<String>,
    /// The token count [`crate::MessageQuery::Budget`] adds up ([`NewMessage::tokens`]).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tokens: Option<u32>,
}

impl NewMessage {
    /// A message with `role` and `content`, no sender, empty metadata.
    pub fn new(role: impl Into<Role>, content: impl Into<String>) -> Self {
        Self {
            role: role.into(),
            sender: None,
            content: content.into(),
            metadata: Metadata::new(),
            key: None,
            tokens: None,
        }
    }

    /// A user message.
    pub fn user(content: impl Into<String>) -> Self {
        Self::new(Role::User, content)
    }

    /// An assistant message.
    pub fn assistant(content: impl Into<String>) -> Self {
        Self::new(Role::Assistant, content)
    }

    /// A system message.
    pub fn system(content: impl Into<String>) -> Self {
        Self::new(Role::System, content)
    }

    /// A tool message.
    pub fn tool(content: impl Into<String>) -> Self {
        Self::new(Role::Tool, content)
    }

    /// Sets the sender.
    pub fn sender(mut self, sender: impl Into<String>) -> Self {
        self.sender = Some(sender.into());
        self
    }

    /// Sets the metadata object.
    pub fn metadata(mut self, metadata: Metadata) -> Self {
        self.metadata = metadata;
        self
    }

    /// Sets a client key (1 to [`crate::MAX_KEY_BYTES`] bytes, no control characters), unique
    /// within the session: appending a message whose key the session already holds, with the
    /// same role, sender, content and metadata, stores nothing and returns the seq it has, so
    /// an append retried after a lost reply never stores it twice (`docs/semantics.md`).
    ///
    /// ```
    /// # tokio::runtime::Runtime::new().unwrap().block_on(async {
    /// use multichat_core::{MemoryStore, MessageStore, NewMessage, NewSession, SessionId, SessionStore};
    ///
    /// let store = MemoryStore::new();
    /// let id = SessionId::new("a")?;
    /// store.create_session(NewSession::new(id.clone())).await?;
    /// let turn = NewMessage::user("hello").key("turn-1");
    /// assert_eq!(store.append(&id, vec![turn.clone()], None).await?, [1]);
    /// assert_eq!(store.append(&id, vec![turn], None).await?, [1], "a retry stores nothing");
    /// let other = NewMessage::user("bye").key("turn-1");
    /// assert!(store.append(&id, vec![other], None).await.is_err(), "same key, other content");
    /// # Ok::<(), multichat_core::Error>(())
    /// # }).unwrap();
    /// ```
    pub fn key(mut self, key: impl Into<String>) -> Self {
        self.key = Some(key.into());
        self
    }
}

impl From<&Message> for NewMessage {
    /// The content of a stored message, without its seq and time.
    fn from(m: &Message) -> Self {
        Self {
            role: m.role.clone(),
            sender: m.sender.clone(),
            content: m.content.clone(),
            metadata: m.metadata.clone(),
            key: m.key.clone(),
            tokens: m.tokens,
        }
    }
}
