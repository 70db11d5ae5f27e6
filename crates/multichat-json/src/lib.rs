//! The JSON files backend of multichat: plain files to read, diff and back up, no database.
//!
//! ```text
//! root/multichat-json.json      {"format":"multichat-json","version":1}
//! root/lock                     advisory lock of the process that has the store open
//! root/sessions/<name>.json     the session record (pretty JSON), rewritten only when the
//!                               session itself changes (create, patch, pop, clear)
//! root/messages/<name>.jsonl    append-only log, one message per line
//! ```
//!
//! An append is one write and one fsync of the log, whatever the history's length; the log's
//! last line carries the session's counters, so the record need not be rewritten. Reads of the
//! last N scan the log backwards from its end. A torn last line or a half-written batch is cut on
//! the next open; a session record behind its log is reconciled from the log. `<name>` encodes
//! the session id injectively (see [`layout::encode`]). See `docs/json-format.md`.
//!
//! See [`JsonStore`] for an example.
#![forbid(unsafe_code)]
#![deny(missing_docs)]

mod codec;
mod config;
mod damage;
mod error;
pub mod fs;
mod keys;
pub mod layout;
mod messages;
mod records;
mod recover;
mod restore;
mod scan;
mod seek;
mod sessions;
mod state;
mod store;
mod tail;
mod window;

pub use config::{Durability, JsonConfig};
pub use error::FileError;
pub use fs::{FileSystem, StdFs};
pub use store::JsonStore;
