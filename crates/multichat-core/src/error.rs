//! The one error type of multichat and its classification.

use std::borrow::Cow;

use crate::id::SessionId;

/// A boxed backend error, kept as the source of [`Error::Unavailable`] and [`Error::Backend`].
pub type BoxError = Box<dyn std::error::Error + Send + Sync + 'static>;

/// The result type of every store operation.
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// Which counter a [`Error::Conflict`] was about.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum ConflictKind {
    /// The session's `version` (a [`crate::SessionPatch`] with an expected version).
    Version,
    /// The session's `last_seq` (a compare-and-append).
    LastSeq,
}

/// Everything that can go wrong in a store. Decide by [`Error::kind`] (or match the variant for
/// its details); [`Error::is_transient`] says whether a retry may succeed.
///
/// ```
/// # tokio::runtime::Runtime::new().unwrap().block_on(async {
/// use multichat_core::{ConflictKind, Error, ErrorKind, MemoryStore, MessageStore, NewMessage};
/// use multichat_core::{NewSession, SessionId, SessionStore};
///
/// let store = MemoryStore::new();
/// let id = SessionId::new("a")?;
/// store.create_session(NewSession::new(id.clone())).await?;
/// let stale = store.append(&id, vec![NewMessage::user("hi")], Some(3)).await;
/// match stale {
///     Err(Error::Conflict { kind: ConflictKind::LastSeq, actual, .. }) => assert_eq!(actual, 0),
///     other => panic!("{other:?}"),
/// }
/// let missing = store.append(&SessionId::new("b")?, vec![NewMessage::user("hi")], None).await;
/// assert_eq!(missing.unwrap_err().kind(), ErrorKind::NotFound);
/// # Ok::<(), multichat_core::Error>(())
/// # }).unwrap();
/// ```
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The session does not exist (or has expired).
    #[error("session {id} not found")]
    NotFound {
        /// The session that was asked for.
        id: SessionId,
    },
    /// A session with this id exists already.
    #[error("session {id} already exists")]
    AlreadyExists {
        /// The id that is taken.
        id: SessionId,
    },
    /// An expected `version` or `last_seq` did not match the stored one; nothing was changed.
    #[error("conflict on session {id}: expected {kind:?} {expected}, found {actual}")]
    Conflict {
        /// The session.
        id: SessionId,
        /// Which counter was compared.
        kind: ConflictKind,
        /// The value the caller expected.
        expected: u64,
        /// The value the store holds.
        actual: u64,
    },
    /// A message's client key ([`crate::NewMessage::key`]) is held in its session by a message
    /// of other content; nothing was stored. [`ErrorKind::Conflict`], like a failed compare.
    #[error("conflict on session {id}: key {key:?} is held by message {seq}, of other content")]
    KeyConflict {
        /// The session.
        id: SessionId,
        /// The key.
        key: String,
        /// The seq of the stored message holding it.
        seq: u64,
    },
    /// The input breaks a rule or a limit; nothing was stored.
    #[error("invalid {field}: {reason}")]
    InvalidInput {
        /// The field or argument at fault.
        field: Cow<'static, str>,
        /// What is wrong with it, with the limit where one applies.
        reason: String,
    },
    /// The backend cannot be reached now; retrying later may succeed.
    #[error("{backend} is unavailable")]
    Unavailable {
        /// The backend's name.
        backend: &'static str,
        /// The underlying error.
        #[source]
        source: BoxError,
    },
    /// The write was made on the primary but fewer replicas than asked confirmed it in time
    /// (e.g. Redis `WAIT`): it is **maybe applied** — kept if the primary survives, lost if a
    /// replica that did not see it takes over. Not transient: a blind retry may store it twice;
    /// read back (or compare-and-append) before writing again.
    #[error(
        "{backend}: written, but confirmed by {confirmed} of {wanted} replicas (maybe applied)"
    )]
    Unconfirmed {
        /// The backend's name.
        backend: &'static str,
        /// Replicas asked for.
        wanted: u32,
        /// Replicas that confirmed.
        confirmed: u32,
    },
    /// Stored data cannot be decoded.
    #[error("corrupt data at {location}: {reason}")]
    Corrupt {
        /// Where the data is: a file and line, a key, a table and row.
        location: String,
        /// What is wrong with it.
        reason: String,
    },
    /// The stored format or schema version is not one this build knows.
    #[error("incompatible {what}: found version {found}, this build supports {supported}")]
    Incompatible {
        /// What carries the version (a schema, a format marker).
        what: String,
        /// The version found.
        found: String,
        /// The versions this build supports.
        supported: String,
    },
    /// Any other backend failure.
    #[error("{backend} failed")]
    Backend {
        /// The backend's name.
        backend: &'static str,
        /// The underlying error.
        #[source]
        source: BoxError,
    },
}

