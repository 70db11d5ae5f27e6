//! PostgreSQL and pool errors as multichat errors: a server that cannot be reached, a lost
//! connection or a timeout is a transient `Unavailable`; anything else is `Backend`, its source
//! kept.

use multichat_core::{Context, Error};
use tokio_postgres::error::SqlState;

/// The backend name in errors.
pub const BACKEND: &str = "postgres";

/// A `tokio_postgres` error.
pub fn db(e: tokio_postgres::Error) -> Error {
    let transient = e.is_closed()
        || e.code().is_some_and(|c| {
            [
                SqlState::QUERY_CANCELED,
                SqlState::ADMIN_SHUTDOWN,
                SqlState::CRASH_SHUTDOWN,
                SqlState::CANNOT_CONNECT_NOW,
                SqlState::T_R_SERIALIZATION_FAILURE,
                SqlState::T_R_DEADLOCK_DETECTED,
            ]
            .contains(c)
        })
        || (e.code().is_none() && !is_refused_certificate(&e));
    if let Some(taken) = taken_key(&e) {
        return taken;
    }
    if transient {
        return Error::Unavailable {
            backend: BACKEND,
            source: e.into(),
        };
    }
    Error::Backend {
        backend: BACKEND,
        source: e.into(),
    }
}

/// A client key stored twice in one session (only a restore can try: an append resolves keys
/// first) is `InvalidInput`.
fn taken_key(e: &tokio_postgres::Error) -> Option<Error> {
    let db = e.as_db_error()?;
    (db.code() == &SqlState::UNIQUE_VIOLATION && db.constraint() == Some("messages_by_key")).then(
        || {
            Error::invalid(
                "key",
                format!("a client key held twice in one session: {}", db.message()),
            )
        },
    )
}

/// True when the TLS handshake failed on the certificate (rustls reports it as `InvalidData`):
/// trying again cannot help.
fn is_refused_certificate(e: &tokio_postgres::Error) -> bool {
    std::error::Error::source(e)
        .and_then(|s| s.downcast_ref::<std::io::Error>())
        .is_some_and(|io| io.kind() == std::io::ErrorKind::InvalidData)
}

/// A pool error: no connection within the timeout, or the server refused one.
pub fn pool(e: deadpool_postgres::PoolError) -> Error {
    match e {
        deadpool_postgres::PoolError::Backend(e) => db(e),
        other => Error::Unavailable {
            backend: BACKEND,
            source: Context::new("no PostgreSQL connection", other).into(),
        },
    }
}

/// A stored value this store cannot have written.
pub fn corrupt(what: impl Into<String>, why: impl Into<String>) -> Error {
    Error::corrupt(format!("postgres {}", what.into()), why)
}
