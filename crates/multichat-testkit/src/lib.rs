//! The conformance suite every multichat backend runs, and the model-based property test.
//!
//! A backend's `tests/conformance.rs` is a few lines:
//!
//! ```
//! use std::sync::Arc;
//! use multichat_core::{MemoryConfig, MemoryStore};
//! use multichat_testkit::{Fixture, ManualClock};
//!
//! // Build a fresh, empty store that reads `clock` (a backend opens a temp file here).
//! async fn make(clock: ManualClock) -> Fixture {
//!     let config = MemoryConfig::default().clock(Arc::new(clock.clone()));
//!     Fixture::new(Arc::new(MemoryStore::with_config(config)), clock)
//! }
//!
//! multichat_testkit::conformance_tests!(make);
//!
//! // In a plain `#[test]` function:
//! multichat_testkit::model::check_against_model(make, 8);
//! ```
//!
//! Each guarantee becomes its own `#[tokio::test]`, named after the guarantee, so a failure names
//! the rule that broke. The backend crate needs `tokio` (features `macros`, `rt-multi-thread`)
//! as a dev-dependency.
#![forbid(unsafe_code)]
#![deny(missing_docs)]

pub mod cases;
mod cluster_nodes;
mod cluster_state;
pub mod faulty;
mod faulty_store;
mod fixture;
pub mod ledger;
mod macros;
pub mod model;
mod model_ops;
mod postgres_proc;
pub mod postgres_server;
pub mod process;
pub mod process_watch;
pub mod recovering;
pub mod redis_cluster;
mod redis_proc;
pub mod redis_server;
pub mod restore;
pub mod transitions;

pub use faulty::{FaultyStore, Mode, Pause};
pub use fixture::Fixture;
pub use ledger::{Anomalies, Ledger};
pub use multichat_core::ManualClock;
pub use postgres_server::PostgresServer;
pub use redis_cluster::RedisCluster;
pub use redis_server::RedisServer;
