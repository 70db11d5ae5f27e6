//! What an append does to a session, worked out before anything is written: an [`AppendPlan`]
//! holds the seqs it assigns and the counters and times after it. Every store that runs the
//! transition in Rust (memory, JSON, SQLite) appends through it; the Redis scripts are checked
//! against the same cases (`multichat_core::backend::transition_cases`).

use crate::error::Result;
use crate::message::{Message, NewMessage};
use crate::session::Session;
use crate::stored::{Counters, Times};
use crate::time::Timestamp;

/// The outcome of appending `count` messages to a session at `at`, computed without changing it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct AppendPlan {
    /// The seq of the first message appended (the others follow it one by one).
    pub first_seq: u64,
    /// How many messages the append adds.
    pub count: u64,
    /// The session's counters after the append.
    pub counters: Counters,
    /// The session's times after the append.
    pub times: Times,
    /// The time every appended message gets.
    pub at: Timestamp,
}

impl AppendPlan {
    /// The seqs the append assigns, ascending.
    pub fn seqs(&self) -> Vec<u64> {
        (self.first_seq..self.first_seq + self.count).collect()
    }

    /// The stored form of `batch` (of [`AppendPlan::count`] messages): each with its seq and time.
    pub fn stamp(&self, batch: Vec<NewMessage>) -> Vec<Message> {
        (self.first_seq..)
            .zip(batch)
            .map(|(seq, m)| Message::from_new(m, seq, self.at))
            .collect()
    }
}

impl Session {
    /// Plans the append of `count` messages at `now`: [`crate::Error::Conflict`] unless
    /// `expected_last_seq` is absent or equals `last_seq`; [`crate::Error::Corrupt`] when a
    /// counter would pass [`crate::MAX_COUNTER`] (only imported or damaged ones can). Pure: the
    /// session is not changed; [`Session::apply_append`] does that.
    ///
    /// ```
    /// use multichat_core::{NewSession, Session, SessionId, Timestamp};
    ///
    /// let s = Session::create(NewSession::new(SessionId::new("a")?), Timestamp(1));
    /// let plan = s.plan_append(2, Some(0), Timestamp(5))?;
    /// assert_eq!(plan.seqs(), [1, 2]);
    /// assert_eq!((plan.counters.version, plan.counters.message_count), (2, 2));
    /// assert!(s.plan_append(1, Some(7), Timestamp(5)).is_err());
    /// # Ok::<(), multichat_core::Error>(())
    /// ```
    pub fn plan_append(
        &self,
        count: u64,
        expected_last_seq: Option<u64>,
        now: Timestamp,
    ) -> Result<AppendPlan> {
        self.check_last_seq(expected_last_seq)?;
        let counters = Counters {
            version: self.counter_plus("version", self.version, 1)?,
            last_seq: self.counter_plus("last_seq", self.last_seq, count)?,
            message_count: self.counter_plus("message_count", self.message_count, count)?,
        };
        Ok(AppendPlan {
            first_seq: self.last_seq + 1,
            count,
            counters,
            times: self.times_after_write(now),
            at: now,
        })
    }

    /// Takes the counters and times of `plan` (made by [`Session::plan_append`] on this session).
    pub fn apply_append(&mut self, plan: &AppendPlan) {
        self.set_state(plan.counters, plan.times);
    }

    /// Plans and applies the append of `batch` at `now`; returns the stored messages. On an
    /// error nothing changes.
    pub fn append_batch(
        &mut self,
        batch: Vec<NewMessage>,
        expected_last_seq: Option<u64>,
        now: Timestamp,
    ) -> Result<Vec<Message>> {
        let plan = self.plan_append(batch.len() as u64, expected_last_seq, now)?;
        self.apply_append(&plan);
        Ok(plan.stamp(batch))
    }
}
