//! Rows to model values and back: JSON text columns, expiry columns, integer times. A stored
//! value this store cannot have written is `Corrupt`, never a panic.

use multichat_core::backend::{Counters, Times};
use multichat_core::{
    Expiry, Message, Metadata, NewMessage, NewSession, Result, Role, Session, SessionId, Timestamp,
};
use tokio_postgres::Row;

use crate::error::corrupt;

/// The columns of `sessions`, in the order [`session`] reads them.
pub const SESSION_COLUMNS: &str = "id, title, participants, metadata, created_at, updated_at, \
     idle_ms, deadline, expires_at, version, last_seq, message_count";

/// The columns of `messages`, in the order [`message`] reads them.
pub const MESSAGE_COLUMNS: &str =
    "seq, role, sender, content, metadata, created_at, client_key, tokens";

/// Reads column `i` of `row`, or `Corrupt` naming it.
fn get<'a, T: tokio_postgres::types::FromSql<'a>>(row: &'a Row, i: usize) -> Result<T> {
    row.try_get(i)
        .map_err(|e| corrupt("row", format!("column {i}: {e}")))
}

/// A counter column: never negative.
fn counter(row: &Row, i: usize) -> Result<u64> {
    let v: i64 = get(row, i)?;
    u64::try_from(v).map_err(|_| corrupt("sessions row", format!("counter {v} is negative")))
}

/// Decodes a `sessions` row selected with [`SESSION_COLUMNS`].
pub fn session(row: &Row) -> Result<Session> {
    let times = Times {
        created_at: Timestamp(get(row, 4)?),
        updated_at: Timestamp(get(row, 5)?),
        expires_at: get::<Option<i64>>(row, 8)?.map(Timestamp),
    };
    let counters = Counters {
        version: counter(row, 9)?,
        last_seq: counter(row, 10)?,
        message_count: counter(row, 11)?,
    };
    Ok(Session::from_parts(new_session(row)?, times, counters))
}

/// The fields of a `sessions` row that a caller gives: id, title, participants, metadata,
/// expiry.
fn new_session(row: &Row) -> Result<NewSession> {
    let id: &str = get(row, 0)?;
    let bad = |why: String| corrupt(format!("sessions row {id:?}"), why);
    let mut new = NewSession::new(SessionId::new(id).map_err(|e| bad(e.to_string()))?);
    new.title = get(row, 1)?;
    new.participants = serde_json::from_str(get(row, 2)?).map_err(|e| bad(e.to_string()))?;
    new.metadata = serde_json::from_str(get(row, 3)?).map_err(|e| bad(e.to_string()))?;
    new.expiry = expiry(row).map_err(bad)?;
    Ok(new)
}

/// The expiry policy of a `sessions` row: at most one of `idle_ms` and `deadline`.
fn expiry(row: &Row) -> std::result::Result<Option<Expiry>, String> {
    let column = |i| row.try_get::<_, Option<i64>>(i).map_err(|e| e.to_string());
    match (column(6)?, column(7)?) {
        (Some(ms), None) => u64::try_from(ms)
            .map(|ms| Some(Expiry::IdleMs(ms)))
            .map_err(|_| format!("idle_ms {ms}")),
        (None, Some(at)) => Ok(Some(Expiry::At(Timestamp(at)))),
        (None, None) => Ok(None),
        both => Err(format!("both expiry columns set: {both:?}")),
    }
}

/// The nullable columns of a `messages` row: sender, client key, and a token count that fits
/// a `u32` (`bad` makes the error of one that does not).
fn optional(
    row: &Row,
    bad: &impl Fn(String) -> multichat_core::Error,
) -> Result<(Option<String>, Option<String>, Option<u32>)> {
    let tokens: Option<i64> = get(row, 7)?;
    let tokens = tokens.map(|n| u32::try_from(n).map_err(|_| bad(format!("tokens {n}"))));
    Ok((get(row, 2)?, get(row, 6)?, tokens.transpose()?))
}

/// Decodes a `messages` row selected with [`MESSAGE_COLUMNS`].
pub fn message(row: &Row) -> Result<Message> {
    let seq: i64 = get(row, 0)?;
    let bad = |why: String| corrupt(format!("messages row seq {seq}"), why);
    let role: String = get(row, 1)?;
    let metadata: Metadata =
        serde_json::from_str(get(row, 4)?).map_err(|e| bad(format!("metadata: {e}")))?;
    let mut new = NewMessage::new(Role::from(role), get::<String>(row, 3)?).metadata(metadata);
    (new.sender, new.key, new.tokens) = optional(row, &bad)?;
    let seq = u64::try_from(seq).map_err(|_| bad("negative seq".into()))?;
    Ok(Message::from_new(new, seq, Timestamp(get(row, 5)?)))
}
