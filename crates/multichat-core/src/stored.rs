//! The parts of a stored session that are not in its [`NewSession`]: its times and counters,
//! and [`Session::from_parts`], which builds a record from them (a backend decoding a row or a
//! hash).

use crate::{NewSession, Session, Timestamp};

/// A stored session's counters.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Counters {
    /// See [`Session::version`].
    pub version: u64,
    /// See [`Session::last_seq`].
    pub last_seq: u64,
    /// See [`Session::message_count`].
    pub message_count: u64,
}

/// A stored session's times.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Times {
    /// See [`Session::created_at`].
    pub created_at: Timestamp,
    /// See [`Session::updated_at`].
    pub updated_at: Timestamp,
    /// See [`Session::expires_at`].
    pub expires_at: Option<Timestamp>,
}

impl Session {
    /// The stored record made of `new` (id, title, participants, metadata, expiry policy), its
    /// `times` and its `counters`, taken as they are: nothing is recomputed.
    ///
    /// ```
    /// use multichat_core::backend::{Counters, Times};
    /// use multichat_core::{NewSession, Session, SessionId, Timestamp};
    ///
    /// let times = Times { created_at: Timestamp(1), updated_at: Timestamp(5), expires_at: None };
    /// let counters = Counters { version: 3, last_seq: 2, message_count: 1 };
    /// let s = Session::from_parts(NewSession::new(SessionId::new("a")?), times, counters);
    /// assert_eq!((s.updated_at, s.version, s.last_seq), (Timestamp(5), 3, 2));
    /// # Ok::<(), multichat_core::Error>(())
    /// ```
    pub fn from_parts(new: NewSession, times: Times, counters: Counters) -> Self {
        Self {
            id: new.id,
            title: new.title,
            participants: new.participants,
            metadata: new.metadata,
            created_at: times.created_at,
            updated_at: times.updated_at,
            expiry: new.expiry,
            expires_at: times.expires_at,
            version: counters.version,
            last_seq: counters.last_seq,
            message_count: counters.message_count,
        }
    }

    /// The session's counters.
    pub fn counters(&self) -> Counters {
        Counters {
            version: self.version,
            last_seq: self.last_seq,
            message_count: self.message_count,
        }
    }

    /// The session's times.
    pub fn times(&self) -> Times {
        Times {
            created_at: self.created_at,
            updated_at: self.updated_at,
            expires_at: self.expires_at,
        }
    }

    /// Takes `counters` and `times` as they are.
    pub(crate) fn set_state(&mut self, counters: Counters, times: Times) {
        (self.version, self.last_seq, self.message_count) =
            (counters.version, counters.last_seq, counters.message_count);
        (self.created_at, self.updated_at, self.expires_at) =
            (times.created_at, times.updated_at, times.expires_at);
    }
}
