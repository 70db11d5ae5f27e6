//! The state transitions of a session, shared by every backend so that all agree exactly.

use crate::error::{ConflictKind, Error, Result};
use crate::patch::SessionPatch;
use crate::session::Session;
use crate::stored::Times;
use crate::time::Timestamp;

impl Session {
    /// Records a write at `now`: `version` + 1, `updated_at` moves (never backwards), an idle
    /// expiry slides. A version already at [`crate::MAX_COUNTER`] is [`Error::Corrupt`] and
    /// changes nothing.
    pub fn touch(&mut self, now: Timestamp) -> Result<()> {
        self.version = self.counter_plus("version", self.version, 1)?;
        let times = self.times_after_write(now);
        (self.updated_at, self.expires_at) = (times.updated_at, times.expires_at);
        Ok(())
    }

    /// The times after a write at `now`: `updated_at` never moves backwards, an idle expiry
    /// slides from it.
    pub(crate) fn times_after_write(&self, now: Timestamp) -> Times {
        let updated_at = self.updated_at.max(now);
        Times {
            created_at: self.created_at,
            updated_at,
            expires_at: self.expiry.map(|e| e.deadline(updated_at)),
        }
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
        self.counter_plus("version", self.version, 1)?;
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
        self.touch(now)
    }

    /// Records the removal of `count` messages at `now` (a pop); `last_seq` is kept, so a seq is
    /// never reused. Removing nothing is not a write. Removing more than `message_count` says is
    /// [`Error::Corrupt`] and changes nothing.
    pub fn record_removal(&mut self, count: u64, now: Timestamp) -> Result<()> {
        if count == 0 {
            return Ok(());
        }
        let Some(left) = self.message_count.checked_sub(count) else {
            let reason = format!("message_count {} but {count} removed", self.message_count);
            return Err(self.corrupt(reason));
        };
        self.counter_plus("version", self.version, 1)?;
        self.message_count = left;
        self.touch(now)
    }

    /// Records a clear at `now` that removed `removed` messages, the highest of seq `highest`:
    /// none are left, whatever the counters said, and `last_seq` covers every removed seq, so a
    /// session whose counters disagreed with its messages is usable again. Removing nothing is
    /// not a write.
    pub fn record_clear(&mut self, removed: u64, highest: u64, now: Timestamp) -> Result<()> {
        if removed == 0 && self.message_count == 0 {
            return Ok(());
        }
        self.counter_plus("version", self.version, 1)?;
        self.message_count = 0;
        self.last_seq = self.last_seq.max(highest.min(crate::bounds::MAX_COUNTER));
        self.touch(now)
    }

    /// `value + n`, or [`Error::Corrupt`] naming the session when it passes the ceiling.
    pub(crate) fn counter_plus(&self, what: &str, value: u64, n: u64) -> Result<u64> {
        value
            .checked_add(n)
            .filter(|v| *v <= crate::bounds::MAX_COUNTER)
            .ok_or_else(|| self.corrupt(format!("{what} {value} + {n} passes the ceiling")))
    }

    fn corrupt(&self, reason: String) -> Error {
        Error::corrupt(format!("session {}", self.id), reason)
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
