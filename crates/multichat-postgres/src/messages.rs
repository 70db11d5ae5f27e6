//! `MessageStore` for `PostgresStore`: a write is a transaction of two round trips that locks
//! the session row (compare-and-append decided under that lock, by the core transitions; see
//! [`crate::pinned`]); a read is one statement, O(log n + limit) on the `(session_id, seq)` key.

use std::sync::Arc;

use async_trait::async_trait;
use futures_util::StreamExt;
use multichat_core::{
    Message, MessageQuery, MessageStore, MessageStream, NewMessage, Result, SessionId,
};

use tokio_postgres::types::ToSql;

use crate::PostgresStore;
use crate::append::CounterRow;
use crate::codec::{MESSAGE_COLUMNS, message};
use crate::pinned::Pinned;

#[async_trait]
impl MessageStore for PostgresStore {
    async fn append(
        &self,
        id: &SessionId,
        messages: Vec<NewMessage>,
        expected_last_seq: Option<u64>,
    ) -> Result<Vec<u64>> {
        self.config.limits.check_batch(&messages)?;
        self.append_pipelined(id, messages, expected_last_seq).await
    }

    async fn read(&self, id: &SessionId, q: MessageQuery) -> Result<Vec<Message>> {
        self.config.limits.check_read(&q)?;
        let now = self.now();
        let (sql, args, newest_first) = read_sql(self, q);
        let client = self.client().await?;
        let key = id.as_str();
        let mut params: Vec<&(dyn ToSql + Sync)> = vec![&key, &now.0];
        params.extend(args.iter().map(|v| v as &(dyn ToSql + Sync)));
        let found = self.query(&client, sql, &params).await?;
        if found.is_empty() {
            return Err(multichat_core::Error::not_found(id));
        }
        let mut messages = found
            .iter()
            .filter(|row| row.try_get::<_, Option<i64>>(0).ok().flatten().is_some())
            .map(message)
            .collect::<Result<Vec<_>>>()?;
        if newest_first {
            messages.reverse();
        }
        Ok(messages)
    }

    async fn pop(&self, id: &SessionId) -> Result<Option<Message>> {
        let now = self.now();
        let sql = &self.write_sql;
        let (mut tx, [lock, pop, save]) =
            Pinned::open(self, [&sql.lock, &sql.pop, &sql.save]).await?;
        let key = id.as_str();
        let then = (&pop, &[&key as &(dyn ToSql + Sync)][..]);
        let locked = tx.begin_locked(&lock, id, now, Some(then)).await?;
        let (mut s, removed) = (locked.session, locked.rows);
        let Some(row) = removed.first() else {
            tx.commit(false, &[]).await?;
            return Ok(None);
        };
        let popped = message(row).and_then(|m| s.record_removal(1, now).map(|()| m));
        let popped = match popped {
            Ok(popped) => popped,
            Err(refused) => return tx.refuse(refused).await,
        };
        let counters = CounterRow::of(&s);
        tx.commit(false, &[(&save, &counters.as_refs())]).await?;
        Ok(Some(popped))
    }

    async fn clear(&self, id: &SessionId) -> Result<u64> {
        let now = self.now();
        let sql = &self.write_sql;
        let (mut tx, [lock, clear, save]) =
            Pinned::open(self, [&sql.lock, &sql.clear, &sql.save]).await?;
        let key = id.as_str();
        let then = (&clear, &[&key as &(dyn ToSql + Sync)][..]);
        let locked = tx.begin_locked(&lock, id, now, Some(then)).await?;
        let (mut s, found) = (locked.session, locked.rows);
        let count = |i| found.first().and_then(|r| r.try_get::<_, i64>(i).ok());
        let (removed, highest) = (count(0).unwrap_or(0), count(1).unwrap_or(0));
        let (removed, highest) = (removed.max(0) as u64, highest.max(0) as u64);
        let version = s.version;
        if let Err(refused) = s.record_clear(removed, highest, now) {
            return tx.refuse(refused).await;
        }
        let counters = CounterRow::of(&s);
        let save = [(&save, &counters.as_refs()[..])];
        let changed = s.version != version;
        tx.commit(false, if changed { &save } else { &[] }).await?;
        Ok(removed)
    }

