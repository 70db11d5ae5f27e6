//! Mapping of SQLite errors to `multichat_core::Error`.

use std::sync::Arc;

use multichat_core::{Context, Error};
use rusqlite::ErrorCode;

pub(crate) const BACKEND: &str = "sqlite";

/// Classifies a rusqlite error: busy/locked is transient (`Unavailable`), a damaged or foreign
/// file is `Corrupt`, the rest is `Backend`.
pub(crate) fn db(error: rusqlite::Error) -> Error {
    match error.sqlite_error_code() {
        Some(ErrorCode::DatabaseBusy | ErrorCode::DatabaseLocked) => Error::Unavailable {
            backend: BACKEND,
            source: Box::new(error),
        },
        Some(ErrorCode::NotADatabase | ErrorCode::DatabaseCorrupt) => Error::corrupt(
            "sqlite database",
            format!("{error} (not a SQLite database, or damaged)"),
        ),
        _ => Error::Backend {
            backend: BACKEND,
            source: Box::new(error),
        },
    }
}

/// The error given when the writer thread is gone (it only stops when the store is dropped).
pub(crate) fn writer_stopped() -> Error {
    Error::Backend {
        backend: BACKEND,
        source: "the SQLite writer thread has stopped".into(),
    }
}

/// The error of a group transaction that could not begin or commit, for each of its operations:
/// busy or locked (another process holds the database) is transient.
pub(crate) fn transaction_failed(error: &Arc<rusqlite::Error>) -> Error {
    let source = Context::new("transaction failed", Arc::clone(error)).into();
    match error.sqlite_error_code() {
        Some(ErrorCode::DatabaseBusy | ErrorCode::DatabaseLocked) => Error::Unavailable {
            backend: BACKEND,
            source,
        },
        _ => Error::Backend {
            backend: BACKEND,
            source,
        },
    }
}

/// A blocking task that panicked or was cancelled.
pub(crate) fn db_thread(error: tokio::task::JoinError) -> Error {
    Error::Backend {
        backend: BACKEND,
        source: Context::new("SQLite task failed", error).into(),
    }
}
