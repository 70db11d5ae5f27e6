//! [`Context`]: an underlying error with what was being done when it happened.

use crate::error::BoxError;

/// An error together with what was being done when it happened ("transaction failed", a file's
/// path). Its `Display` is that description alone; the error itself stays its
/// [`source`](std::error::Error::source), so nothing is lost to a string and a caller can still
/// downcast it.
///
/// ```
/// use std::error::Error as _;
/// use multichat_core::{Context, Error};
///
/// let io = std::io::Error::new(std::io::ErrorKind::PermissionDenied, "denied");
/// let err = Error::Backend { backend: "file", source: Context::new("chats.jsonl", io).into() };
/// let context = err.source().expect("the context");
/// assert_eq!(context.to_string(), "chats.jsonl");
/// let io = context.source().expect("the I/O error");
/// assert!(io.downcast_ref::<std::io::Error>().is_some());
/// ```
#[derive(Debug, thiserror::Error)]
#[error("{what}")]
pub struct Context {
    what: String,
    #[source]
    source: BoxError,
}

impl Context {
    /// `source`, met while doing `what`.
    pub fn new(what: impl Into<String>, source: impl Into<BoxError>) -> Self {
        Self {
            what: what.into(),
            source: source.into(),
        }
    }
}
