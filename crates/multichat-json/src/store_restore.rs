//! `RestoreStore` for `JsonStore`.

use async_trait::async_trait;
use multichat_core::{Message, RestoreStore, Result, Session, SessionId};

use crate::{JsonStore, ops_restore};

#[async_trait]
impl RestoreStore for JsonStore {
    async fn restore_session(&self, session: Session) -> Result<()> {
        self.inner.config.limits.check_session(&session)?;
        let id = session.id.clone();
        self.run(&id, move |ctx| ops_restore::restore_session(ctx, session))
            .await
    }

    async fn restore_messages(&self, id: &SessionId, messages: Vec<Message>) -> Result<()> {
        self.run(id, move |ctx| ops_restore::restore_messages(ctx, messages))
            .await
    }
}
