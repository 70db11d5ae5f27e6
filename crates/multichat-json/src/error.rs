//! I/O errors of the JSON store, with the file they concern.

use std::io;

use multichat_core::Error;

pub(crate) const BACKEND: &str = "json";

/// An I/O error on one file.
#[derive(Debug, thiserror::Error)]
#[error("{path}")]
pub struct FileError {
    /// The file.
    pub path: String,
    /// What went wrong.
    #[source]
    pub source: io::Error,
}

/// Wraps an I/O error on `path` as a backend error.
pub(crate) fn io_at(path: &std::path::Path) -> impl FnOnce(io::Error) -> Error + '_ {
    move |source| Error::Backend {
        backend: BACKEND,
        source: Box::new(FileError {
            path: path.display().to_string(),
            source,
        }),
    }
}

/// An error of a blocking task (a panic in store code).
pub(crate) fn task_failed(error: &tokio::task::JoinError) -> Error {
    Error::Backend {
        backend: BACKEND,
        source: format!("JSON store task failed: {error}").into(),
    }
}

/// A call whose worker thread gave no answer (the store's workers stopped).
pub(crate) fn worker_stopped() -> Error {
    Error::Backend {
        backend: BACKEND,
        source: "the JSON store's worker threads have stopped".into(),
    }
}

/// An operation on session `id` that panicked (caught; the store goes on).
pub(crate) fn panicked(id: &multichat_core::SessionId) -> Error {
    Error::Backend {
        backend: BACKEND,
        source: format!("an operation on session {id} panicked; it was not applied").into(),
    }
}
