//! Rows to model values and back: JSON columns, expiry columns, integer times.

use multichat_core::backend::{Counters, Times};
use multichat_core::{
    Error, Expiry, Message, Metadata, NewMessage, NewSession, Result, Role, Session, SessionId,
    Timestamp,
};
use rusqlite::Row;
use rusqlite::types::Value;

/// The columns of `sessions`, in the order `session` reads them.
pub const SESSION_COLUMNS: &str = "id, title, participants, metadata, created_at, updated_at, expiry_kind, \
     expiry_value, expires_at, version, last_seq, message_count";

/// The columns of `messages`, in the order `message` reads them, as a literal for `concat!`.
macro_rules! message_columns {
    () => {
        "seq, role, sender, content, metadata, created_at, client_key, tokens"
    };
}

/// The columns of `messages`, in the order `message` reads them.
pub const MESSAGE_COLUMNS: &str = message_columns!();

/// Decodes a `sessions` row selected with [`SESSION_COLUMNS`].
pub fn session(row: &Row<'_>) -> rusqlite::Result<Result<Session>> {
    let id: String = row.get(0)?;
    let title: Option<String> = row.get(1)?;
    let participants: String = row.get(2)?;
    let metadata: String = row.get(3)?;
    let expiry = (
        row.get::<_, Option<String>>(6)?,
        row.get::<_, Option<i64>>(7)?,
    );
    let head = head(row)?;
    Ok(decode_session(&id, &participants, &metadata, expiry).map(
        |(id, participants, metadata, expiry)| {
            let mut new = NewSession::new(id);
            (new.title, new.participants, new.metadata, new.expiry) =
                (title, participants, metadata, expiry);
            let times = Times {
                created_at: Timestamp(head.0),
                updated_at: Timestamp(head.1),
                expires_at: head.2.map(Timestamp),
            };
            let counters = Counters {
                version: head.3 as u64,
                last_seq: head.4 as u64,
                message_count: head.5 as u64,
            };
            Session::from_parts(new, times, counters)
        },
    ))
}

/// Times and counters of a session row: created, updated, expires, version, last seq, count.
fn head(row: &Row<'_>) -> rusqlite::Result<(i64, i64, Option<i64>, i64, i64, i64)> {
    Ok((
        row.get(4)?,
        row.get(5)?,
        row.get(8)?,
        row.get(9)?,
        row.get(10)?,
        row.get(11)?,
    ))
}

type Decoded = (SessionId, Vec<String>, Metadata, Option<Expiry>);

fn decode_session(
    id: &str,
    participants: &str,
    metadata: &str,
    expiry: (Option<String>, Option<i64>),
) -> Result<Decoded> {
    let bad = |why: String| Error::corrupt(format!("sqlite sessions row {id:?}"), why);
    let session_id = SessionId::new(id).map_err(|e| bad(e.to_string()))?;
    let participants =
        serde_json::from_str(participants).map_err(|e| bad(format!("participants: {e}")))?;
    let metadata = parse_metadata(metadata).map_err(|e| bad(format!("metadata: {e}")))?;
    let expiry = match expiry {
        (None, _) => None,
        (Some(kind), Some(v)) if kind == "idle" => Some(Expiry::IdleMs(v as u64)),
        (Some(kind), Some(v)) if kind == "at" => Some(Expiry::At(Timestamp(v))),
        (kind, value) => return Err(bad(format!("expiry {kind:?} {value:?}"))),
    };
    Ok((session_id, participants, metadata, expiry))
}

/// Decodes a `messages` row selected with [`MESSAGE_COLUMNS`].
pub fn message(row: &Row<'_>) -> rusqlite::Result<Result<Message>> {
    let seq: i64 = row.get(0)?;
    let role: String = row.get(1)?;
    let metadata: String = row.get(4)?;
    let sender: Option<String> = row.get(2)?;
    let content: String = row.get(3)?;
    let created_at: i64 = row.get(5)?;
    let key: Option<String> = row.get(6)?;
    let tokens: Option<i64> = row.get(7)?;
    let bad = |what: String| Error::corrupt(format!("sqlite messages row seq {seq}"), what);
    let metadata = parse_metadata(&metadata).map_err(|e| bad(format!("metadata: {e}")));
    // A count this store cannot have written (it writes u32s) is Corrupt, not dropped.
    let tokens = tokens.map(|n| u32::try_from(n).map_err(|_| bad(format!("tokens {n}"))));
    let parsed = metadata.and_then(|m| tokens.transpose().map(|t| (m, t)));
    Ok(parsed.map(|(metadata, tokens)| {
        let mut new = NewMessage::new(Role::from(role), content);
        (new.sender, new.key, new.tokens) = (sender, key, tokens);
        new.metadata = metadata;
        Message::from_new(new, seq as u64, Timestamp(created_at))
    }))
}

/// A `metadata` column. Most sessions and messages carry none: `{}` needs no parser.
fn parse_metadata(text: &str) -> serde_json::Result<Metadata> {
    match text {
        "{}" => Ok(Metadata::new()),
        text => serde_json::from_str(text),
    }
}

/// The `(expiry_kind, expiry_value)` columns of an expiry.
pub fn expiry_columns(expiry: Option<Expiry>) -> (Value, Value) {
    match expiry {
        Some(Expiry::IdleMs(ms)) => (Value::Text("idle".into()), Value::Integer(ms as i64)),
        Some(Expiry::At(t)) => (Value::Text("at".into()), Value::Integer(t.0)),
        None => (Value::Null, Value::Null),
    }
}

/// JSON text of a serializable value (metadata, participants); infallible for these types.
pub fn json<T: serde::Serialize>(value: &T) -> String {
    serde_json::to_string(value).unwrap_or_else(|_| "null".into())
}

/// What appends, pops and clears read of a session: its expiry and counters, no JSON.
pub const HEAD_SQL: &str = "SELECT version, updated_at, expiry_kind, expiry_value, expires_at, last_seq, message_count \
     FROM sessions WHERE id = ?1";

/// Decodes a row of [`HEAD_SQL`] into a session that carries only `id`, times, expiry and counters
/// (enough for the state transitions of appends, pops and clears).
pub fn head_row(row: &Row<'_>, id: &SessionId) -> rusqlite::Result<Session> {
    let kind: Option<String> = row.get(2)?;
    let value: Option<i64> = row.get(3)?;
    let mut new = NewSession::new(id.clone());
    new.expiry = match (kind.as_deref(), value) {
        (Some("idle"), Some(v)) => Some(Expiry::IdleMs(v as u64)),
        (Some("at"), Some(v)) => Some(Expiry::At(Timestamp(v))),
        _ => None,
    };
    let updated = Timestamp(row.get::<_, i64>(1)?);
    let times = Times {
        created_at: updated,
        updated_at: updated,
        expires_at: row.get::<_, Option<i64>>(4)?.map(Timestamp),
    };
    let counters = Counters {
        version: row.get::<_, i64>(0)? as u64,
        last_seq: row.get::<_, i64>(5)? as u64,
        message_count: row.get::<_, i64>(6)? as u64,
    };
    Ok(Session::from_parts(new, times, counters))
}
