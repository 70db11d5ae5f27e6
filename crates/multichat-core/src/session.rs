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