impl Error {
    /// Builds an [`Error::InvalidInput`].
    pub fn invalid(field: impl Into<Cow<'static, str>>, reason: impl Into<String>) -> Self {
        Self::InvalidInput {
            field: field.into(),
            reason: reason.into(),
        }
    }

    /// Builds an [`Error::NotFound`] for `id`.
    pub fn not_found(id: &SessionId) -> Self {
        Self::NotFound { id: id.clone() }
    }

    /// Builds an [`Error::KeyConflict`].
    pub fn key_conflict(id: &SessionId, key: impl Into<String>, seq: u64) -> Self {
        Self::KeyConflict {
            id: id.clone(),
            key: key.into(),
            seq,
        }
    }

    /// Builds an [`Error::Corrupt`].
    pub fn corrupt(location: impl Into<String>, reason: impl Into<String>) -> Self {
        Self::Corrupt {
            location: location.into(),
            reason: reason.into(),
        }
    }

    /// True when retrying the same call later may succeed (the backend was unavailable).
    pub fn is_transient(&self) -> bool {
        matches!(self, Self::Unavailable { .. })
    }

    /// Which kind of failure this is, for decisions, logs and metrics.
    ///
    /// ```
    /// use multichat_core::{Error, ErrorKind};
    ///
    /// let err = Error::invalid("title", "too long");
    /// assert_eq!(err.kind(), ErrorKind::InvalidInput);
    /// assert_eq!(err.kind().to_string(), "invalid_input");
    /// ```
    pub fn kind(&self) -> ErrorKind {
        match self {
            Self::NotFound { .. } => ErrorKind::NotFound,
            Self::AlreadyExists { .. } => ErrorKind::AlreadyExists,
            Self::Conflict { .. } | Self::KeyConflict { .. } => ErrorKind::Conflict,
            Self::InvalidInput { .. } => ErrorKind::InvalidInput,
            Self::Unavailable { .. } => ErrorKind::Unavailable,
            Self::Unconfirmed { .. } => ErrorKind::Unconfirmed,
            Self::Corrupt { .. } => ErrorKind::Corrupt,
            Self::Incompatible { .. } => ErrorKind::Incompatible,
            Self::Backend { .. } => ErrorKind::Backend,
        }
    }
}

/// The kind of an [`Error`], without its details: what [`Error::kind`] returns.
///
/// Its `Display` is a short stable snake_case name (`not_found`, `invalid_input`, …), fit for
/// logs and metric labels.
///
/// ```
/// use multichat_core::{Error, ErrorKind};
///
/// let e = Error::invalid("title", "too long");
/// assert_eq!(e.kind(), ErrorKind::InvalidInput);
/// assert_eq!(e.kind().to_string(), "invalid_input");
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum ErrorKind {
    /// [`Error::NotFound`].
    NotFound,
    /// [`Error::AlreadyExists`].
    AlreadyExists,
    /// [`Error::Conflict`] and [`Error::KeyConflict`].
    Conflict,
    /// [`Error::InvalidInput`].
    InvalidInput,
    /// [`Error::Unavailable`].
    Unavailable,
    /// [`Error::Unconfirmed`].
    Unconfirmed,
    /// [`Error::Corrupt`].
    Corrupt,
    /// [`Error::Incompatible`].
    Incompatible,
    /// [`Error::Backend`].
    Backend,
}

impl ErrorKind {
    /// The kind's stable snake_case name.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::NotFound => "not_found",
            Self::AlreadyExists => "already_exists",
            Self::Conflict => "conflict",
            Self::InvalidInput => "invalid_input",
            Self::Unavailable => "unavailable",
            Self::Unconfirmed => "unconfirmed",
            Self::Corrupt => "corrupt",
            Self::Incompatible => "incompatible",
            Self::Backend => "backend",
        }
    }

    /// True for the kinds that are an answer about the data or the input (not found, exists,
    /// conflict, invalid input): the store worked, so retrying elsewhere gives the same answer.
    pub fn is_answer(self) -> bool {
        matches!(
            self,
            Self::NotFound | Self::AlreadyExists | Self::Conflict | Self::InvalidInput
        )
    }
}

impl std::fmt::Display for ErrorKind {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}
