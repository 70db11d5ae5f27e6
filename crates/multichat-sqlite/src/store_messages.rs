//! `MessageStore` for `SqliteStore`.

use async_trait::async_trait;
use multichat_core::{Message, MessageQuery, MessageStore, NewMessage, Result, SessionId};

use crate::SqliteStore;
use crate::{ops_messages, ops_read};

#[async_trait]
impl MessageStore for SqliteStore {
    async fn append(
        &self,
        id: &SessionId,
        messages: Vec<NewMessage>,
        expected_last_seq: Option<u64>,
    ) -> Result<Vec<u64>> {
        self.config.limits.check_batch(&messages)?;
        let (id, now) = (id.clone(), self.now());
        self.writer
            .call(move |conn| ops_messages::append(conn, &id, messages, expected_last_seq, now))
            .await
    }

    async fn read(&self, id: &SessionId, query: MessageQuery) -> Result<Vec<Message>> {
        self.config.limits.check_read(&query)?;
        let (id, now) = (id.clone(), self.now());
        SqliteStore::read(self, move |conn| ops_read::read(conn, &id, query, now)).await
    }

    async fn pop(&self, id: &SessionId) -> Result<Option<Message>> {
        let (id, now) = (id.clone(), self.now());
        self.writer
            .call(move |conn| ops_messages::pop(conn, &id, now))
            .await
    }

    async fn clear(&self, id: &SessionId) -> Result<u64> {
        let (id, now) = (id.clone(), self.now());
        self.writer
            .call(move |conn| ops_messages::clear(conn, &id, now))
            .await
    }
}
