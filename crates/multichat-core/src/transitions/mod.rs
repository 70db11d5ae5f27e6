//! The table of session transition cases: what create-free writes (append, pop, clear, a patch)
//! do to a session's counters, times and messages, written out by hand. The core transitions
//! ([`Session::plan_append`], [`Session::record_removal`], …) are tested against it here, and
//! `multichat_testkit::transitions::check` runs every case through a store's public API, so a
//! backend that decides on the server (the Redis scripts) must agree with the reference case by
//! case, not only through the end-to-end suite.
//!
//! Times in a case are offsets in milliseconds from a base the runner picks (Redis expires keys
//! by the real clock, so its runner takes the current time).

mod cases;

pub use self::cases::transition_cases;
use crate::error::ErrorKind;
use crate::id::SessionId;
use crate::message::{Message, NewMessage};
use crate::new_session::NewSession;
use crate::session::{Expiry, Session};
use crate::stored::{Counters, Times};
use crate::time::Timestamp;

/// A session's state before a case. `expiry` with [`Expiry::At`] holds an offset.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Before {
    /// The stored version.
    pub version: u64,
    /// The stored `last_seq`.
    pub last_seq: u64,
    /// The seqs of the stored messages, ascending (`message_count` is their number).
    pub seqs: Vec<u64>,
    /// `updated_at` (`created_at` is the base itself).
    pub updated: i64,
    /// The expiry policy.
    pub expiry: Option<Expiry>,
}

/// The write a case makes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TransitionOp {
    /// Appends `count` messages, with an optional expected `last_seq`.
    Append {
        /// How many messages.
        count: u64,
        /// The compare-and-append expectation.
        expected_last_seq: Option<u64>,
    },
    /// Removes the last message.
    Pop,
    /// Removes every message.
    Clear,
    /// Sets the title to `"retitled"`, with an optional expected version.
    Retitle {
        /// The compare-and-update expectation.
        expected_version: Option<u64>,
    },
}

/// The state after a case that succeeds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct After {
    /// What the call returns: the assigned seqs (append), the popped seq (pop, none when
    /// empty), the number removed (clear), nothing (retitle).
    pub returned: Vec<u64>,
    /// The counters after it.
    pub counters: Counters,
    /// `updated_at` after it (an offset).
    pub updated: i64,
    /// `expires_at` after it (an offset).
    pub expires: Option<i64>,
    /// The seqs of the messages stored after it.
    pub seqs: Vec<u64>,
}

/// One case: a state, a write at `now`, and what must come of it. An error leaves the session
/// exactly as it was (an expired session reads as absent).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TransitionCase {
    /// What the case checks.
    pub name: &'static str,
    /// The state before.
    pub before: Before,
    /// The write.
    pub op: TransitionOp,
    /// When the write happens (an offset).
    pub now: i64,
    /// The state after, or the kind of error.
    pub want: Result<After, ErrorKind>,
}

impl TransitionCase {
    /// The stored session before the case, as session `id` at `base`.
    pub fn session(&self, id: SessionId, base: Timestamp) -> Session {
        let b = &self.before;
        let expiry = b.expiry.map(|e| shift(e, base));
        let updated_at = Timestamp(base.0 + b.updated);
        let times = Times {
            created_at: base,
            updated_at,
            expires_at: expiry.map(|e| e.deadline(updated_at)),
        };
        let counters = Counters {
            version: b.version,
            last_seq: b.last_seq,
            message_count: b.seqs.len() as u64,
        };
        let mut new = NewSession::new(id).title("before");
        new.expiry = expiry;
        Session::from_parts(new, times, counters)
    }

    /// The stored messages before the case, each at `base` + its seq.
    pub fn messages(&self, base: Timestamp) -> Vec<Message> {
        let b = &self.before;
        b.seqs
            .iter()
            .map(|&seq| {
                let new = NewMessage::user(format!("m{seq}"));
                Message::from_new(new, seq, Timestamp(base.0 + seq as i64))
            })
            .collect()
    }

    /// The stored session the case must leave behind: `before` with the counters and times of
    /// [`TransitionCase::want`] (and the new title for a retitle), or `before` unchanged on an
    /// error.
    pub fn expected(&self, before: &Session, base: Timestamp) -> Session {
        let Ok(after) = &self.want else {
            return before.clone();
        };
        let mut s = before.clone();
        s.set_state(
            after.counters,
            Times {
                created_at: before.created_at,
                updated_at: Timestamp(base.0 + after.updated),
                expires_at: after.expires.map(|t| Timestamp(base.0 + t)),
            },
        );
        if let TransitionOp::Retitle { .. } = self.op {
            s.title = Some("retitled".to_owned());
        }
        s
    }
}

/// An [`Expiry::At`] offset made absolute.
fn shift(expiry: Expiry, base: Timestamp) -> Expiry {
    match expiry {
        Expiry::At(t) => Expiry::At(Timestamp(base.0 + t.0)),
        idle => idle,
    }
}

#[cfg(test)]
mod tests;
