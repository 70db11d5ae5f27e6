//! The SQLite backend of multichat: one durable file, no server, readable with the `sqlite3`
//! tool. The default store.
//!
//! - WAL journal, `BEGIN IMMEDIATE` write transactions, foreign keys with cascading deletes.
//! - One writer thread that commits every queued write in one transaction (group commit) and
//!   answers each caller after that commit; a pool of read connections, each on a thread of its own.
//! - Schema versions in `PRAGMA user_version`; a newer schema, another program's database or a
//!   file that is not SQLite is refused and left untouched.
//! - Reads of the last N or a seq range are range scans of the `(session_id, seq)` key; listing
//!   is a keyset walk of the `updated_at` index.
//!
//! See [`SqliteStore`] for an example and `docs/sqlite-format.md` for the schema.
#![forbid(unsafe_code)]
#![deny(missing_docs)]

#[macro_use]
mod codec;
mod config;
mod detector;
mod error;
mod keyed;
mod listing;
mod messages;
mod readers;
mod restore;
mod rows;
mod schema;
mod sessions;
mod store;
mod worker;

pub use config::{SqliteConfig, Synchronous};
pub use schema::{APPLICATION_ID, SCHEMA_VERSION};
pub use store::SqliteStore;

/// The store's own statements, for the benchmarks' raw-`rusqlite` baseline (so that it runs the
/// same SQL); not part of the supported API.
#[doc(hidden)]
pub mod sql {
    pub use crate::codec::{HEAD_SQL, MESSAGE_COLUMNS, SESSION_COLUMNS};
    pub use crate::rows::{INSERT_MESSAGE_SQL, SAVE_COUNTERS_SQL};
    pub use crate::schema::{V1 as SCHEMA_V1, V2 as SCHEMA_V2};
}
