//! Checks of restored data (import, migration), one set used by every `RestoreStore` and by the
//! tools that stream a copy in: a record that contradicts itself or its messages, or holds what a
//! backend cannot store, is refused before anything is written.

use std::collections::HashSet;

use crate::bounds::{check_counter, check_time};
use crate::error::{Error, Result};
use crate::id::SessionId;
use crate::limits::Limits;
use crate::message::{Message, NewMessage};
use crate::session::Session;
use crate::validate_batch::unique_keys;

impl Limits {
    /// Checks a whole session record before a store writes it: the fields a caller gives
    /// (title, participants, metadata, expiry), counters within [`crate::MAX_COUNTER`] with
    /// `message_count <= last_seq`, times within [`crate::MAX_TIME_MS`] with
    /// `created_at <= updated_at`, and `expires_at` what the expiry gives at `updated_at`.
    /// `version` 0 is allowed: it marks a copy in progress (see [`crate::RestoreStore`]).
    pub fn check_session(&self, session: &Session) -> Result<()> {
        self.check_session_fields(session)?;
        check_counter("version", session.version)?;
        check_counter("last_seq", session.last_seq)?;
        if session.message_count > session.last_seq {
            let reason = format!(
                "{} messages cannot have seqs up to last_seq {}",
                session.message_count, session.last_seq
            );
            return Err(Error::invalid("message_count", reason));
        }
        check_time("created_at", session.created_at)?;
        check_time("updated_at", session.updated_at)?;
        if session.created_at > session.updated_at {
            return Err(Error::invalid("updated_at", "earlier than created_at"));
        }
        let expected = session.expiry.map(|e| e.deadline(session.updated_at));
        if session.expires_at != expected {
            let reason = format!(
                "{:?}, but the expiry gives {expected:?}",
                session.expires_at
            );
            return Err(Error::invalid("expires_at", reason));
        }
        Ok(())
    }

    /// Checks messages to restore into a session whose `last_seq` is `last_seq` and whose stored
    /// messages end at seq `after`: at most a batch, each valid as a new message and with a
    /// storable time, seqs ascending, above `after` and at most `last_seq`.
    pub fn check_restored(&self, messages: &[Message], after: u64, last_seq: u64) -> Result<()> {
        if messages.len() > self.max_batch {
            let reason = format!("at most {} messages at once", self.max_batch);
            return Err(Error::invalid("messages", reason));
        }
        let mut prev = after;
        for (i, m) in messages.iter().enumerate() {
            if m.seq <= prev || m.seq > last_seq {
                let reason = format!(
                    "{} must exceed {prev} and be at most last_seq {last_seq}",
                    m.seq
                );
                return Err(Error::invalid(format!("messages[{i}].seq"), reason));
            }
            self.check_message(i, &NewMessage::from(m))?;
            check_time("created_at", m.created_at)?;
            prev = m.seq;
        }
        unique_keys(messages.iter().map(|m| m.key.as_deref()))
    }
}

/// Checks one session of an import or migration as it streams by, before anything is written:
/// its record, then each of its messages in seq order, then that their number is the record's
/// `message_count`, and that no two of its messages carry the same client key. Memory stays
/// constant whatever the session holds, but for the keys of its keyed messages.
///
/// ```
/// use multichat_core::*;
/// let id = SessionId::new("s")?;
/// let mut session = Session::create(NewSession::new(id.clone()), Timestamp(1));
/// session.last_seq = 2;
/// session.message_count = 1;
/// let mut check = RestoreCheck::begin(Limits::default(), &session)?;
/// let message = Message::from_new(NewMessage::user("hi"), 2, Timestamp(1));
/// check.message(&id, &message)?;
/// assert!(check.message(&id, &message).is_err(), "a seq that does not ascend");
/// check.finish()?;
/// # Ok::<(), Error>(())
/// ```
#[derive(Debug)]
pub struct RestoreCheck {
    id: SessionId,
    limits: Limits,
    last_seq: u64,
    message_count: u64,
    prev: u64,
    seen: u64,
    keys: HashSet<String>,
}

impl RestoreCheck {
    /// Checks the record (as [`Limits::check_session`], and a complete copy has version ≥ 1).
    pub fn begin(limits: Limits, session: &Session) -> Result<Self> {
        limits.check_session(session)?;
        if session.version == 0 {
            return Err(Error::invalid("version", "must be at least 1"));
        }
        Ok(Self {
            id: session.id.clone(),
            limits,
            last_seq: session.last_seq,
            message_count: session.message_count,
            prev: 0,
            seen: 0,
            keys: HashSet::new(),
        })
    }

    /// Checks the next message, given as belonging to session `session_id`.
    pub fn message(&mut self, session_id: &SessionId, message: &Message) -> Result<()> {
        if *session_id != self.id {
            let reason = format!(
                "belongs to session {session_id}, after the record of {}",
                self.id
            );
            return Err(Error::invalid("session_id", reason));
        }
        self.limits
            .check_restored(std::slice::from_ref(message), self.prev, self.last_seq)?;
        if let Some(key) = &message.key
            && !self.keys.insert(key.clone())
        {
            let reason = format!(
                "message {} repeats key {key:?} of an earlier one",
                message.seq
            );
            return Err(Error::invalid("key", reason));
        }
        (self.prev, self.seen) = (message.seq, self.seen + 1);
        Ok(())
    }

    /// Checks that the session held as many messages as its record says.
    pub fn finish(self) -> Result<()> {
        if self.seen != self.message_count {
            let reason = format!(
                "session {} says {} messages but {} follow it",
                self.id, self.message_count, self.seen
            );
            return Err(Error::invalid("message_count", reason));
        }
        Ok(())
    }
}
