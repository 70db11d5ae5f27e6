//! Keep every chat session and message — of people, LLM agents, or both — across restarts,
//! crashes and machines.
//!
//! This crate is what an application depends on: the model and the store traits of
//! [`multichat_core`] (re-exported here), and [`open`], which opens any store from a URL taken
//! from configuration. Each backend is a cargo feature: `sqlite` (on by default), `json`,
//! `redis` (`redis-tls` for `rediss://`), `postgres` (`postgres-tls` for `sslmode=require`),
//! `hybrid` (`open_cached`: a fast store in front of a durable one), or `full` for all.
//!
//! | URL | store |
//! | --- | --- |
//! | `sqlite:chats.db`, `sqlite::memory:` | embedded SQLite, durable on one machine |
//! | `json:./chats` | a directory of JSON Lines files, one process at a time |
//! | `redis://host:6379/`, `rediss://…`, `redis+cluster://h1:p1,h2:p2` | Redis, shared by many machines |
//! | `postgres://user@host/db`, `postgresql://…` | PostgreSQL, durable and shared by many machines |
//! | `memory:` | in this process only (tests, demos) |
//!
//! Options go in the URL's query (`sqlite:chats.db?synchronous=full`,
//! `redis://host/?prefix=app1`); an unknown one is an error naming it. Every option is listed in
//! `docs/urls.md`.
//!
//! ```
//! use multichat::{MessageQuery, NewMessage, NewSession, SessionId};
//!
//! # tokio::runtime::Runtime::new().unwrap().block_on(async {
//! let store = multichat::open("sqlite::memory:").await?;
//! let id = SessionId::new("support/42")?;
//! store.create_session(NewSession::new(id.clone()).participant("ana")).await?;
//! store.append(&id, vec![NewMessage::user("hello")], None).await?;
//! let last = store.read(&id, MessageQuery::last(20)).await?;
//! assert_eq!(last[0].content, "hello");
//! # Ok::<(), multichat::Error>(())
//! # }).unwrap();
//! ```
#![forbid(unsafe_code)]

mod backends;
mod url;

use std::sync::Arc;

pub use multichat_core::*;
#[cfg(feature = "hybrid")]
pub use multichat_hybrid as hybrid;
#[cfg(feature = "json")]
pub use multichat_json as json;
#[cfg(feature = "postgres")]
pub use multichat_postgres as postgres;
#[cfg(feature = "redis")]
pub use multichat_redis as redis;
#[cfg(feature = "sqlite")]
pub use multichat_sqlite as sqlite;

pub use crate::backends::Opened;
pub use crate::url::{Scheme, StoreUrl};

/// Opens the store `url` names (see the [crate] docs for the URL forms and `docs/urls.md` for
/// their options): a URL that names no store, an unknown option or a backend whose feature is
/// off is [`Error::InvalidInput`]; a server that does not answer is [`Error::Unavailable`].
pub async fn open(url: &str) -> Result<Arc<dyn ChatStore>> {
    let url = StoreUrl::parse(url)?;
    if url.scheme == Scheme::Memory {
        url.finish(&[])?;
        return Ok(Arc::new(MemoryStore::new()));
    }
    Ok(backends::open(url).await?.store)
}

/// Opens the store `url` names as a [`RestoreStore`] (what import and migration tools write
/// through), with what the backend reports about it (a Redis server that may evict sessions).
///
/// ```
/// # tokio::runtime::Runtime::new().unwrap().block_on(async {
/// let opened = multichat::open_restore("sqlite::memory:").await?;
/// assert!(opened.evicting_policy.is_none());
/// # Ok::<(), multichat::Error>(())
/// # }).unwrap();
/// ```
pub async fn open_restore(url: &str) -> Result<Opened> {
    backends::open(StoreUrl::parse(url)?).await
}

/// Opens `cache` in front of `url`: a [`hybrid::HybridStore`] with default settings, which
/// reads recent messages from the cache and writes through to the durable store (see
/// `docs/hybrid.md` for when it pays).
#[cfg(feature = "hybrid")]
pub async fn open_cached(url: &str, cache: &str) -> Result<Arc<dyn ChatStore>> {
    let durable = open(url).await?;
    let fast = open(cache).await?;
    let config = hybrid::HybridConfig::default();
    Ok(Arc::new(hybrid::HybridStore::new(fast, durable, config)))
}
