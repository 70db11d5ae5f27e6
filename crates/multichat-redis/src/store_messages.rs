//! `MessageStore` for `RedisStore`: one Lua script per operation, one round trip.

use std::sync::Arc;

use async_trait::async_trait;
use multichat_core::{
    ConflictKind, Error, Message, MessageQuery, MessageStore, NewMessage, Result, SessionId,
};

use crate::calls::{AppendCall, Call, items};
use crate::codec::{message, message_json};
use crate::error::unexpected;
use crate::open::text;
use crate::{RedisStore, scripts};

#[async_trait]
impl MessageStore for RedisStore {
    async fn append(
        &self,
        id: &SessionId,
        messages: Vec<NewMessage>,
        expected_last_seq: Option<u64>,
    ) -> Result<Vec<u64>> {
        self.config.limits.check_batch(&messages)?;
        let now = self.now();
        let mut args = vec![
            now.0.to_string(),
            expected_last_seq.map(|s| s.to_string()).unwrap_or_default(),
            id.to_string(),
            messages.len().to_string(),
        ];
        args.extend(messages.iter().map(|m| message_json(m, now)));
        let keys = [self.keys.session(id), self.keys.messages(id)];
        let call = Arc::new(AppendCall { keys, args });
        let key = &call.keys[0];
        let reply = self
            .script_call(&scripts::APPEND, key, || Call::Append(Arc::clone(&call)))
            .await
            .map(items)?;
        match text(&reply[0]).as_str() {
            "not_found" => Err(Error::not_found(id)),
            "conflict" => Err(Error::Conflict {
                id: id.clone(),
                kind: ConflictKind::LastSeq,
                expected: expected_last_seq.unwrap_or_default(),
                actual: text(&reply[1]).parse().unwrap_or_default(),
            }),
            "corrupt" => Err(Error::corrupt(
                format!("{} at seq {}", call.keys[1], text(&reply[1])),
                "a stored entry at or past the next seq, not written by this store; nothing appended",
            )),
            _ => {
                let first: u64 = redis::from_redis_value_ref(&reply[1])
                    .map_err(|_| unexpected(key, "first seq"))?;
                self.reindex_reply(id, &reply, 2, "[]").await?;
                Ok((first..first + messages.len() as u64).collect())
            }
        }
    }

    /// One pipelined round trip (see the `read` module for why it needs no `MULTI`).
    async fn read(&self, id: &SessionId, query: MessageQuery) -> Result<Vec<Message>> {
        self.read_messages(id, query).await
    }

    async fn pop(&self, id: &SessionId) -> Result<Option<Message>> {
        let reply = self.eval(&scripts::POP, id, self.now(), Vec::new()).await?;
        match text(&reply[0]).as_str() {
            "not_found" => Err(Error::not_found(id)),
            "empty" => Ok(None),
            "corrupt" => Err(Error::corrupt(
                format!("{} entry {}", self.keys.messages(id), text(&reply[1])),
                text(&reply[2]),
            )),
            _ => {
                let key = self.keys.messages(id);
                let popped = message(&text(&reply[1]), text(&reply[2]).as_bytes(), &key)?;
                self.reindex_reply(id, &reply, 3, "[]").await?;
                Ok(Some(popped))
            }
        }
    }

    async fn clear(&self, id: &SessionId) -> Result<u64> {
        let reply = self
            .eval(&scripts::CLEAR, id, self.now(), Vec::new())
            .await?;
        if text(&reply[0]) == "not_found" {
            return Err(Error::not_found(id));
        }
        let removed: u64 = text(&reply[1]).parse().unwrap_or_default();
        if removed > 0 {
            self.reindex_reply(id, &reply, 2, "[]").await?;
        }
        Ok(removed)
    }
}
