//! The state transitions of a session, shared by every backend so that all agree exactly.

use crate::error::{ConflictKind, Error, Result};
use crate::new_session::NewSession;
use crate::patch::SessionPatch;
use crate::session::Session;
use crate::time::Timestamp;

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

    /// Records a write at `now`: `version` + 1, `updated_at` moves (never backwards), an idle
    /// expiry slides.
    pub fn touch(&mut self, now: Timestamp) {
        self.version += 1;
        self.updated_at = self.updated_at.max(now);
        self.expires_at = self.expiry.map(|e| e.deadline(self.updated_at));
    }

    /// Fails with [`Error::Conflict`] unless `expected` is absent or equals the stored version.
    pub fn check_version(&self, expected: Option<u64>) -> Result<()> {
        self.check(ConflictKind::Version, expected, self.version)
    }

    /// Fails with [`Error::Conflict`] unless `expected` is absent or equals `last_seq`.
    pub fn check_last_seq(&self, expected: Option<u64>) -> Result<()> {
        self.check(ConflictKind::LastSeq, expected, self.last_seq)
    }

    /// Applies a validated patch at `now` after checking its expected version.
    pub fn apply_patch(&mut self, patch: SessionPatch, now: Timestamp) -> Result<()> {
        self.check_version(patch.expected_version)?;
        if let Some(title) = patch.title {
            self.title = title;
        }
        if let Some(participants) = patch.participants {
            self.participants = participants;
        }
        if let Some(metadata) = patch.metadata {
            self.metadata = metadata;
        }
        if let Some(expiry) = patch.expiry {
            self.expiry = expiry;
        }
        self.touch(now);
        Ok(())
    }

    /// Records the append of `count` messages at `now`; returns the first assigned seq.
    pub fn record_append(&mut self, count: u64, now: Timestamp) -> u64 {
        let first = self.last_seq + 1;
        self.last_seq += count;
        self.message_count += count;
        self.touch(now);
        first
    }

    /// Records the removal of `count` messages at `now` (pop or clear); `last_seq` is kept, so a
    /// seq is never reused. Removing nothing is not a write.
    pub fn record_removal(&mut self, count: u64, now: Timestamp) {
        if count == 0 {
            return;
        }
        self.message_count -= count;
        self.touch(now);
    }

    fn check(&self, kind: ConflictKind, expected: Option<u64>, actual: u64) -> Result<()> {
        match expected {
            Some(expected) if expected != actual => Err(Error::Conflict {
                id: self.id.clone(),
                kind,
                expected,
                actual,
            }),
            _ => Ok(()),
        }
    }
}
