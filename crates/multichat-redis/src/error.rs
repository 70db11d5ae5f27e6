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

/// Server answers that mean "not now": a replica not confirming (`NOREPLICAS`), a master whose
/// link to its own master is down (`MASTERDOWN`), a server loading its data (`LOADING`), a write
/// that reached a node demoted to replica (`READONLY`), a cluster without full coverage
/// (`CLUSTERDOWN`) or moving a slot (`TRYAGAIN`). A retry may succeed, so they are `Unavailable`.
const TRANSIENT_CODES: [&str; 6] = [
    "NOREPLICAS",
    "MASTERDOWN",
    "LOADING",
    "READONLY",
    "CLUSTERDOWN",
    "TRYAGAIN",
];

fn is_unavailable(e: &RedisError) -> bool {
    e.is_io_error()
        || e.is_timeout()
        || e.is_connection_dropped()
        || e.is_connection_refusal()
        || e.is_cluster_error()
        || e.code().is_some_and(|code| TRANSIENT_CODES.contains(&code))
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

#[cfg(test)]
mod tests {
    use multichat_core::ErrorKind as Kind;

    #[test]
    fn failover_answers_are_transient_and_others_are_not() {
        for code in super::TRANSIENT_CODES {
            let e = redis::make_extension_error(code.into(), Some("during a failover".into()));
            let mapped = super::redis("mc:{s}:s")(e);
            assert_eq!(mapped.kind(), Kind::Unavailable, "{code}");
            assert!(mapped.is_transient(), "{code}");
        }
        let other = redis::make_extension_error("ERR".into(), Some("unknown command".into()));
        assert_eq!(super::redis("k")(other).kind(), Kind::Backend);
        let corrupt = redis::make_extension_error("ERR".into(), Some("MCCORRUPT field x".into()));
        assert_eq!(super::redis("k")(corrupt).kind(), Kind::Corrupt);
    }
}
