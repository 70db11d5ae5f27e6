//! `RestoreStore` for `RedisStore`.

use async_trait::async_trait;
use multichat_core::{Error, Message, NewMessage, RestoreStore, Result, Session, SessionId};

use crate::codec::{message_json, session_fields};
use crate::open::text;
use crate::{RedisStore, scripts};

#[async_trait]
impl RestoreStore for RedisStore {
    async fn restore_session(&self, session: Session) -> Result<()> {
        self.config.limits.check_session(&session)?;
        let reply = self
            .eval(
                &scripts::RESTORE,
                &session.id,
                self.now(),
                session_fields(&session),
            )
            .await?;
        self.reindex_reply(&session.id, &reply, 1, &text(&reply[4]))
            .await
    }

    async fn restore_messages(&self, id: &SessionId, messages: Vec<Message>) -> Result<()> {
        self.config
            .limits
            .check_restored(&messages, 0, multichat_core::MAX_COUNTER)?;
        if messages.is_empty() {
            return Ok(());
        }
        let args = messages
            .iter()
            .flat_map(|m| {
                [
                    m.seq.to_string(),
                    message_json(&NewMessage::from(m), m.created_at),
                ]
            })
            .collect();
        let reply = self
            .eval(&scripts::RESTORE_MESSAGES, id, self.now(), args)
            .await?;
        match text(&reply[0]).as_str() {
            "not_found" => Err(Error::not_found(id)),
            "order" => Err(Error::invalid(
                "messages",
                format!("seqs must exceed the stored {}", text(&reply[1])),
            )),
            "beyond" => Err(Error::invalid(
                "messages",
                format!(
                    "seqs must be at most the session's last_seq {}",
                    text(&reply[1])
                ),
            )),
            _ => Ok(()),
        }
    }
}
