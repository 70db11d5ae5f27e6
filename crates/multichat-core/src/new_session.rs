//! `NewSession`: what a caller gives to create a session.

use serde::{Deserialize, Serialize};

use crate::id::SessionId;
use crate::session::{Expiry, Metadata};

/// The fields of a session to create; the store fills in times, version and counters.
///
/// ```
/// use std::time::Duration;
/// use multichat_core::{Expiry, NewSession, SessionId};
/// let new = NewSession::new(SessionId::new("s1").unwrap())
///     .title("Support")
///     .participant("alice")
///     .participant("agent-7")
///     .expiry(Expiry::idle(Duration::from_secs(3600)));
/// assert_eq!(new.participants, ["alice", "agent-7"]);
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct NewSession {
    /// The id of the session to create.
    pub id: SessionId,
    /// An optional title.
    pub title: Option<String>,
    /// Participant ids (no duplicates).
    pub participants: Vec<String>,
    /// A JSON object.
    pub metadata: Metadata,
    /// The expiry policy.
    pub expiry: Option<Expiry>,
}

impl NewSession {
    /// A session with only an id.
    pub fn new(id: SessionId) -> Self {
        Self {
            id,
            title: None,
            participants: Vec::new(),
            metadata: Metadata::new(),
            expiry: None,
        }
    }

    /// Sets the title.
    pub fn title(mut self, title: impl Into<String>) -> Self {
        self.title = Some(title.into());
        self
    }

    /// Adds one participant.
    pub fn participant(mut self, participant: impl Into<String>) -> Self {
        self.participants.push(participant.into());
        self
    }

    /// Replaces the participants.
    pub fn participants<I, S>(mut self, participants: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        self.participants = participants.into_iter().map(Into::into).collect();
        self
    }

    /// Sets the metadata object.
    pub fn metadata(mut self, metadata: Metadata) -> Self {
        self.metadata = metadata;
        self
    }

    /// Sets the expiry policy.
    pub fn expiry(mut self, expiry: Expiry) -> Self {
        self.expiry = Some(expiry);
        self
    }
}
