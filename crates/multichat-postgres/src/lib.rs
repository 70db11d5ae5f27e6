//! PostgreSQL backend for multichat: the durable store several machines share.
//!
//! [`PostgresStore::connect`] opens a pool on a database and creates (or upgrades) the tables in
//! the schema of [`PostgresConfig::schema`]; every process that connects to the same schema
//! sees and writes the same sessions. A write is one transaction that locks its session's row,
//! so many writers in many processes lose no update and never assign a seq twice; writers to
//! different sessions do not wait for each other. Every per-session statement is keyed by
//! `session_id`. See `docs/postgres-format.md`.
#![forbid(unsafe_code)]

mod append;
mod bulk;
mod codec;
mod config;
mod error;
mod heard;
mod lease;
mod listen;
mod listing;
mod messages;
mod params;
mod pinned;
mod restore;
mod rows;
mod schema;
mod sessions;
mod statements;
mod store;
mod tls;

pub use config::PostgresConfig;
pub use schema::SCHEMA_VERSION;
pub use store::PostgresStore;

/// `url` with its password replaced by `***` (for errors and logs).
///
/// ```
/// assert_eq!(
///     multichat_postgres::redact("postgres://app:s3cret@db/chats"),
///     "postgres://app:***@db/chats"
/// );
/// ```
pub fn redact(url: &str) -> String {
    let Some((scheme, rest)) = url.split_once("://") else {
        return url.to_owned();
    };
    match rest.rsplit_once('@') {
        Some((auth, host)) => {
            let user = auth.split(':').next().unwrap_or_default();
            let hidden = if auth.contains(':') { ":***" } else { "" };
            format!("{scheme}://{user}{hidden}@{host}")
        }
        None => url.to_owned(),
    }
}
