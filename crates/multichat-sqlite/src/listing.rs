//! Listing sessions: one page is one keyset walk of the `updated_at` index (joined to the
//! participant index when filtered), run on a reader connection. Messages are never loaded.

use multichat_core::backend::page_of;
use multichat_core::{ListCursor, Page, Result, Session, SessionQuery, Timestamp};
use rusqlite::Connection;
use rusqlite::types::Value;

use crate::codec::{SESSION_COLUMNS, session};
use crate::error::db;

/// One page of live sessions in listing order, by a keyset on the `updated_at` index.
pub fn list(
    conn: &Connection,
    query: &SessionQuery,
    cursor: Option<ListCursor>,
    now: Timestamp,
) -> Result<Page<Session>> {
    let mut sql = format!("SELECT {} FROM sessions s", prefixed_columns());
    let mut args: Vec<Value> = vec![Value::Integer(now.0)];
    if let Some(p) = &query.participant {
        sql.push_str(" JOIN session_participants p ON p.session_id = s.id AND p.participant = ?2");
        args.push(Value::Text(p.clone()));
    }
    sql.push_str(" WHERE (s.expires_at IS NULL OR s.expires_at > ?1)");
    if let Some(c) = cursor {
        let (ts, id) = (args.len() + 1, args.len() + 2);
        sql.push_str(&format!(
            " AND (s.updated_at < ?{ts} OR (s.updated_at = ?{ts} AND s.id > ?{id}))"
        ));
        args.extend([
            Value::Integer(c.updated_at.0),
            Value::Text(c.id.to_string()),
        ]);
    }
    sql.push_str(&format!(
        " ORDER BY s.updated_at DESC, s.id ASC LIMIT {}",
        query.limit + 1
    ));
    let mut stmt = conn.prepare_cached(&sql).map_err(db)?;
    let rows = stmt
        .query_map(rusqlite::params_from_iter(args), session)
        .map_err(db)?;
    let found = rows
        .map(|r| r.map_err(db).and_then(std::convert::identity))
        .collect::<Result<Vec<Session>>>()?;
    Ok(page_of(found, query.limit))
}

fn prefixed_columns() -> String {
    SESSION_COLUMNS
        .split(", ")
        .map(|c| format!("s.{c}"))
        .collect::<Vec<_>>()
        .join(", ")
}
