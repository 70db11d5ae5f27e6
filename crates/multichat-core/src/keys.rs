//! Retry-safe appends: the client keys of a batch ([`NewMessage::key`]) resolved against the
//! messages its session already holds, before anything is written. Every store that runs the
//! append in Rust (memory, JSON, SQLite) resolves through [`KeyedBatch`]; the PostgreSQL
//! statement and the Redis script decide the same way on the server.

use crate::error::{Error, Result};
use crate::id::SessionId;
use crate::message::{Message, NewMessage};
use crate::session::Session;
use crate::time::Timestamp;

/// The longest client key, in bytes.
pub const MAX_KEY_BYTES: usize = 128;

impl NewMessage {
    /// True when `stored` holds what this message would store: the same role, sender, content,
    /// metadata and token count (seq, time and key aside). A keyed message whose key is held by a message
    /// of the same content is a retry; of other content, a [`Error::KeyConflict`].
    pub fn same_content(&self, stored: &Message) -> bool {
        self.role == stored.role
            && self.sender == stored.sender
            && self.content == stored.content
            && self.metadata == stored.metadata
            && self.tokens == stored.tokens
    }
}

/// A batch to append, resolved against the keys its session holds: the messages still to store
/// and, for each position of the batch, the seq of the stored message that already holds its key
/// (empty when none does: a batch without keys costs no allocation).
#[derive(Debug, Clone, PartialEq)]
pub struct KeyedBatch {
    fresh: Vec<NewMessage>,
    held: Vec<Option<u64>>,
}

impl KeyedBatch {
    /// Resolves `batch` (already validated: keys unique within it) for session `id`; `held`
    /// looks up the stored message holding a key, and is called only for keyed messages.
    /// [`Error::KeyConflict`] when a key is held by a message of other content.
    ///
    /// ```
    /// use multichat_core::backend::KeyedBatch;
    /// use multichat_core::{Message, NewMessage, SessionId, Timestamp};
    ///
    /// let stored = Message::from_new(NewMessage::user("a").key("k"), 4, Timestamp(1));
    /// let batch = vec![NewMessage::user("a").key("k"), NewMessage::user("b")];
    /// let id = SessionId::new("s")?;
    /// let keyed = KeyedBatch::resolve(&id, batch, |k| Ok((k == "k").then(|| stored.clone())))?;
    /// assert_eq!((keyed.fresh().len(), keyed.seqs(7)), (1, vec![4, 7]));
    /// # Ok::<(), multichat_core::Error>(())
    /// ```
    pub fn resolve(
        id: &SessionId,
        batch: Vec<NewMessage>,
        mut held: impl FnMut(&str) -> Result<Option<Message>>,
    ) -> Result<Self> {
        if batch.iter().all(|m| m.key.is_none()) {
            let held = Vec::new();
            return Ok(Self { fresh: batch, held });
        }
        let mut fresh = Vec::with_capacity(batch.len());
        let mut seqs = Vec::with_capacity(batch.len());
        for m in batch {
            let stored = match &m.key {
                Some(key) => held(key)?,
                None => None,
            };
            match stored {
                Some(s) if m.same_content(&s) => seqs.push(Some(s.seq)),
                Some(s) => return Err(Error::key_conflict(id, m.key.unwrap_or_default(), s.seq)),
                None => {
                    seqs.push(None);
                    fresh.push(m);
                }
            }
        }
        Ok(Self { fresh, held: seqs })
    }

    /// The messages to store, in batch order (those whose key no stored message holds).
    pub fn fresh(&self) -> &[NewMessage] {
        &self.fresh
    }

    /// True when every message of the batch is stored already: a retry, which stores nothing,
    /// is not checked against an expected `last_seq` and returns the seqs they have.
    pub fn is_replay(&self) -> bool {
        self.fresh.is_empty()
    }

    /// The seq of each message of the batch, in order, when the fresh ones get `first_seq`
    /// onwards.
    pub fn seqs(&self, first_seq: u64) -> Vec<u64> {
        if self.held.is_empty() {
            return (first_seq..first_seq + self.fresh.len() as u64).collect();
        }
        let mut next = first_seq;
        let mut take = || {
            next += 1;
            next - 1
        };
        self.held
            .iter()
            .map(|h| h.unwrap_or_else(&mut take))
            .collect()
    }
}

impl Session {
    /// [`Session::append_batch`] of a resolved batch: plans and applies the append of its fresh
    /// messages at `now` (none for a replay, which changes nothing and skips the
    /// `expected_last_seq` check) and returns the stored messages with the seqs of the whole
    /// batch. On an error nothing changes.
    pub fn append_keyed(
        &mut self,
        batch: KeyedBatch,
        expected_last_seq: Option<u64>,
        now: Timestamp,
    ) -> Result<(Vec<Message>, Vec<u64>)> {
        if batch.is_replay() {
            return Ok((Vec::new(), batch.seqs(0)));
        }
        let seqs = batch.seqs(self.last_seq + 1);
        let stored = self.append_batch(batch.fresh, expected_last_seq, now)?;
        Ok((stored, seqs))
    }
}
