//! A token-budget read (`MessageQuery::Budget`): the newest messages in growing chunks — 64 at
//! first (most context windows hold fewer), then twice as many before the oldest read, until
//! one passes the budget, the limit is reached or the history ends. A window of up to 64
//! messages is one round trip, like `last(64)`, and never the query's whole `limit`.

use multichat_core::{Message, MessageQuery, Result, SessionId};

use crate::RedisStore;

/// The first chunk of a budget read.
const FIRST_CHUNK: usize = 64;

impl RedisStore {
    /// The newest messages of session `id` that fit `query` (a budget), oldest first.
    pub(crate) async fn read_budget(
        &self,
        id: &SessionId,
        query: MessageQuery,
    ) -> Result<Vec<Message>> {
        self.config.limits.check_read(&query)?;
        let limit = query.limit();
        let mut chunk = limit.min(FIRST_CHUNK);
        let mut read = self.read_messages(id, MessageQuery::last(chunk)).await?;
        // More only while every message read fits, the limit is not reached and the history
        // may go on past the oldest one read (the last chunk came back full).
        let mut more = read.len() >= chunk;
        while more && read.len() < limit && query.fitting(&read) == read.len() {
            let Some(oldest) = read.first().map(|m| m.seq) else {
                break;
            };
            chunk = (chunk * 2).min(limit - read.len());
            let mut older = self
                .read_messages(id, MessageQuery::before(oldest, chunk))
                .await?;
            more = older.len() >= chunk;
            older.append(&mut read);
            read = older;
        }
        Ok(query.window(read))
    }
}
