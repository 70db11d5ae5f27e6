//! `MessageStore` for `RedisStore`: one Lua script per write (`scripts/append.lua`, `pop.lua`,
//! `clear.lua`), one round trip; reads are one pipeline (the `read` module).

use std::sync::Arc;

use async_trait::async_trait;
use multichat_core::{
    ConflictKind, Error, Message, MessageQuery, MessageStore, MessageStream, NewMessage, Result,
    SessionId,
};

use crate::calls::{AppendCall, Call, items};
use crate::codec::{message, message_json};
use crate::replies::{Appended, Cleared, Popped, Reply};
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
        key_args(&messages, &mut args);
        let keys = [
            self.keys.session(id),
            self.keys.messages(id),
            self.keys.client_keys(id),
        ];
        let call = Arc::new(AppendCall { keys, args });
        let key = &call.keys[0];
        let append = || Call::Append(Arc::clone(&call));
        let (reply, confirmed) = match self.config.confirm_replicas {
            0 => (self.script_call(&scripts::APPEND, key, append).await?, 0),
            _ => self.confirmed_call(key, append).await?,
        };
        let items = items(reply);
        match Appended::decode(&Reply::new(key.as_str(), items))? {
            Appended::Done {
                first,
                seqs,
                indexed,
            } => {
                let seqs = seqs.unwrap_or_else(|| (first..first + messages.len() as u64).collect());
                // The messages this call stored (a retried one keeps its seq, below `first`).
                let fresh = messages
                    .into_iter()
                    .zip(&seqs)
                    .filter(|(_, s)| **s >= first);
                let stored: Vec<Message> =
                    fresh.map(|(m, s)| Message::from_new(m, *s, now)).collect();
                if !stored.is_empty() {
                    self.waker.changes.appended(id, &stored);
                    self.reindex(id, indexed.as_ref(), "[]").await;
                }
                self.check_confirmed(confirmed)?;
                Ok(seqs)
            }
            refused => Err(refusal(id, expected_last_seq, &call.keys[1], refused)),
        }
    }

    /// One pipelined round trip (see the `read` module for why it needs no `MULTI`).
    async fn read(&self, id: &SessionId, query: MessageQuery) -> Result<Vec<Message>> {
        match query {
            MessageQuery::Budget { .. } => self.read_budget(id, query).await,
            _ => self.read_messages(id, query).await,
        }
    }

    async fn pop(&self, id: &SessionId) -> Result<Option<Message>> {
        let reply = self.eval(&scripts::POP, id, self.now(), Vec::new()).await?;
        let key = self.keys.messages(id);
        match Popped::decode(&reply)? {
            Popped::Done {
                entry,
                fields,
                indexed,
            } => {
                let popped = message(&entry, fields.as_bytes(), &key)?;
                self.reindex(id, Some(&indexed), "[]").await;
                Ok(Some(popped))
            }
            Popped::Empty => Ok(None),
            Popped::NotFound => Err(Error::not_found(id)),
            Popped::Corrupt { entry, reason } => {
                Err(Error::corrupt(format!("{key} entry {entry}"), reason))
            }
        }
    }

    async fn clear(&self, id: &SessionId) -> Result<u64> {
        let reply = self
            .eval(&scripts::CLEAR, id, self.now(), Vec::new())
            .await?;
        match Cleared::decode(&reply)? {
            Cleared::Done { removed, indexed } => {
                self.reindex(id, indexed.as_ref(), "[]").await;
                Ok(removed)
            }
            Cleared::NotFound => Err(Error::not_found(id)),
        }
    }

    /// On one server, woken by every process's appends (`XREAD BLOCK`, see `waker.rs`); in a
    /// Cluster by this store's own appends, and polling for the rest.
    fn watch(self: Arc<Self>, id: SessionId, after_seq: u64) -> MessageStream {
        // The stream reader (one server) or the listener (Cluster) hears every append, whoever
        // makes it: the watches only recheck.
        let mut config = self.config.watch.rechecking();
        if self.conn.is_cluster() {
            self.waker
                .start_cluster(self.url().nodes().to_vec(), &self.keys);
        } else if let Ok(client) = redis::Client::open(self.url().nodes()[0].as_str()) {
            self.waker.start(client, self.keys.clone());
        } else {
            config = self.config.watch;
        }
        let changes = Arc::clone(&self.waker.changes);
        changes.follow(self, id, after_seq, config)
    }
}

/// The client keys of a batch, as the append script takes them: their number, then each one's
/// position in the batch (from 1) and the key.
fn key_args(messages: &[NewMessage], args: &mut Vec<String>) {
    let at = args.len();
    args.push(String::new());
    for (i, m) in messages.iter().enumerate() {
        if let Some(key) = &m.key {
            args.extend([(i + 1).to_string(), key.clone()]);
        }
    }
    args[at] = ((args.len() - at - 1) / 2).to_string();
}

/// The error of an append the script refused (nothing written) for session `id`, whose message
/// stream is `stream`.
fn refusal(id: &SessionId, expected: Option<u64>, stream: &str, refused: Appended) -> Error {
    match refused {
        Appended::KeyConflict { key, seq } => Error::key_conflict(id, key, seq),
        Appended::Conflict { actual } => Error::Conflict {
            id: id.clone(),
            kind: ConflictKind::LastSeq,
            expected: expected.unwrap_or_default(),
            actual,
        },
        Appended::Corrupt { seq } => Error::corrupt(
            format!("{stream} at seq {seq}"),
            "a stored entry at or past the next seq, not written by this store; nothing appended",
        ),
        Appended::NotFound => Error::not_found(id),
        Appended::Done { .. } => crate::error::unexpected(stream, "a done append as a refusal"),
    }
}
