//! `SessionStore` for `HybridStore`: writes durable-first then invalidate; `get` through the cache.

use async_trait::async_trait;
use multichat_core::{
    ChatStore, NewSession, Page, Result, Session, SessionId, SessionPatch, SessionQuery,
    SessionStore,
};

use crate::HybridStore;
use crate::cache::Lookup;

#[async_trait]
impl<F: ChatStore, D: ChatStore> SessionStore for HybridStore<F, D> {
    async fn create_session(&self, new: NewSession) -> Result<Session> {
        let id = new.id.clone();
        let created = self.durable.create_session(new).await?;
        self.invalidate(&id).await;
        Ok(created)
    }

    async fn get_session(&self, id: &SessionId) -> Result<Option<Session>> {
        let expected = match self.lookup(id).await {
            Lookup::Hit(record, _) => {
                self.health.record(true);
                return Ok(Some(record));
            }
            Lookup::Miss(expected) => expected,
        };
        self.health.record(false);
        Ok(self.load(id, expected).await?.map(|(record, _)| record))
    }

    async fn update_session(&self, id: &SessionId, patch: SessionPatch) -> Result<Session> {
        let updated = self.durable.update_session(id, patch).await?;
        self.invalidate(id).await;
        Ok(updated)
    }

    async fn delete_session(&self, id: &SessionId) -> Result<bool> {
        let deleted = self.durable.delete_session(id).await?;
        self.invalidate(id).await;
        Ok(deleted)
    }

    async fn list_sessions(&self, query: SessionQuery) -> Result<Page<Session>> {
        self.durable.list_sessions(query).await
    }

    async fn purge_expired(&self) -> Result<u64> {
        self.durable.purge_expired().await
    }
}
