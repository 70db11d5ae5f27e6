//! `RestoreStore` for `SqliteStore`.

use async_trait::async_trait;
use multichat_core::{Message, RestoreStore, Result, Session, SessionId};

use crate::{SqliteStore, ops_restore};

#[async_trait]
impl RestoreStore for SqliteStore {
    async fn restore_session(&self, session: Session) -> Result<()> {
        self.config.limits.check_session(&session)?;
        self.writer
            .call(move |conn| ops_restore::restore_session(conn, &session))
            .await
    }

    async fn restore_messages(&self, id: &SessionId, messages: Vec<Message>) -> Result<()> {
        let (id, limits) = (id.clone(), self.config.limits);
        self.writer
            .call(move |conn| ops_restore::restore_messages(conn, &id, &messages, &limits))
            .await
    }
}
