//! `MessageStore` for `HybridStore`: the last messages (up to the window) through the cache,
//! everything else durable-first.

use async_trait::async_trait;
use std::sync::Arc;

use multichat_core::{
    ChatStore, Error, Message, MessageQuery, MessageStore, MessageStream, NewMessage, Result,
    SessionId,
};

use crate::HybridStore;
use crate::cache::Lookup;

#[async_trait]
impl<F: ChatStore, D: ChatStore> MessageStore for HybridStore<F, D> {
    async fn append(
        &self,
        id: &SessionId,
        messages: Vec<NewMessage>,
        expected_last_seq: Option<u64>,
    ) -> Result<Vec<u64>> {
        let seqs = self.durable.append(id, messages, expected_last_seq).await?;
        self.invalidate(id).await;
        Ok(seqs)
    }

    async fn read(&self, id: &SessionId, query: MessageQuery) -> Result<Vec<Message>> {
        let MessageQuery::Last { n } = query else {
            return self.durable.read(id, query).await;
        };
        if n > self.config.window {
            return self.durable.read(id, query).await;
        }
        let expected = match self.lookup(id).await {
            Lookup::Hit(_, window) => {
                self.health.record(true);
                return Ok(tail(window, n));
            }
            Lookup::Miss(expected) => expected,
        };
        self.health.record(false);
        match self.load(id, expected).await? {
            None => Err(Error::not_found(id)),
            Some((_, Some(window))) => Ok(tail(window, n)),
            Some((_, None)) => self.durable.read(id, query).await,
        }
    }

    async fn pop(&self, id: &SessionId) -> Result<Option<Message>> {
        let popped = self.durable.pop(id).await?;
        self.invalidate(id).await;
        Ok(popped)
    }

    async fn clear(&self, id: &SessionId) -> Result<u64> {
        let cleared = self.durable.clear(id).await?;
        self.invalidate(id).await;
        Ok(cleared)
    }

    /// The durable store's watch: its wake-ups, never the cache. It holds the durable store,
    /// not this one.
    fn watch(self: Arc<Self>, id: SessionId, after_seq: u64) -> MessageStream
    where
        Self: 'static,
    {
        Arc::clone(&self.durable).watch(id, after_seq)
    }
}

/// The last `n` of `window`.
fn tail(mut window: Vec<Message>, n: usize) -> Vec<Message> {
    window.drain(..window.len().saturating_sub(n));
    window
}
