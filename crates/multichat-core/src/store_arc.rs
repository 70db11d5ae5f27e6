//! `SessionStore` for `Arc<T>`, so a shared store (`Arc<dyn ChatStore>`, `Arc<SqliteStore>`)
//! can be composed, e.g. as either side of a hybrid store (`MessageStore`: `message_arc.rs`).

use std::sync::Arc;

use async_trait::async_trait;

use crate::error::Result;
use crate::id::SessionId;
use crate::new_session::NewSession;
use crate::patch::SessionPatch;
use crate::query::{Page, SessionQuery};
use crate::session::Session;
use crate::store::SessionStore;

#[async_trait]
impl<T: SessionStore + ?Sized> SessionStore for Arc<T> {
    async fn create_session(&self, new: NewSession) -> Result<Session> {
        (**self).create_session(new).await
    }

    async fn get_session(&self, id: &SessionId) -> Result<Option<Session>> {
        (**self).get_session(id).await
    }

    async fn update_session(&self, id: &SessionId, patch: SessionPatch) -> Result<Session> {
        (**self).update_session(id, patch).await
    }

    async fn delete_session(&self, id: &SessionId) -> Result<bool> {
        (**self).delete_session(id).await
    }

    async fn list_sessions(&self, query: SessionQuery) -> Result<Page<Session>> {
        (**self).list_sessions(query).await
    }

    async fn purge_expired(&self) -> Result<u64> {
        (**self).purge_expired().await
    }
}
