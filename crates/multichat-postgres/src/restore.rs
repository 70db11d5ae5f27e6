//! `RestoreStore` for `PostgresStore`: records written exactly, messages in batched inserts,
//! each checked before anything is written.

use async_trait::async_trait;
use multichat_core::{Message, RestoreStore, Result, Session, SessionId, WholeSession};

use crate::{PostgresStore, rows};

#[async_trait]
impl RestoreStore for PostgresStore {
    async fn restore_session(&self, session: Session) -> Result<()> {
        self.config.limits.check_session(&session)?;
        let mut client = self.client().await?;
        let tx = self.begin(&mut client).await?;
        rows::write_row(self, &tx, &session).await?;
        self.commit(tx).await
    }

    async fn restore_messages(&self, id: &SessionId, messages: Vec<Message>) -> Result<()> {
        let mut client = self.client().await?;
        let tx = self.begin(&mut client).await?;
        let session = rows::load(self, &tx, id, true)
            .await?
            .ok_or_else(|| multichat_core::Error::not_found(id))?;
        let sql = self.sql("SELECT coalesce(max(seq), 0) FROM {s}.messages WHERE session_id = $1");
        let top = self.query(&tx, &sql, &[&id.as_str()]).await?;
        let top: i64 = top.first().and_then(|r| r.try_get(0).ok()).unwrap_or(0);
        self.config
            .limits
            .check_restored(&messages, top.max(0) as u64, session.last_seq)?;
        rows::insert_messages(self, &tx, id, &messages).await?;
        self.commit(tx).await
    }

    /// Every record in one statement (`WHERE id = ANY($1)`).
    async fn existing(&self, ids: &[SessionId]) -> Result<Vec<Option<Session>>> {
        self.live_records(ids).await
    }

    /// The whole call in one transaction of five statements (`crate::bulk`).
    async fn restore_sessions(&self, sessions: Vec<WholeSession>) -> Result<()> {
        WholeSession::check_all(&sessions, &self.config.limits)?;
        self.restore_in_bulk(&sessions).await
    }
}
