//! `SessionStore` for `SqliteStore`: validation here, SQL in `ops_*`, run on the writer or a reader.

use async_trait::async_trait;
use multichat_core::{
    NewSession, Page, Result, Session, SessionId, SessionPatch, SessionQuery, SessionStore,
};

use crate::SqliteStore;
use crate::{ops_read, ops_sessions};

#[async_trait]
impl SessionStore for SqliteStore {
    async fn create_session(&self, new: NewSession) -> Result<Session> {
        self.config.limits.check_new_session(&new)?;
        let now = self.now();
        self.writer
            .call(move |conn| ops_sessions::create(conn, new, now))
            .await
    }

    async fn get_session(&self, id: &SessionId) -> Result<Option<Session>> {
        let (id, now) = (id.clone(), self.now());
        self.read(move |conn| ops_read::get(conn, &id, now)).await
    }

    async fn update_session(&self, id: &SessionId, patch: SessionPatch) -> Result<Session> {
        self.config.limits.check_patch(&patch)?;
        let (id, now) = (id.clone(), self.now());
        self.writer
            .call(move |conn| ops_sessions::update(conn, &id, patch, now))
            .await
    }

    async fn delete_session(&self, id: &SessionId) -> Result<bool> {
        let (id, now) = (id.clone(), self.now());
        self.writer
            .call(move |conn| ops_sessions::delete(conn, &id, now))
            .await
    }

    async fn list_sessions(&self, query: SessionQuery) -> Result<Page<Session>> {
        let cursor = self.config.limits.check_list(&query)?;
        let now = self.now();
        self.read(move |conn| ops_read::list(conn, &query, cursor, now))
            .await
    }

    async fn purge_expired(&self) -> Result<u64> {
        let now = self.now();
        self.writer
            .call(move |conn| ops_sessions::purge(conn, now))
            .await
    }
}
