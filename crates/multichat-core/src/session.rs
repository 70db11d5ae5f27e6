//! `Session`: the record of one chat, and its `Expiry` policy.

use std::time::Duration;

use serde::{Deserialize, Serialize};

use crate::id::SessionId;
use crate::new_session::NewSession;
use crate::time::Timestamp;

pub use crate::metadata::Metadata;

/// When a session expires. Expiry is per session, never per message.
///
/// Serialized as `{"idle_ms": 60000}` or `{"at": 1764000000000}`.
///
/// ```
/// use std::time::Duration;
/// use multichat_core::{Expiry, NewSession, SessionId, Timestamp};
///
/// let idle = Expiry::idle(Duration::from_secs(3600)); // slides with every write
/// assert_eq!(idle.deadline(Timestamp(1000)), Timestamp(3_601_000));
/// let fixed = Expiry::at(Timestamp(5000)); // whatever is written
/// assert_eq!(fixed.deadline(Timestamp(1000)), Timestamp(5000));
/// let new = NewSession::new(SessionId::new("a").unwrap()).expiry(idle);
/// # drop(new);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Expiry {
    /// Expires this many milliseconds after the last write; every write slides it.
    IdleMs(u64),
    /// Expires at this absolute time, whatever is written.
    At(Timestamp),
}

impl Expiry {
    /// An idle time-to-live that each write to the session slides forward, at most
    /// [`crate::MAX_IDLE_MS`] (a longer one is that).
    pub fn idle(ttl: Duration) -> Self {
        let ms = u64::try_from(ttl.as_millis()).unwrap_or(u64::MAX);
        Self::IdleMs(ms.min(crate::bounds::MAX_IDLE_MS))
    }

    /// An absolute deadline.
    pub fn at(deadline: Timestamp) -> Self {
        Self::At(deadline)
    }

    /// The moment a session last written at `updated_at` expires under this policy.
    pub fn deadline(self, updated_at: Timestamp) -> Timestamp {
        match self {
            Self::IdleMs(ms) => updated_at.plus(Duration::from_millis(ms)),
            Self::At(t) => t,
        }
    }
}

/// One chat session as stored. Messages are not part of it; read them through
/// [`crate::MessageStore`].
///
/// JSON shape (stable; also the export format):
/// `{"id","title","participants","metadata","created_at","updated_at","expiry","expires_at","version","last_seq","message_count"}`.
///
/// ```
/// # tokio::runtime::Runtime::new().unwrap().block_on(async {
/// use multichat_core::{MemoryStore, MessageStore, NewMessage, NewSession, SessionId, SessionStore};
///
/// let store = MemoryStore::new();
/// let id = SessionId::new("a")?;
/// store.create_session(NewSession::new(id.clone()).title("Refund")).await?;
/// store.append(&id, vec![NewMessage::user("hi")], None).await?;
/// let s = store.get_session(&id).await?.expect("live");
/// assert_eq!((s.version, s.last_seq, s.message_count), (2, 1, 1));
/// assert!(s.updated_at >= s.created_at);
/// # Ok::<(), multichat_core::Error>(())
/// # }).unwrap();
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Session {
    /// The session's id.
    pub id: SessionId,
    /// An optional human title.
    pub title: Option<String>,
    /// The user or agent ids taking part, in the order given; used to filter listings.
    pub participants: Vec<String>,
    /// Free-form JSON object.
    pub metadata: Metadata,
    /// When the session was created.
    pub created_at: Timestamp,
    /// When the session or its messages were last written.
    pub updated_at: Timestamp,
    /// The expiry policy, if any.
    pub expiry: Option<Expiry>,
    /// When the session expires, computed from `expiry` and `updated_at`.
    pub expires_at: Option<Timestamp>,
    /// Starts at 1; increases by one on every change of the session or of its messages.
    pub version: u64,
    /// The highest seq ever assigned in this session (0 before the first message). Never decreases.
    pub last_seq: u64,
    /// How many messages the session holds now.
    pub message_count: u64,
}

impl AsRef<Session> for Session {
    fn as_ref(&self) -> &Session {
        self
    }
}

impl Session {
    /// The record of a session created from `new` at `now`: version 1, no messages.
    pub fn create(new: NewSession, now: Timestamp) -> Self {
        Self {
            expires_at: new.expiry.map(|e| e.deadline(now)),
            id: new.id,
            title: new.title,
            participants: new.participants,
            metadata: new.metadata,
            created_at: now,
            updated_at: now,
            expiry: new.expiry,
            version: 1,
            last_seq: 0,
            message_count: 0,
        }
    }

    /// True when the session has expired at `now`: it then reads as absent.
    pub fn is_expired(&self, now: Timestamp) -> bool {
        self.expires_at.is_some_and(|at| now >= at)
    }
}
