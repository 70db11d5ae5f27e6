//! `MessageStore` for `MemoryStore`, and the seq selection of a `MessageQuery`.

use std::sync::Arc;

use async_trait::async_trait;

use super::{MemoryStore, change_live, live};
use crate::error::Result;
use crate::id::SessionId;
use crate::keys::KeyedBatch;
use crate::message::{Message, NewMessage};
use crate::query::MessageQuery;
use crate::store::MessageStore;
use crate::watch::MessageStream;

#[async_trait]
impl MessageStore for MemoryStore {
    async fn append(
        &self,
        id: &SessionId,
        messages: Vec<NewMessage>,
        expected_last_seq: Option<u64>,
    ) -> Result<Vec<u64>> {
        self.config.limits.check_batch(&messages)?;
        let now = self.now();
        let mut entries = self.lock();
        // A copy to hand to the watches only when there are some.
        let watched = self.changes.is_watched(id);
        let (seqs, handed) = change_live(&mut entries, id, now, |entry| {
            let keyed = KeyedBatch::resolve(id, messages, |key| Ok(entry.held(key).cloned()))?;
            let (stored, seqs) = entry.session.append_keyed(keyed, expected_last_seq, now)?;
            let handed = watched.then(|| stored.clone());
            for m in &stored {
                if let Some(key) = &m.key {
                    entry.keys.insert(key.clone(), m.seq);
                }
            }
            entry.messages.extend(stored);
            Ok((seqs, handed))
        })?;
        drop(entries);
        match handed {
            Some(handed) => self.changes.appended(id, &handed),
            None => self.changes.touch(id),
        }
        Ok(seqs)
    }

    async fn read(&self, id: &SessionId, query: MessageQuery) -> Result<Vec<Message>> {
        self.config.limits.check_read(&query)?;
        let now = self.now();
        let entries = self.lock();
        let entry = live(&entries, id, now)?;
        Ok(select_messages(&entry.messages, query).to_vec())
    }

    async fn pop(&self, id: &SessionId) -> Result<Option<Message>> {
        let now = self.now();
        let mut entries = self.lock();
        change_live(&mut entries, id, now, |entry| {
            if entry.messages.is_empty() {
                return Ok(None);
            }
            entry.session.record_removal(1, now)?;
            let popped = entry.messages.pop();
            // Its key may be used again (docs/semantics.md).
            if let Some(key) = popped.as_ref().and_then(|m| m.key.as_ref()) {
                entry.keys.remove(key);
            }
            Ok(popped)
        })
    }

    async fn clear(&self, id: &SessionId) -> Result<u64> {
        let now = self.now();
        let mut entries = self.lock();
        change_live(&mut entries, id, now, |entry| {
            let removed = entry.messages.len() as u64;
            let highest = entry.messages.last().map_or(0, |m| m.seq);
            entry.session.record_clear(removed, highest, now)?;
            entry.messages.clear();
            entry.keys.clear();
            Ok(removed)
        })
    }

    /// Woken at once by this store's appends and deletes (see [`crate::Changes`]).
    fn watch(self: Arc<Self>, id: SessionId, after_seq: u64) -> MessageStream {
        // Every write is this store's own, so it wakes the watches: they only recheck.
        let config = self.config.watch.rechecking();
        let changes = Arc::clone(&self.changes);
        changes.follow(self, id, after_seq, config)
    }
}

/// The messages `query` selects from `messages` (sorted by seq), as a sub-slice.
pub fn select_messages(messages: &[Message], query: MessageQuery) -> &[Message] {
    match query {
        MessageQuery::Last { n } => &messages[messages.len().saturating_sub(n)..],
        MessageQuery::After { seq, limit } => {
            let start = messages.partition_point(|m| m.seq <= seq);
            &messages[start..messages.len().min(start.saturating_add(limit))]
        }
        MessageQuery::Before { seq, limit } => {
            let end = messages.partition_point(|m| m.seq < seq);
            &messages[end.saturating_sub(limit)..end]
        }
        MessageQuery::Budget { .. } => &messages[messages.len() - query.fitting(messages)..],
    }
}
