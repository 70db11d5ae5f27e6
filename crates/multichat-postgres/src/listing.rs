//! Listing sessions: one page is one keyset walk of the `(updated_at DESC, id)` index (joined to
//! the participant index when filtered). Messages are never loaded.

use deadpool_postgres::GenericClient;
use multichat_core::backend::page_of;
use multichat_core::{ListCursor, Page, Result, Session, SessionQuery};
use tokio_postgres::types::ToSql;

use crate::PostgresStore;
use crate::codec::{SESSION_COLUMNS, session};

/// One page of live sessions in listing order.
pub async fn list(
    store: &PostgresStore,
    c: &impl GenericClient,
    q: &SessionQuery,
    cursor: Option<ListCursor>,
) -> Result<Page<Session>> {
    let columns: Vec<String> = SESSION_COLUMNS
        .split(", ")
        .map(|c| format!("s.{c}"))
        .collect();
    let mut sql = format!("SELECT {} FROM {{s}}.sessions s", columns.join(", "));
    let now = store.now().0;
    let limit = (q.limit + 1) as i64;
    let mut params: Vec<Box<dyn ToSql + Sync + Send>> = vec![Box::new(now), Box::new(limit)];
    if let Some(p) = &q.participant {
        params.push(Box::new(p.clone()));
        sql.push_str(&format!(
            " JOIN {{s}}.participants p ON p.session_id = s.id AND p.participant = ${}",
            params.len()
        ));
    }
    sql.push_str(" WHERE (s.expires_at IS NULL OR s.expires_at > $1)");
    if let Some(c) = cursor {
        params.push(Box::new(c.updated_at.0));
        params.push(Box::new(c.id.to_string()));
        let (ts, id) = (params.len() - 1, params.len());
        sql.push_str(&format!(
            " AND (s.updated_at < ${ts} OR (s.updated_at = ${ts} AND s.id > ${id}))"
        ));
    }
    sql.push_str(" ORDER BY s.updated_at DESC, s.id ASC LIMIT $2");
    let refs: Vec<&(dyn ToSql + Sync)> = params
        .iter()
        .map(|p| p.as_ref() as &(dyn ToSql + Sync))
        .collect();
    let rows = store.query(c, &store.sql(&sql), &refs).await?;
    let found = rows.iter().map(session).collect::<Result<Vec<_>>>()?;
    Ok(page_of(found, q.limit))
}
