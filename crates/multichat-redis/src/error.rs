//! Mapping Redis errors to `multichat_core::Error`.

use multichat_core::{Context, Error};
use redis::{ErrorKind, RedisError};

pub(crate) const BACKEND: &str = "redis";

/// Classifies a Redis error met while working on `key`: a dead or unreachable server is
/// `Unavailable`; a key of the wrong type, or a session whose counters a script found not to be
/// numbers (`MCCORRUPT`), is `Corrupt` naming the key; the rest is `Backend`
/// (authentication failures say so in their source).
pub(crate) fn redis(key: &str) -> impl FnOnce(RedisError) -> Error + '_ {
    move |e| {
        let text = e.to_string();
        if let Some(at) = text.find("MCCORRUPT") {
            let what = text[at + "MCCORRUPT".len()..].trim().to_owned();
            return Error::corrupt(format!("redis key {key}"), what);
        }
        if text.contains("WRONGTYPE") {
            return Error::corrupt(
                format!("redis key {key}"),
                "holds a value of the wrong type (not written by multichat)",
            );
        }
        if is_unavailable(&e) {
            return Error::Unavailable {
                backend: BACKEND,
                source: Box::new(e),
            };
        }
        if e.kind() == ErrorKind::AuthenticationFailed
            || text.contains("WRONGPASS")
            || text.contains("NOAUTH")
        {
            return Error::Backend {
                backend: BACKEND,
                source: Context::new("authentication failed", e).into(),
            };
        }
        Error::Backend {
            backend: BACKEND,
            source: Box::new(e),
        }
    }
}

fn is_unavailable(e: &RedisError) -> bool {
    e.is_io_error()
        || e.is_timeout()
        || e.is_connection_dropped()
        || e.is_connection_refusal()
        || e.is_cluster_error()
}

/// A call that got no answer within the configured timeouts.
pub(crate) fn timed_out(what: &str) -> Error {
    Error::Unavailable {
        backend: BACKEND,
        source: format!("no answer from Redis to {what} within the timeout").into(),
    }
}

/// A script answer this build does not understand.
pub(crate) fn unexpected(key: &str, what: &str) -> Error {
    Error::corrupt(
        format!("redis key {key}"),
        format!("unexpected answer: {what}"),
    )
}
