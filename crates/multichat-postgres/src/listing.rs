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
    let now = store.now().0;
    let limit = (q.limit + 1) as i64;
    let mut params: Vec<Box<dyn ToSql + Sync + Send>> = vec![Box::new(now), Box::new(limit)];
    // With a participant, the walk runs on that participant's index rows, which hold the
    // session's `updated_at`: O(page), whatever the participant's number of sessions.
    let (mut sql, order) = match &q.participant {
        Some(p) => {
            params.push(Box::new(p.clone()));
            let from = format!(
                "SELECT {} FROM {{s}}.participants k JOIN {{s}}.sessions s ON s.id = k.session_id \
                 WHERE k.participant = $3 AND",
                columns.join(", ")
            );
            (from, ("k.updated_at", "k.session_id"))
        }
        None => {
            let from = format!("SELECT {} FROM {{s}}.sessions s WHERE", columns.join(", "));
            (from, ("s.updated_at", "s.id"))
        }
    };
    sql.push_str(" (s.expires_at IS NULL OR s.expires_at > $1)");
    if let Some(c) = cursor {
        params.push(Box::new(c.updated_at.0));
        params.push(Box::new(c.id.to_string()));
        let (ts, id) = (params.len() - 1, params.len());
        let (updated, key) = order;
        sql.push_str(&format!(
            " AND ({updated} < ${ts} OR ({updated} = ${ts} AND {key} > ${id}))"
        ));
    }
    sql.push_str(&format!(
        " ORDER BY {} DESC, {} ASC LIMIT $2",
        order.0, order.1
    ));
    let refs: Vec<&(dyn ToSql + Sync)> = params
        .iter()
        .map(|p| p.as_ref() as &(dyn ToSql + Sync))
        .collect();
    let rows = store.query(c, &store.sql(&sql), &refs).await?;
    let found = rows.iter().map(session).collect::<Result<Vec<_>>>()?;
    Ok(page_of(found, q.limit))
}
