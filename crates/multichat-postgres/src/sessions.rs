//! `SessionStore` for `PostgresStore`: each write one transaction that locks the session's row.

use async_trait::async_trait;
use multichat_core::{
    Error, NewSession, Page, Result, Session, SessionId, SessionPatch, SessionQuery, SessionStore,
};

use crate::{PostgresStore, listing, rows};

#[async_trait]
impl SessionStore for PostgresStore {
    async fn create_session(&self, new: NewSession) -> Result<Session> {
        self.config.limits.check_new_session(&new)?;
        let now = self.now();
        let mut client = self.client().await?;
        let tx = self.begin(&mut client).await?;
        if rows::delete_row(self, &tx, &new.id, now).await? {
            // It was live: nothing is deleted, the transaction is dropped (rolled back).
            return Err(Error::AlreadyExists { id: new.id });
        }
        let s = Session::create(new, now);
        if !rows::insert_row(self, &tx, &s).await? {
            // Another process created it between our look and our insert.
            return Err(Error::AlreadyExists { id: s.id });
        }
        self.commit(tx).await?;
        Ok(s)
    }

    async fn get_session(&self, id: &SessionId) -> Result<Option<Session>> {
        let now = self.now();
        let client = self.client().await?;
        let s = rows::load(self, &client, id, false).await?;
        Ok(s.filter(|s| !s.is_expired(now)))
    }

    async fn update_session(&self, id: &SessionId, patch: SessionPatch) -> Result<Session> {
        self.config.limits.check_patch(&patch)?;
        let now = self.now();
        let mut client = self.client().await?;
        let tx = self.begin(&mut client).await?;
        let mut s = rows::live(self, &tx, id, now).await?;
        s.apply_patch(patch, now)?;
        rows::write_row(self, &tx, &s).await?;
        self.commit(tx).await?;
        Ok(s)
    }

    async fn delete_session(&self, id: &SessionId) -> Result<bool> {
        let now = self.now();
        let client = self.client().await?;
        rows::delete_row(self, &client, id, now).await
    }

    async fn list_sessions(&self, query: SessionQuery) -> Result<Page<Session>> {
        let cursor = self.config.limits.check_list(&query)?;
        let client = self.client().await?;
        listing::list(self, &client, &query, cursor).await
    }

    async fn purge_expired(&self) -> Result<u64> {
        let now = self.now();
        let client = self.client().await?;
        let sql = self.sql("DELETE FROM {s}.sessions WHERE expires_at <= $1");
        self.execute(&client, &sql, &[&now.0]).await
    }
}