    /// Woken by `NOTIFY` from every process's appends to it (the watch leases the session
    /// before its first read, `crate::lease`) and deletes, so a watch reads on its own only
    /// every `watch.recheck` (which bounds how late an expiry is seen;
    /// `docs/postgres-format.md`, "Watches").
    fn watch(self: Arc<Self>, id: SessionId, after_seq: u64) -> MessageStream {
        self.listener
            .start(&self.config.schema, &self.write_sql.lease);
        let config = self.config.watch.rechecking();
        let changes = Arc::clone(&self.listener.changes);
        let follow = changes.follow(Arc::clone(&self), id.clone(), after_seq, config);
        let leased = async move {
            self.lease(&id).await;
            None::<Result<Message>>
        };
        let leased = futures_util::stream::once(leased).filter_map(std::future::ready);
        Box::pin(leased.chain(follow))
    }
}

/// The one statement of a read: the session's row (is it live?) and the messages `q` selects;
/// its parameters after `$1` (the id) and `$2` (now) — the limit, then the seq bound or the
/// budget and what an uncounted message counts as —; and whether it returns the messages newest
/// first. No row at all means no live session; a row without a seq means no message.
fn read_sql(store: &PostgresStore, q: MessageQuery) -> (&str, Vec<i64>, bool) {
    let sql = &store.read_sql;
    let clamp = |v: u64| i64::try_from(v).unwrap_or(i64::MAX);
    let limit = i64::try_from(q.limit()).unwrap_or(i64::MAX);
    match q {
        MessageQuery::Last { .. } => (&sql.last, vec![limit], true),
        MessageQuery::After { seq, .. } => (&sql.after, vec![limit, clamp(seq)], false),
        MessageQuery::Before { seq, .. } => (&sql.before, vec![limit, clamp(seq)], true),
        MessageQuery::Budget {
            tokens, uncounted, ..
        } => {
            let args = vec![limit, clamp(tokens), i64::from(uncounted)];
            (&sql.budget, args, true)
        }
    }
}

/// The read statements with the schema written in, made once at connect (a read formats
/// nothing).
#[derive(Debug)]
pub struct ReadSql {
    last: String,
    after: String,
    before: String,
    /// A token budget: the newest `$3` messages with their running token count (`$5` for an
    /// uncounted one), only those within `$4` sent back.
    budget: String,
}

impl ReadSql {
    /// The statements of schema `schema`.
    pub fn for_schema(schema: &str) -> Self {
        let sql = |filter: &str, order: &str| {
            format!(
                "SELECT m.*, s.id FROM {{s}}.sessions s LEFT JOIN LATERAL \
                 (SELECT {MESSAGE_COLUMNS} FROM {{s}}.messages WHERE session_id = s.id{filter} \
                 ORDER BY seq {order} LIMIT $3) m ON true \
                 WHERE s.id = $1 AND (s.expires_at IS NULL OR s.expires_at > $2)"
            )
            .replace("{s}", schema)
        };
        Self {
            last: sql("", "DESC"),
            after: sql(" AND seq > $4", "ASC"),
            before: sql(" AND seq < $4", "DESC"),
            // The newest `$3` first, then their running sum in float8: exact for any sum of at
            // most 1,000 u32 counts (below 2^53) and cheaper than the numeric of a bigint sum.
            budget: format!(
                "SELECT m.*, s.id FROM {{s}}.sessions s LEFT JOIN LATERAL \
                 (SELECT * FROM (SELECT *, sum(coalesce(tokens, $5::bigint)::float8) \
                 OVER (ORDER BY seq DESC) AS spent FROM (SELECT {MESSAGE_COLUMNS} \
                 FROM {{s}}.messages WHERE session_id = s.id ORDER BY seq DESC LIMIT $3) l) w \
                 WHERE spent <= $4::bigint::float8) m \
                 ON true WHERE s.id = $1 AND (s.expires_at IS NULL OR s.expires_at > $2)"
            )
            .replace("{s}", schema),
        }
    }
}
