//! `MessageStore` for `RedisStore`: one Lua script per operation, one round trip.

use async_trait::async_trait;
use multichat_core::{
    ConflictKind, Error, Message, MessageQuery, MessageStore, NewMessage, Result, SessionId,
};
use redis::Value;

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
        let mut args = vec![expected_last_seq.map(|s| s.to_string()).unwrap_or_default()];
        args.extend(messages.iter().map(|m| message_json(m, now)));
        let reply = self.eval(&scripts::APPEND, id, now, args).await?;
        match text(&reply[0]).as_str() {
            "not_found" => Err(Error::not_found(id)),
            "conflict" => Err(Error::Conflict {
                id: id.clone(),
                kind: ConflictKind::LastSeq,
                expected: expected_last_seq.unwrap_or_default(),
                actual: text(&reply[1]).parse().unwrap_or_default(),
            }),
            _ => {
                let first: u64 = text(&reply[1])
                    .parse()
                    .map_err(|_| unexpected(&self.keys.session(id), "first seq"))?;
                self.reindex_reply(id, &reply, 2, "[]").await?;
                Ok((first..first + messages.len() as u64).collect())
            }
        }
    }

    /// One atomic `MULTI`/`EXEC` round trip (both keys share a slot): the session's expiry and
    /// one range command on the stream, O(log n + count).
    async fn read(&self, id: &SessionId, query: MessageQuery) -> Result<Vec<Message>> {
        self.config.limits.check_read(&query)?;
        let (form, seq, limit) = read_args(query);
        let (key, stream) = (self.keys.session(id), self.keys.messages(id));
        let mut pipe = redis::pipe();
        pipe.atomic()
            .cmd("HMGET")
            .arg(&key)
            .arg("version")
            .arg("expires_at");
        match form {
            "last" => pipe
                .cmd("XREVRANGE")
                .arg(&stream)
                .arg("+")
                .arg("-")
                .arg("COUNT")
                .arg(limit),
            "after" => pipe
                .cmd("XRANGE")
                .arg(&stream)
                .arg(format!("({seq}-0"))
                .arg("+")
                .arg("COUNT")
                .arg(limit),
            "before" => pipe
                .cmd("XREVRANGE")
                .arg(&stream)
                .arg(format!("({seq}-0"))
                .arg("-")
                .arg("COUNT")
                .arg(limit),
            _ => pipe.cmd("EXISTS").arg(&stream),
        };
        let (head, entries): (Vec<Option<String>>, Value) = self.query_pipe(pipe, &key).await?;
        if !live(&head, self.now()) {
            return Err(Error::not_found(id));
        }
        let mut found = if form == "none" {
            Vec::new()
        } else {
            self.entries(id, Some(&entries))?
        };
        if form != "after" {
            found.reverse();
        }
        Ok(found)
    }

    async fn pop(&self, id: &SessionId) -> Result<Option<Message>> {
        let reply = self.eval(&scripts::POP, id, self.now(), Vec::new()).await?;
        match text(&reply[0]).as_str() {
            "not_found" => Err(Error::not_found(id)),
            "empty" => Ok(None),
            _ => {
                let popped = message(&text(&reply[1]), &text(&reply[2]), &self.keys.messages(id))?;
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

impl RedisStore {
    /// Decodes stream entries `[[id, [field, json]], …]`.
    fn entries(&self, id: &SessionId, value: Option<&Value>) -> Result<Vec<Message>> {
        let key = self.keys.messages(id);
        let entries: Vec<(String, Vec<String>)> = value
            .map(redis::from_redis_value_ref)
            .transpose()
            .map_err(|_| unexpected(&key, "stream entries"))?
            .unwrap_or_default();
        entries
            .iter()
            .map(|(entry, fields)| message(entry, fields.get(1).map_or("", String::as_str), &key))
            .collect()
    }
}

/// The read script's form, seq and limit for `query`; `none` when the answer is empty anyway
/// (a zero limit, after the largest seq, before seq 1).
fn read_args(query: MessageQuery) -> (&'static str, u64, usize) {
    let (form, seq, limit) = match query {
        MessageQuery::Last { n } => ("last", 0, n),
        MessageQuery::After { seq, limit } if seq < u64::MAX => ("after", seq, limit),
        MessageQuery::Before { seq, limit } if seq > 1 => ("before", seq, limit),
        _ => ("none", 0, 0),
    };
    if limit == 0 {
        ("none", 0, 0)
    } else {
        (form, seq, limit)
    }
}

/// Whether an `HMGET version expires_at` answer is a live session at `now`.
fn live(head: &[Option<String>], now: multichat_core::Timestamp) -> bool {
    let exists = head.first().is_some_and(Option::is_some);
    let expires = head.get(1).cloned().flatten().unwrap_or_default();
    exists && (expires.is_empty() || expires.parse::<i64>().is_ok_and(|t| now.0 < t))
}
