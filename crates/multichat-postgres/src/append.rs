//! The append, the hot path, in two round trips (see [`crate::pinned`]): `BEGIN` and the row
//! lock, then the insert, the counter update, the `pg_notify` that wakes watches when one
//! leases the session (see [`crate::listen`], [`crate::lease`]) and `COMMIT`. The decision in
//! between — live? compare-and-append, seqs, counters — is the core's, as on every other path.
//! Also the statement parameters of a batch of messages and of a session's counters.

use std::collections::HashMap;

use multichat_core::backend::KeyedBatch;
use multichat_core::{Message, NewMessage, Result, Session, SessionId};
use tokio_postgres::types::ToSql;

use crate::PostgresStore;
use crate::params::json;
use crate::pinned::Pinned;

/// The parameters of the insert of a batch: the batch as one array per column, borrowing the
/// messages' text.
pub struct MessageRows<'a> {
    id: &'a str,
    seqs: Vec<i64>,
    roles: Vec<&'a str>,
    senders: Vec<Option<&'a str>>,
    contents: Vec<&'a str>,
    metadata: Vec<String>,
    times: Vec<i64>,
    keys: Vec<Option<&'a str>>,
    tokens: Vec<Option<i64>>,
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
            keys: messages.iter().map(|m| m.key.as_deref()).collect(),
            tokens: messages.iter().map(|m| m.tokens.map(i64::from)).collect(),
        }
    }

    /// The statement's parameters, in order.
    pub fn as_refs(&self) -> [&(dyn ToSql + Sync); 9] {
        [
            &self.id,
            &self.seqs,
            &self.roles,
            &self.senders,
            &self.contents,
            &self.metadata,
            &self.times,
            &self.keys,
            &self.tokens,
        ]
    }
}

/// The parameters of the counters' update.
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

impl PostgresStore {
    /// Appends `messages` to session `id` in two round trips (see the module docs).
    pub(crate) async fn append_pipelined(
        &self,
        id: &SessionId,
        messages: Vec<NewMessage>,
        expected_last_seq: Option<u64>,
    ) -> Result<Vec<u64>> {
        let now = self.now();
        let sql = &self.write_sql;
        let statements: [&str; 5] = [&sql.lock, &sql.insert, &sql.save, &sql.notify, &sql.held];
        let (mut tx, [lock, insert, save, notify, held]) = Pinned::open(self, statements).await?;
        // The stored messages holding the batch's keys, read after the row lock in the same
        // round trip (only for a batch with keys).
        let keys: Vec<&str> = messages.iter().filter_map(|m| m.key.as_deref()).collect();
        let key_params: [&(dyn ToSql + Sync); 2] = [&id.as_str(), &keys];
        let then = (!keys.is_empty()).then_some((&held, &key_params[..]));
        let locked = tx.begin_locked(&lock, id, now, then).await?;
        let (mut s, watched) = (locked.session, locked.watched);
        let decided = held_by_key(&locked.rows).and_then(|found| {
            let keyed = KeyedBatch::resolve(id, messages, |k| Ok(found.get(k).cloned()))?;
            s.append_keyed(keyed, expected_last_seq, now)
        });
        let (stored, seqs) = match decided {
            Ok(decided) => decided,
            Err(refused) => return tx.refuse(refused).await,
        };
        if stored.is_empty() {
            // A retry: nothing to write.
            tx.commit(false, &[]).await?;
            return Ok(seqs);
        }
        let (rows, counters) = (MessageRows::of(id, &stored), CounterRow::of(&s));
        // Only a leased session's appends notify (see `crate::lease`).
        let payload = match watched {
            true => crate::heard::payload(id, &stored),
            false => String::new(),
        };
        let heard: [&(dyn ToSql + Sync); 2] = [&self.config.schema, &payload];
        let steps = [
            (&insert, &rows.as_refs()[..]),
            (&save, &counters.as_refs()[..]),
            (&notify, &heard[..]),
        ];
        tx.commit(false, &steps[..if watched { 3 } else { 2 }])
            .await?;
        self.listener.changes.appended(id, &stored);
        Ok(seqs)
    }
}

/// The messages of `rows` (selected with `MESSAGE_COLUMNS`) by their client key.
fn held_by_key(rows: &[tokio_postgres::Row]) -> Result<HashMap<String, Message>> {
    let mut found = HashMap::with_capacity(rows.len());
    for row in rows {
        let m = crate::codec::message(row)?;
        if let Some(key) = m.key.clone() {
            found.insert(key, m);
        }
    }
    Ok(found)
}
