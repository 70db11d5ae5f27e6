//! `SessionPatch`: a partial update of a session.

use serde::{Deserialize, Serialize};

use crate::session::{Expiry, Metadata};

/// A change to a session. Fields left `None` are kept; `Some` replaces. An update with an
/// expected version fails with [`crate::Error::Conflict`] when the stored version differs.
///
/// Every successful update, even an empty one, counts as a write: `version` increases by one and
/// `updated_at` moves to now (sliding an idle expiry).
///
/// ```
/// use multichat_core::SessionPatch;
/// let patch = SessionPatch::new().title(Some("Renamed".into())).expect_version(3);
/// assert_eq!(patch.expected_version, Some(3));
/// ```
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct SessionPatch {
    /// `Some(None)` clears the title, `Some(Some(t))` sets it.
    pub title: Option<Option<String>>,
    /// Replaces the participants.
    pub participants: Option<Vec<String>>,
    /// Replaces the metadata object.
    pub metadata: Option<Metadata>,
    /// `Some(None)` removes the expiry, `Some(Some(e))` sets it.
    pub expiry: Option<Option<Expiry>>,
    /// When set, the update applies only if the stored version equals it.
    pub expected_version: Option<u64>,
}

impl SessionPatch {
    /// An empty patch.
    pub fn new() -> Self {
        Self::default()
    }

    /// Sets (`Some`) or clears (`None`) the title.
    pub fn title(mut self, title: Option<String>) -> Self {
        self.title = Some(title);
        self
    }

    /// Replaces the participants.
    pub fn participants(mut self, participants: Vec<String>) -> Self {
        self.participants = Some(participants);
        self
    }

    /// Replaces the metadata.
    pub fn metadata(mut self, metadata: Metadata) -> Self {
        self.metadata = Some(metadata);
        self
    }

    /// Sets (`Some`) or removes (`None`) the expiry policy.
    pub fn expiry(mut self, expiry: Option<Expiry>) -> Self {
        self.expiry = Some(expiry);
        self
    }

    /// Applies the patch only if the stored version equals `version`.
    pub fn expect_version(mut self, version: u64) -> Self {
        self.expected_version = Some(version);
        self
    }
}
