//! Reads, run on a reader connection (or the writer for in-memory stores).

use multichat_core::{
    ListCursor, Message, MessageQuery, Page, Result, Session, SessionId, SessionQuery, Timestamp,
    page_of,
};
use rusqlite::Connection;
use rusqlite::types::Value;

use crate::codec::{MESSAGE_COLUMNS, SESSION_COLUMNS, message, session};
use crate::error::db;
use crate::ops_sessions::{load, load_live};

/// The live session `id`, if any.
pub fn get(conn: &Connection, id: &SessionId, now: Timestamp) -> Result<Option<Session>> {
    Ok(load(conn, id)?.filter(|s| !s.is_expired(now)))
}

/// The messages `query` selects, in ascending seq order. Each form is one range scan of the
/// `(session_id, seq)` primary key: O(log n + limit).
pub fn read(
    conn: &Connection,
    id: &SessionId,
    query: MessageQuery,
    now: Timestamp,
) -> Result<Vec<Message>> {
    load_live(conn, id, now)?;
    let (sql, bound, limit) = match query {
        MessageQuery::Last { n } => ("seq <= ?2 ORDER BY seq DESC", i64::MAX, n),
        MessageQuery::After { seq, limit } => ("seq > ?2 ORDER BY seq ASC", clamp(seq), limit),
        MessageQuery::Before { seq, limit } => ("seq < ?2 ORDER BY seq DESC", clamp(seq), limit),
    };
    let sql =
        format!("SELECT {MESSAGE_COLUMNS} FROM messages WHERE session_id = ?1 AND {sql} LIMIT ?3");
    let mut stmt = conn.prepare_cached(&sql).map_err(db)?;
    let rows = stmt
        .query_map(rusqlite::params![id.as_str(), bound, limit as i64], message)
        .map_err(db)?;
    let mut found = rows
        .map(|r| r.map_err(db).and_then(std::convert::identity))
        .collect::<Result<Vec<Message>>>()?;
    if !matches!(query, MessageQuery::After { .. }) {
        found.reverse();
    }
    Ok(found)
}

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

fn clamp(seq: u64) -> i64 {
    i64::try_from(seq).unwrap_or(i64::MAX)
}
