//! `MessageStore` for `JsonStore`.

use async_trait::async_trait;
use multichat_core::{Message, MessageQuery, MessageStore, NewMessage, Result, SessionId};

use crate::JsonStore;
use crate::{ops_messages, ops_read};

#[async_trait]
impl MessageStore for JsonStore {
    async fn append(
        &self,
        id: &SessionId,
        messages: Vec<NewMessage>,
        expected_last_seq: Option<u64>,
    ) -> Result<Vec<u64>> {
        self.inner.config.limits.check_batch(&messages)?;
        self.run(id, move |ctx| {
            ops_messages::append(ctx, messages, expected_last_seq)
        })
        .await
    }

    async fn read(&self, id: &SessionId, query: MessageQuery) -> Result<Vec<Message>> {
        self.inner.config.limits.check_read(&query)?;
        self.run(id, move |ctx| ops_read::read(ctx, query)).await
    }

    async fn pop(&self, id: &SessionId) -> Result<Option<Message>> {
        self.run(id, ops_messages::pop).await
    }

    async fn clear(&self, id: &SessionId) -> Result<u64> {
        self.run(id, ops_messages::clear).await
    }
}
