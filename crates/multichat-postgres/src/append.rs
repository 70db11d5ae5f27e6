//! The append, the hot path, in two round trips instead of five: `BEGIN` and the row lock are
//! sent together, then the insert, the counter update and `COMMIT` together (tokio-postgres
//! pipelines statements polled at once on one connection). The decision in between — live?
//! compare-and-append, seqs, counters — is the core's, as on every other path.
//!
//! Statements sent outside a `Transaction` object are not rolled back by a drop, so the
//! connection is held by a [`Pinned`] guard: a call that does not reach its end (an error on the
//! wire, a caller that stops waiting) closes the connection rather than giving it back to the
//! pool in the middle of a transaction; the server then rolls the transaction back.

use deadpool_postgres::Object;
use multichat_core::{Message, NewMessage, Result, Session, SessionId, Timestamp};
use tokio_postgres::types::ToSql;
use tokio_postgres::{Row, Statement};

use crate::PostgresStore;
use crate::codec::{SESSION_COLUMNS, session};
use crate::params::json;

/// Inserts a batch of messages of one session (`{s}` is the schema).
const INSERT_MESSAGES_SQL: &str = "INSERT INTO {s}.messages (session_id, seq, role, sender, \
     content, metadata, created_at) SELECT $1, * FROM \
     unnest($2::bigint[], $3::text[], $4::text[], $5::text[], $6::text[], $7::bigint[])";

/// Writes a session's counters and times, and moves its participant index rows to its new
/// `updated_at` in the same statement (they hold it for the participant listing's keyset).
const SAVE_COUNTERS_SQL: &str = "WITH moved AS (UPDATE {s}.participants SET updated_at = $2 \
     WHERE session_id = $1 AND updated_at <> $2) \
     UPDATE {s}.sessions SET updated_at = $2, expires_at = $3, \
     version = $4, last_seq = $5, message_count = $6 WHERE id = $1";

/// The append's three statements with the schema written in: lock the session row, insert the
/// batch, save the counters.
#[derive(Debug)]
pub struct AppendSql {
    lock: String,
    /// Inserts a batch (also what restores and the row helpers use).
    pub insert: String,
    /// Saves the counters (also what pops and clears use).
    pub save: String,
}

impl AppendSql {
    /// The statements of schema `schema`.
    pub fn for_schema(schema: &str) -> Self {
        let lock = format!("SELECT {SESSION_COLUMNS} FROM {{s}}.sessions WHERE id = $1 FOR UPDATE");
        Self {
            lock: lock.replace("{s}", schema),
            insert: INSERT_MESSAGES_SQL.replace("{s}", schema),
            save: SAVE_COUNTERS_SQL.replace("{s}", schema),
        }
    }
}

/// The parameters of [`INSERT_MESSAGES_SQL`]: the batch as one array per column, borrowing the
/// messages' text.
pub struct MessageRows<'a> {
    id: &'a str,
    seqs: Vec<i64>,
    roles: Vec<&'a str>,
    senders: Vec<Option<&'a str>>,
    contents: Vec<&'a str>,
    metadata: Vec<String>,
    times: Vec<i64>,
}

impl<'a> MessageRows<'a> {
    /// The columns of `messages` of session `id`.
    pub fn of(id: &'a SessionId, messages: &'a [Message]) -> Self {
        Self {
            id: id.as_str(),
            seqs: messages.iter().map(|m| m.seq as i64).collect(),
            roles: messages.iter().map(|m| m.role.as_str()).collect(),
            senders: messages.iter().map(|m| m.sender.as_deref()).collect(),
            contents: messages.iter().map(|m| m.content.as_str()).collect(),
            metadata: messages.iter().map(|m| json(&m.metadata)).collect(),
            times: messages.iter().map(|m| m.created_at.0).collect(),
        }
    }

