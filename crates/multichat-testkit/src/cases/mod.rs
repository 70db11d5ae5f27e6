//! The guarantees of the conformance suite, one public async function each, grouped by topic.
//! Each takes a [`Fixture`] with a fresh, empty store and panics when the guarantee is broken.

pub mod bounds;
pub mod budget;
pub mod concurrency;
pub mod expiry;
pub mod handles;
pub mod keys;
pub mod listing;
pub mod messages;
pub mod queries;
pub mod sessions;
pub mod update;
pub mod validation;
pub mod watch;
pub mod watch_fanout;

use std::fmt::Debug;

use multichat_core::{Message, NewMessage, NewSession, Result, Session, SessionId};

use crate::Fixture;

/// A session id from a literal known to be valid.
pub fn sid(name: &str) -> SessionId {
    SessionId::new(name).expect("valid test id")
}

/// Creates a plain session named `name`.
pub async fn create(fx: &Fixture, name: &str) -> Session {
    fx.store
        .create_session(NewSession::new(sid(name)))
        .await
        .expect("create")
}

/// Appends `n` user messages `"<prefix>0"`, `"<prefix>1"`, … one call each; returns their seqs.
pub async fn append_texts(fx: &Fixture, id: &SessionId, prefix: &str, n: usize) -> Vec<u64> {
    let mut seqs = Vec::with_capacity(n);
    for i in 0..n {
        let message = NewMessage::user(format!("{prefix}{i}"));
        seqs.extend(
            fx.store
                .append(id, vec![message], None)
                .await
                .expect("append"),
        );
    }
    seqs
}

/// The seqs of `messages`.
pub fn seqs(messages: &[Message]) -> Vec<u64> {
    messages.iter().map(|m| m.seq).collect()
}

/// The error kind of a result that must be an error.
pub fn err_kind<T: Debug>(result: Result<T>) -> multichat_core::ErrorKind {
    result.expect_err("expected an error").kind()
}

/// The stored session `id`, which must exist.
pub async fn session(fx: &Fixture, id: &SessionId) -> Session {
    fx.store
        .get_session(id)
        .await
        .expect("get")
        .expect("session exists")
}
