//! Whole sessions restored in bulk (`RestoreStore::restore_sessions`): the records, their
//! participant rows and every message of a batch of sessions as one array per column, so a
//! batch costs five statements in one transaction, whatever it holds: delete the ids, insert the
//! sessions, the participants and the messages from `unnest(…)`, commit. Also the records of
//! many ids in one statement, which an import plans against.

use std::collections::HashMap;

use multichat_core::{Result, Session, SessionId, WholeSession};
use tokio_postgres::types::ToSql;

use crate::PostgresStore;
use crate::codec::{SESSION_COLUMNS, session};
use crate::params::{json, row_params};

/// Deletes the sessions `$1` (their messages and participants cascade).
const DELETE: &str = "DELETE FROM {s}.sessions WHERE id = ANY($1)";

/// The participant rows, one array per column.
const PARTICIPANTS: &str = "INSERT INTO {s}.participants (session_id, participant, updated_at) \
     SELECT * FROM unnest($1::text[], $2::text[], $3::bigint[])";

/// The message rows of many sessions, one array per column.
const MESSAGES: &str = "INSERT INTO {s}.messages (session_id, seq, role, sender, content, \
     metadata, created_at, client_key, tokens) SELECT * FROM unnest($1::text[], $2::bigint[], \
     $3::text[], $4::text[], $5::text[], $6::text[], $7::bigint[], $8::text[], $9::bigint[])";

/// The columns of a batch's session rows, in [`SESSION_COLUMNS`] order.
#[derive(Default)]
struct SessionColumns {
    ids: Vec<String>,
    titles: Vec<Option<String>>,
    texts: [Vec<String>; 2],
    times: [Vec<i64>; 2],
    expiry: [Vec<Option<i64>>; 3],
    counters: [Vec<i64>; 3],
}

impl SessionColumns {
    /// Adds the row of `s`, made as a single row's parameters are ([`row_params`]).
    fn push(&mut self, s: &Session) {
        let row = row_params(s);
        self.ids.push(row.id);
        self.titles.push(row.title);
        push_each(&mut self.texts, row.texts);
        push_each(&mut self.times, row.times);
        push_each(&mut self.expiry, row.expiry);
        push_each(&mut self.counters, row.counters);
    }

    fn as_refs(&self) -> [&(dyn ToSql + Sync); 12] {
        [
            &self.ids,
            &self.titles,
            &self.texts[0],
            &self.texts[1],
            &self.times[0],
            &self.times[1],
            &self.expiry[0],
            &self.expiry[1],
            &self.expiry[2],
            &self.counters[0],
            &self.counters[1],
            &self.counters[2],
        ]
    }
}

/// Pushes each of `values` onto its column.
fn push_each<T, const N: usize>(columns: &mut [Vec<T>; N], values: [T; N]) {
    for (column, value) in columns.iter_mut().zip(values) {
        column.push(value);
    }
}

/// The columns of a batch's message rows.
#[derive(Default)]
struct MessageColumns<'a> {
    ids: Vec<&'a str>,
    seqs: Vec<i64>,
    roles: Vec<&'a str>,
    senders: Vec<Option<&'a str>>,
    contents: Vec<&'a str>,
    metadata: Vec<String>,
    times: Vec<i64>,
    keys: Vec<Option<&'a str>>,
    tokens: Vec<Option<i64>>,
}

impl<'a> MessageColumns<'a> {
    fn of(sessions: &'a [WholeSession]) -> Self {
        let mut columns = Self::default();
        for whole in sessions {
            for m in &whole.messages {
                columns.ids.push(whole.session.id.as_str());
                columns.seqs.push(m.seq as i64);
                columns.roles.push(m.role.as_str());
                columns.senders.push(m.sender.as_deref());
                columns.contents.push(&m.content);
                columns.metadata.push(json(&m.metadata));
                columns.times.push(m.created_at.0);
                columns.keys.push(m.key.as_deref());
                columns.tokens.push(m.tokens.map(i64::from));
            }
        }
        columns
    }
}

impl PostgresStore {
    /// The live records of `ids`, in their order, read in one statement.
    pub(crate) async fn live_records(&self, ids: &[SessionId]) -> Result<Vec<Option<Session>>> {
        let keys: Vec<&str> = ids.iter().map(SessionId::as_str).collect();
        let sql = self.sql(&format!(
            "SELECT {SESSION_COLUMNS} FROM {{s}}.sessions WHERE id = ANY($1)"
        ));
        let client = self.client().await?;
        let rows = self.query(&client, &sql, &[&keys]).await?;
        let now = self.now();
        let mut found = HashMap::new();
        for row in &rows {
            let s = session(row)?;
            if !s.is_expired(now) {
                found.insert(s.id.clone(), s);
            }
        }
        Ok(ids.iter().map(|id| found.get(id).cloned()).collect())
    }

    /// Writes `sessions` (checked already) in one transaction.
    pub(crate) async fn restore_in_bulk(&self, sessions: &[WholeSession]) -> Result<()> {
        let mut rows = SessionColumns::default();
        let mut named: [Vec<&str>; 2] = Default::default();
        let mut named_at = Vec::new();
        for whole in sessions {
            let s = &whole.session;
            rows.push(s);
            for p in &s.participants {
                named[0].push(s.id.as_str());
                named[1].push(p);
                named_at.push(s.updated_at.0);
            }
        }
        let messages = MessageColumns::of(sessions);
        let m = &messages;
        let message_refs: [&(dyn ToSql + Sync); 9] = [
            &m.ids,
            &m.seqs,
            &m.roles,
            &m.senders,
            &m.contents,
            &m.metadata,
            &m.times,
            &m.keys,
            &m.tokens,
        ];
        let insert = self.sql(&format!(
            "INSERT INTO {{s}}.sessions ({SESSION_COLUMNS}) SELECT * FROM unnest($1::text[], \
             $2::text[], $3::text[], $4::text[], $5::bigint[], $6::bigint[], $7::bigint[], \
             $8::bigint[], $9::bigint[], $10::bigint[], $11::bigint[], $12::bigint[])"
        ));
        let mut client = self.client().await?;
        let tx = self.begin(&mut client).await?;
        self.execute(&tx, &self.sql(DELETE), &[&rows.ids]).await?;
        self.execute(&tx, &insert, &rows.as_refs()).await?;
        let participants: [&(dyn ToSql + Sync); 3] = [&named[0], &named[1], &named_at];
        self.execute(&tx, &self.sql(PARTICIPANTS), &participants)
            .await?;
        self.execute(&tx, &self.sql(MESSAGES), &message_refs)
            .await?;
        self.commit(tx).await
    }
}
