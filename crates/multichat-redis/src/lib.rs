//! The Redis backend of multichat, for applications on several processes or machines: a shared,
//! fast store where the server handles expiry. Standalone servers and Redis Cluster.
//!
//! - The keys of one session share a hash tag (`<prefix>:{<id>}:s`, the session hash;
//!   `<prefix>:{<id>}:m`, a stream of messages with ids `<seq>-0`), so they live on one slot.
//! - Every write is one Lua script, one round trip, atomic: existence and expiry check, expected
//!   `last_seq`, seq assignment, counters, `updated_at`, and `PEXPIREAT` on both keys.
//! - Sorted-set indexes by `updated_at`, by participant and by expiry serve listing and purge.
//! - A dead server is `Unavailable` within the configured timeouts; the connection reconnects by
//!   itself when the server is back.
//!
//! See [`RedisStore`] and `docs/redis-format.md`.
#![forbid(unsafe_code)]
#![deny(missing_docs)]

mod budget;
mod calls;
#[cfg(feature = "cluster")]
mod cluster;
mod codec;
mod config;
mod conn;
mod error;
mod eviction;
mod index;
mod keys;
mod listing;
mod messages;
mod pipeline;
mod read;
mod replicas;
mod replies;
mod restore;
mod scripts;
mod sessions;
mod store;
mod url;
mod waker;

pub use config::RedisConfig;
pub use eviction::evicts;
pub use store::RedisStore;
pub use url::{Mode, RedisUrl, redact};
