//! `SessionStore` and `MessageStore` for `FaultyStore`: every call passes the gate, then delegates.

use async_trait::async_trait;
use multichat_core::{
    Message, MessageQuery, MessageStore, NewMessage, NewSession, Page, Result, Session, SessionId,
    SessionPatch, SessionQuery, SessionStore,
};

use crate::faulty::FaultyStore;

#[async_trait]
impl SessionStore for FaultyStore {
    async fn create_session(&self, new: NewSession) -> Result<Session> {
        self.gate().await?.create_session(new).await
    }

    async fn get_session(&self, id: &SessionId) -> Result<Option<Session>> {
        let answer = self.gate().await?.get_session(id).await;
        self.maybe_pause().await;
        answer
    }

    async fn update_session(&self, id: &SessionId, patch: SessionPatch) -> Result<Session> {
        self.gate().await?.update_session(id, patch).await
    }

    async fn delete_session(&self, id: &SessionId) -> Result<bool> {
        self.gate().await?.delete_session(id).await
    }

    async fn list_sessions(&self, query: SessionQuery) -> Result<Page<Session>> {
        self.gate().await?.list_sessions(query).await
    }

    async fn purge_expired(&self) -> Result<u64> {
        self.gate().await?.purge_expired().await
    }
}

#[async_trait]
impl MessageStore for FaultyStore {
    async fn append(
        &self,
        id: &SessionId,
        messages: Vec<NewMessage>,
        expected_last_seq: Option<u64>,
    ) -> Result<Vec<u64>> {
        self.gate()
            .await?
            .append(id, messages, expected_last_seq)
            .await
    }

    async fn read(&self, id: &SessionId, query: MessageQuery) -> Result<Vec<Message>> {
        self.gate().await?.read(id, query).await
    }

    async fn pop(&self, id: &SessionId) -> Result<Option<Message>> {
        self.gate().await?.pop(id).await
    }

    async fn clear(&self, id: &SessionId) -> Result<u64> {
        self.gate().await?.clear(id).await
    }
}
