//! `SessionStore` for `PostgresStore`: a create is one round trip; an update two, locking the
//! session's row (see [`crate::pinned`]); a read, a delete, a listing one statement.

use async_trait::async_trait;
use multichat_core::{
    Error, NewSession, Page, Result, Session, SessionId, SessionPatch, SessionQuery, SessionStore,
};

use tokio_postgres::types::ToSql;

use crate::params::row_params;
use crate::pinned::Pinned;
use crate::{PostgresStore, listing, rows};

#[async_trait]
impl SessionStore for PostgresStore {
    async fn create_session(&self, new: NewSession) -> Result<Session> {
        self.config.limits.check_new_session(&new)?;
        let now = self.now();
        let s = Session::create(new, now);
        let sql = &self.write_sql;
        let (mut tx, [drop_expired, create]) =
            Pinned::open(self, [&sql.create[0], &sql.create[1]]).await?;
        let (key, row) = (s.id.as_str(), row_params(&s));
        let mut values = row.as_refs().to_vec();
        values.push(&s.participants);
        let expired: [&(dyn ToSql + Sync); 2] = [&key, &now.0];
        let steps = [(&drop_expired, &expired[..]), (&create, &values[..])];
        // A live session under the id stays; the create then wrote nothing.
        if tx.commit(true, &steps).await?[1] == 0 {
            return Err(Error::AlreadyExists { id: s.id });
        }
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
        let sql = &self.write_sql;
        let statements: [&str; 4] = [
            &sql.lock,
            &sql.update,
            &sql.forget_participants,
            &sql.add_participants,
        ];
        let (mut tx, [lock, update, forget, add]) = Pinned::open(self, statements).await?;
        let mut s = tx.begin_locked(&lock, id, now, None).await?.session;
        if let Err(refused) = s.apply_patch(patch, now) {
            return tx.refuse(refused).await;
        }
        let (key, row) = (s.id.as_str(), row_params(&s));
        let named: [&(dyn ToSql + Sync); 3] = [&key, &s.participants, &s.updated_at.0];
        let steps = [
            (&update, &row.as_refs()[..]),
            (&forget, &named[..1]),
            (&add, &named[..]),
        ];
        tx.commit(false, &steps).await?;
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
