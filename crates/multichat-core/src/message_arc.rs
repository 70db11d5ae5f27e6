//! `MessageStore` for `Arc<T>` (see `store_arc.rs`): every call goes to the shared store,
//! its watch too, so a watch through the `Arc` has the shared store's wake-ups.

use std::sync::Arc;

use async_trait::async_trait;

use crate::error::Result;
use crate::id::SessionId;
use crate::message::{Message, NewMessage};
use crate::query::MessageQuery;
use crate::store::MessageStore;
use crate::watch::MessageStream;

#[async_trait]
impl<T: MessageStore + ?Sized> MessageStore for Arc<T> {
    async fn append(
        &self,
        id: &SessionId,
        messages: Vec<NewMessage>,
        expected_last_seq: Option<u64>,
    ) -> Result<Vec<u64>> {
        (**self).append(id, messages, expected_last_seq).await
    }

    async fn read(&self, id: &SessionId, query: MessageQuery) -> Result<Vec<Message>> {
        (**self).read(id, query).await
    }

    async fn pop(&self, id: &SessionId) -> Result<Option<Message>> {
        (**self).pop(id).await
    }

    async fn clear(&self, id: &SessionId) -> Result<u64> {
        (**self).clear(id).await
    }

    /// The shared store's own watch (with its wake-ups), not a poll through this `Arc`.
    fn watch(self: Arc<Self>, id: SessionId, after_seq: u64) -> MessageStream
    where
        Self: 'static,
    {
        Arc::clone(&*self).watch(id, after_seq)
    }
}
