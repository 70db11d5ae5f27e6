//! Session rows as statement parameters: the values written, in [`SESSION_COLUMNS`] order.

use multichat_core::{Expiry, Session};
use tokio_postgres::types::ToSql;

use crate::codec::SESSION_COLUMNS;

/// The expiry columns of `s`: `(idle_ms, deadline)`.
pub fn expiry_columns(s: &Session) -> (Option<i64>, Option<i64>) {
    match s.expiry {
        Some(Expiry::IdleMs(ms)) => (Some(ms as i64), None),
        Some(Expiry::At(t)) => (None, Some(t.0)),
        None => (None, None),
    }
}

/// `value` as JSON text.
pub fn json<T: serde::Serialize>(value: &T) -> String {
    serde_json::to_string(value).unwrap_or_default()
}

/// The statement inserting a session row (`{s}` for the schema).
pub fn insert_sql() -> String {
    format!(
        "INSERT INTO {{s}}.sessions ({SESSION_COLUMNS}) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)"
    )
}

/// The values of a session row, in [`SESSION_COLUMNS`] order (also what `crate::bulk` gathers
/// into columns).
pub struct RowParams {
    pub id: String,
    pub title: Option<String>,
    /// Participants and metadata, as JSON text.
    pub texts: [String; 2],
    /// `created_at`, `updated_at`.
    pub times: [i64; 2],
    /// `idle_ms`, `deadline`, `expires_at`.
    pub expiry: [Option<i64>; 3],
    /// `version`, `last_seq`, `message_count`.
    pub counters: [i64; 3],
}

impl RowParams {
    pub fn as_refs(&self) -> [&(dyn ToSql + Sync); 12] {
        [
            &self.id,
            &self.title,
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

pub fn row_params(s: &Session) -> RowParams {
    let (idle, deadline) = expiry_columns(s);
    RowParams {
        id: s.id.to_string(),
        title: s.title.clone(),
        texts: [json(&s.participants), json(&s.metadata)],
        times: [s.created_at.0, s.updated_at.0],
        expiry: [idle, deadline, s.expires_at.map(|t| t.0)],
        counters: [s.version as i64, s.last_seq as i64, s.message_count as i64],
    }
}
