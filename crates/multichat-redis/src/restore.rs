//! `RestoreStore` for `RedisStore`: `scripts/restore.lua` writes a whole session record,
//! `restore_messages.lua` adds messages with their own seqs.

use async_trait::async_trait;
use multichat_core::{Error, Message, NewMessage, RestoreStore, Result, Session, SessionId};

use crate::codec::{message_json, session_fields};
use crate::replies::{RestoredMessages, Written};
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
        match Written::decode(&reply)? {
            Written::Done { indexed, old_parts } => {
                self.reindex(&session.id, Some(&indexed), &old_parts).await;
                Ok(())
            }
            _ => Err(reply.unknown("a restore answer")),
        }
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
                    m.key.clone().unwrap_or_default(),
                ]
            })
            .collect();
        let reply = self
            .eval(&scripts::RESTORE_MESSAGES, id, self.now(), args)
            .await?;
        match RestoredMessages::decode(&reply)? {
            RestoredMessages::Done => Ok(()),
            RestoredMessages::NotFound => Err(Error::not_found(id)),
            RestoredMessages::Order(floor) => Err(Error::invalid(
                "messages",
                format!("seqs must exceed the stored {floor}"),
            )),
            RestoredMessages::KeyTaken(key) => Err(Error::invalid(
                "key",
                format!("a stored message of session {id} holds key {key:?}"),
            )),
            RestoredMessages::Beyond(last_seq) => Err(Error::invalid(
                "messages",
                format!("seqs must be at most the session's last_seq {last_seq}"),
            )),
        }
    }
}
