//! Watch leases: which sessions some process watches, so that only their appends notify.
//!
//! A notifying transaction serializes its commit with every other notifying one in the
//! database (PostgreSQL takes one lock for the notification queue until the commit is flushed),
//! which costs concurrent appenders their group commit: measured with `pgbench`, 16 clients
//! appending with a `pg_notify` each made 1,950–2,160 appends/s, without it 3,340–3,800/s. So a
//! session's row carries `watched_until` (milliseconds of the *server's* clock, so machines with
//! skewed clocks agree), which a watch sets [`LEASE`] ahead before its first read and its
//! store's listening connection renews every [`RENEW_EVERY`] for every session watched in the
//! process; an append notifies only when the row it locked is leased.
//!
//! The lease is written on the session's row, under its row lock, so it cannot race an append:
//! an append that locked the row before the lease committed is visible to the watch's first
//! read, one that locked it after sees the lease and notifies. A lease that lapsed (its process
//! died, or could not renew through an outage) only costs wake-ups; the watches still read every
//! `WatchConfig::recheck`, and a listening connection that comes back renews, then wakes every
//! watch to read.

use std::time::Duration;

use multichat_core::SessionId;

use crate::PostgresStore;

/// How far ahead a lease is set.
pub const LEASE: Duration = Duration::from_secs(30);

/// How often the listening connection renews its process's leases.
pub const RENEW_EVERY: Duration = Duration::from_secs(10);

/// The server's clock in milliseconds, as SQL.
pub const SERVER_MS: &str = "(extract(epoch from statement_timestamp()) * 1000)::bigint";

/// The statement that leases the sessions `$1` for `$2` ms: rows locked in id order, so two
/// processes renewing overlapping sets never deadlock.
pub fn sql(schema: &str) -> String {
    format!(
        "WITH l AS (SELECT id FROM {schema}.sessions WHERE id = ANY($1) ORDER BY id FOR UPDATE) \
         UPDATE {schema}.sessions s SET watched_until = {SERVER_MS} + $2 FROM l WHERE s.id = l.id"
    )
}

/// Leases `ids` with `client`'s connection.
pub async fn renew(
    client: &tokio_postgres::Client,
    sql: &str,
    ids: &[SessionId],
) -> Result<u64, tokio_postgres::Error> {
    if ids.is_empty() {
        return Ok(0);
    }
    let ids: Vec<&str> = ids.iter().map(SessionId::as_str).collect();
    let ms = LEASE.as_millis() as i64;
    client.execute(sql, &[&ids, &ms]).await
}

impl PostgresStore {
    /// Leases `id` for a watch about to read it. A failure is left to the watch's recheck and
    /// to the listening connection's next renewal.
    pub(crate) async fn lease(&self, id: &SessionId) {
        if let Ok(client) = self.client().await {
            let renewed = renew(&client, &self.write_sql.lease, std::slice::from_ref(id));
            let _ = self.bounded(renewed).await;
        }
    }
}
