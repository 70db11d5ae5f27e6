//! Listing sessions: one page is one keyset walk of the `(updated_at DESC, id)` index (joined to
//! the participant index when filtered). Messages are never loaded. The four statements (with
//! and without a participant, first page or after a cursor) are made once at connect.

use deadpool_postgres::GenericClient;
use multichat_core::backend::page_of;
use multichat_core::{ListCursor, Page, Result, Session, SessionQuery};
use tokio_postgres::types::ToSql;

use crate::PostgresStore;
use crate::codec::{SESSION_COLUMNS, session};

/// The listing statements of one schema: `$1` now, `$2` the page size plus one, then the
/// participant when filtered, then the cursor's `updated_at` and id when given.
#[derive(Debug)]
pub struct ListSql {
    /// Indexed by `[participant?][cursor?]`.
    statements: [[String; 2]; 2],
}

impl ListSql {
    /// The statements of schema `schema`.
    pub fn for_schema(schema: &str) -> Self {
        let columns: Vec<String> = SESSION_COLUMNS
            .split(", ")
            .map(|c| format!("s.{c}"))
            .collect();
        let columns = columns.join(", ");
        // With a participant, the walk runs on that participant's index rows, which hold the
        // session's `updated_at`: O(page), whatever the participant's number of sessions.
        let from = [
            (
                "{s}.sessions s WHERE".to_owned(),
                ("s.updated_at", "s.id"),
                3,
            ),
            (
                "{s}.participants k JOIN {s}.sessions s ON s.id = k.session_id \
                 WHERE k.participant = $3 AND"
                    .to_owned(),
                ("k.updated_at", "k.session_id"),
                4,
            ),
        ];
        let statements = from.map(|(from, (updated, key), next)| {
            [false, true].map(|after| {
                let cursor = if after {
                    format!(
                        " AND ({updated} < ${next} OR ({updated} = ${next} AND {key} > ${}))",
                        next + 1
                    )
                } else {
                    String::new()
                };
                format!(
                    "SELECT {columns} FROM {from} (s.expires_at IS NULL OR s.expires_at > $1)\
                     {cursor} ORDER BY {updated} DESC, {key} ASC LIMIT $2"
                )
                .replace("{s}", schema)
            })
        });
        Self { statements }
    }
}

/// One page of live sessions in listing order.
pub async fn list(
    store: &PostgresStore,
    c: &impl GenericClient,
    q: &SessionQuery,
    cursor: Option<ListCursor>,
) -> Result<Page<Session>> {
    let (now, limit) = (store.now().0, (q.limit + 1) as i64);
    let mut params: Vec<&(dyn ToSql + Sync)> = vec![&now, &limit];
    if let Some(p) = &q.participant {
        params.push(p);
    }
    let after = cursor.map(|c| (c.updated_at.0, c.id.to_string()));
    if let Some((updated_at, id)) = &after {
        params.extend([updated_at as &(dyn ToSql + Sync), id]);
    }
    let sql = &store.list_sql.statements[usize::from(q.participant.is_some())]
        [usize::from(after.is_some())];
    let rows = store.query(c, sql, &params).await?;
    let found = rows.iter().map(session).collect::<Result<Vec<_>>>()?;
    Ok(page_of(found, q.limit))
}
