//! Row access of the reads, deletes and restores: load (and lock) a session row, write it whole
//! with its participants, insert its messages, delete it. Every statement is keyed by
//! `session_id`.

use deadpool_postgres::GenericClient;
use multichat_core::{Message, Result, Session, SessionId, Timestamp};

use crate::append::MessageRows;
use crate::codec::{SESSION_COLUMNS, session};
use crate::params::{insert_sql, row_params};
use crate::store::PostgresStore;

/// The session row `id`, locked for the rest of the transaction when `lock` (the row lock is
/// what serialises writers to one session, in any process; other sessions are not held up).
pub async fn load(
    store: &PostgresStore,
    c: &impl GenericClient,
    id: &SessionId,
    lock: bool,
) -> Result<Option<Session>> {
    let lock = if lock { " FOR UPDATE" } else { "" };
    let sql = store.sql(&format!(
        "SELECT {SESSION_COLUMNS} FROM {{s}}.sessions WHERE id = $1{lock}"
    ));
    let rows = store.query(c, &sql, &[&id.as_str()]).await?;
    rows.first().map(session).transpose()
}

/// Writes every column of `s`, creating or replacing its row (its messages are kept).
pub async fn write_row(store: &PostgresStore, c: &impl GenericClient, s: &Session) -> Result<()> {
    let sql = store.sql(&format!(
        "{} ON CONFLICT (id) DO UPDATE SET title = $2, participants = $3, metadata = $4, \
         created_at = $5, updated_at = $6, idle_ms = $7, deadline = $8, expires_at = $9, \
         version = $10, last_seq = $11, message_count = $12",
        insert_sql()
    ));
    store.execute(c, &sql, &row_params(s).as_refs()).await?;
    replace_participants(store, c, s).await
}

/// Replaces the participant index rows of `s`.
async fn replace_participants(
    store: &PostgresStore,
    c: &impl GenericClient,
    s: &Session,
) -> Result<()> {
    let delete = store.sql("DELETE FROM {s}.participants WHERE session_id = $1");
    store.execute(c, &delete, &[&s.id.as_str()]).await?;
    if s.participants.is_empty() {
        return Ok(());
    }
    let insert = store.sql(
        "INSERT INTO {s}.participants (session_id, participant, updated_at) \
         SELECT $1, unnest($2::text[]), $3",
    );
    store
        .execute(
            c,
            &insert,
            &[&s.id.as_str(), &s.participants, &s.updated_at.0],
        )
        .await?;
    Ok(())
}

/// Inserts `messages` of session `id` in one statement.
pub async fn insert_messages(
    store: &PostgresStore,
    c: &impl GenericClient,
    id: &SessionId,
    messages: &[Message],
) -> Result<()> {
    let rows = MessageRows::of(id, messages);
    store
        .execute(c, &store.write_sql.insert, &rows.as_refs())
        .await?;
    Ok(())
}

/// Deletes session `id` with its messages and participants, telling its watches in every
/// process (`NOTIFY`, sent on commit) so they end; whether a row was there, and whether it was
/// live at `now`.
pub async fn delete_row(
    store: &PostgresStore,
    c: &impl GenericClient,
    id: &SessionId,
    now: Timestamp,
) -> Result<bool> {
    let sql = store.sql(
        "WITH gone AS (DELETE FROM {s}.sessions WHERE id = $1 \
         RETURNING (expires_at IS NULL OR expires_at > $2) AS live) \
         SELECT live, pg_notify($3, $1) FROM gone",
    );
    let channel = store.config.schema.as_str();
    let rows = store
        .query(c, &sql, &[&id.as_str(), &now.0, &channel])
        .await?;
    Ok(rows.first().is_some_and(|r| r.get::<_, bool>(0)))
}
