//! The append's write transaction, keys included (retry-safe appends, `NewMessage::key`). A
//! batch with keys is first written as if none of them were held: the unique index
//! `messages_by_key` turns a held one away (`ON CONFLICT … DO NOTHING`, seen as a row not
//! inserted), so a fresh keyed append costs no lookup. Only then — a retry, or a key of other
//! content — are the rows just written deleted again and the batch resolved against the
//! stored keys, one index probe per keyed message.

use multichat_core::backend::{AppendPlan, KeyedBatch};
use multichat_core::{Message, NewMessage, Result, Session, SessionId, Timestamp};
use rusqlite::{Connection, OptionalExtension, params};

use crate::codec::message;
use crate::error::db;
use crate::rows;

/// The messages an append stored and the seq of each message of its batch.
pub type Appended = (Vec<Message>, Vec<u64>);

/// Appends `batch` (validated) to the live session `id` at `now`, in the writer's transaction.
pub fn append(
    conn: &Connection,
    id: &SessionId,
    batch: Vec<NewMessage>,
    expected_last_seq: Option<u64>,
    now: Timestamp,
) -> Result<Appended> {
    let mut s = rows::load_head(conn, id, now)?;
    let keyed = batch.iter().any(|m| m.key.is_some());
    let batch = match s.plan_append(batch.len() as u64, expected_last_seq, now) {
        Ok(plan) => match first_try(conn, &mut s, &plan, batch, keyed)? {
            Ok(done) => return Ok(done),
            Err(batch) => batch,
        },
        // A stale compare may still be a retry's, which the resolution below answers.
        Err(refused) if !keyed => return Err(refused),
        Err(_) => batch,
    };
    resolved(conn, &mut s, batch, expected_last_seq, now)
}

/// Appends `batch` to `s` resolved against the keys the session holds: the retried messages keep
/// their seqs, the others are written.
fn resolved(
    conn: &Connection,
    s: &mut Session,
    batch: Vec<NewMessage>,
    expected_last_seq: Option<u64>,
    now: Timestamp,
) -> Result<Appended> {
    let id = s.id.clone();
    let resolved = KeyedBatch::resolve(&id, batch, |k| held(conn, &id, k))?;
    let (stored, seqs) = s.append_keyed(resolved, expected_last_seq, now)?;
    if !stored.is_empty() {
        rows::insert_messages(conn, &id, &stored)?;
        rows::save_counters(conn, s)?;
    }
    Ok((stored, seqs))
}

/// Writes `batch` as `plan` (made on `s`) says, as if none of its keys were held. When one is
/// (`keyed` batches only), deletes the rows it wrote and hands the batch back.
fn first_try(
    conn: &Connection,
    s: &mut Session,
    plan: &AppendPlan,
    batch: Vec<NewMessage>,
    keyed: bool,
) -> Result<std::result::Result<Appended, Vec<NewMessage>>> {
    let stored = plan.stamp(batch);
    if rows::insert_rows(conn, &s.id, &stored, keyed)? {
        s.apply_append(plan);
        rows::save_counters(conn, s)?;
        return Ok(Ok((stored, plan.seqs())));
    }
    // The rows this attempt inserted, and only they (a foreign row past them stays).
    let undo = "DELETE FROM messages WHERE session_id = ?1 AND seq >= ?2 AND seq < ?3";
    let mut stmt = conn.prepare_cached(undo).map_err(db)?;
    let (from, to) = (plan.first_seq as i64, (plan.first_seq + plan.count) as i64);
    stmt.execute(params![s.id.as_str(), from, to]).map_err(db)?;
    Ok(Err(stored.iter().map(NewMessage::from).collect()))
}

/// The stored message of session `id` holding client key `key`: one probe of the
/// `messages_by_key` index.
fn held(conn: &Connection, id: &SessionId, key: &str) -> Result<Option<Message>> {
    let sql = concat!(
        "SELECT ",
        message_columns!(),
        " FROM messages WHERE session_id = ?1 AND client_key = ?2"
    );
    let mut stmt = conn.prepare_cached(sql).map_err(db)?;
    let row = stmt.query_row(params![id.as_str(), key], message);
    row.optional().map_err(db)?.transpose()
}