    /// The statement's parameters, in order.
    pub fn as_refs(&self) -> [&(dyn ToSql + Sync); 7] {
        [
            &self.id,
            &self.seqs,
            &self.roles,
            &self.senders,
            &self.contents,
            &self.metadata,
            &self.times,
        ]
    }
}

/// The parameters of [`SAVE_COUNTERS_SQL`].
pub struct CounterRow {
    id: String,
    updated_at: i64,
    expires_at: Option<i64>,
    counters: [i64; 3],
}

impl CounterRow {
    /// The counters and times of `s`.
    pub fn of(s: &Session) -> Self {
        Self {
            id: s.id.to_string(),
            updated_at: s.updated_at.0,
            expires_at: s.expires_at.map(|t| t.0),
            counters: [s.version as i64, s.last_seq as i64, s.message_count as i64],
        }
    }

    /// The statement's parameters, in order.
    pub fn as_refs(&self) -> [&(dyn ToSql + Sync); 6] {
        [
            &self.id,
            &self.updated_at,
            &self.expires_at,
            &self.counters[0],
            &self.counters[1],
            &self.counters[2],
        ]
    }
}

/// A pooled connection that goes back to the pool only once its write has ended (committed or
/// rolled back); dropped before that, it is closed.
struct Pinned {
    client: Option<Object>,
    ended: bool,
}

impl Drop for Pinned {
    fn drop(&mut self) {
        if let Some(client) = self.client.take().filter(|_| !self.ended) {
            drop(Object::take(client));
        }
    }
}

impl PostgresStore {
    /// Appends `messages` to session `id` in two round trips (see the module docs).
    pub(crate) async fn append_pipelined(
        &self,
        id: &SessionId,
        messages: Vec<NewMessage>,
        expected_last_seq: Option<u64>,
    ) -> Result<Vec<u64>> {
        let now = self.now();
        let mut pinned = Pinned {
            client: Some(self.client().await?),
            ended: false,
        };
        let c = pinned.client.as_ref().expect("held until drop");
        let [lock, insert, save] = self.prepare_append(c).await?;
        let key = id.as_str();
        let key: [&(dyn ToSql + Sync); 1] = [&key];
        let (_, found) = tokio::try_join!(
            self.bounded(c.batch_execute("BEGIN")),
            self.bounded(c.query(&lock, &key))
        )?;
        let decided = decide(found.first(), id, now).and_then(|mut s| {
            let stored = s.append_batch(messages, expected_last_seq, now)?;
            Ok((s, stored))
        });
        let (s, stored) = match decided {
            Ok(decided) => decided,
            Err(refused) => {
                self.bounded(c.batch_execute("ROLLBACK")).await?;
                pinned.ended = true;
                return Err(refused);
            }
        };
        let (rows, counters) = (MessageRows::of(id, &stored), CounterRow::of(&s));
        let (rows, counters) = (rows.as_refs(), counters.as_refs());
        tokio::try_join!(
            self.bounded(c.execute(&insert, &rows)),
            self.bounded(c.execute(&save, &counters)),
            self.bounded(c.batch_execute("COMMIT"))
        )?;
        pinned.ended = true;
        Ok(stored.iter().map(|m| m.seq).collect())
    }

    /// The append's three statements, prepared once per connection.
    async fn prepare_append(&self, c: &Object) -> Result<[Statement; 3]> {
        let sql = &self.append_sql;
        Ok([
            self.bounded(c.prepare_cached(&sql.lock)).await?,
            self.bounded(c.prepare_cached(&sql.insert)).await?,
            self.bounded(c.prepare_cached(&sql.save)).await?,
        ])
    }
}

/// The locked session row as a live session, or `NotFound`.
fn decide(row: Option<&Row>, id: &SessionId, now: Timestamp) -> Result<Session> {
    row.map(session)
        .transpose()?
        .filter(|s| !s.is_expired(now))
        .ok_or_else(|| multichat_core::Error::not_found(id))
}
