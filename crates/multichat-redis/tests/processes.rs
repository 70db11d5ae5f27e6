//! Watches across real processes on one Redis server, both ways: a child appends while this
//! process watches, and this process appends while a child watches. The test binary re-invokes
//! itself as the child (`multichat_testkit::process`); the child's target is the server's URL.
//! The watches' poll is an hour, so only the store's `XREAD BLOCK` wakes them in time (each
//! delivery has 10 s).

use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use multichat_core::{ChatStore, WatchConfig};
use multichat_redis::{RedisConfig, RedisStore};
use multichat_testkit::{RedisServer, process_watch};

async fn open(url: &str) -> RedisStore {
    let mut config = RedisConfig::default().prefix("p");
    config.watch = WatchConfig {
        poll: Duration::from_secs(3600),
        ..WatchConfig::default()
    };
    RedisStore::connect(url, config).await.expect("connect")
}

/// In a child started by `spawn_self`, appends or watches as told and returns true.
fn run_as_child() -> bool {
    process_watch::run_as_child(open_shared)
}

/// A server of its own for the cross-process watch tests, and its URL.
fn place() -> process_watch::Place {
    let server = RedisServer::start()?;
    let url = PathBuf::from(server.url());
    Some((Box::new(server), url))
}

async fn open_shared(url: PathBuf) -> Arc<dyn ChatStore> {
    Arc::new(open(&url.display().to_string()).await)
}

multichat_testkit::watch_across_processes_tests!(run_as_child, place, open_shared);
