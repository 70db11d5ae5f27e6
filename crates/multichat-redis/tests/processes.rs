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
use multichat_testkit::process::{self};
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
    let Some(spec) = process::child_spec() else {
        return false;
    };
    let url = spec.target.display().to_string();
    let rt = tokio::runtime::Runtime::new().expect("runtime");
    rt.block_on(async {
        let store: Arc<dyn ChatStore> = Arc::new(open(&url).await);
        process_watch::child_work(store, &spec).await;
    });
    true
}

#[test]
fn a_watch_follows_another_processs_appends() {
    if run_as_child() {
        return;
    }
    let Some(server) = RedisServer::start() else {
        return;
    };
    let url = server.url();
    let rt = tokio::runtime::Runtime::new().expect("runtime");
    rt.block_on(async {
        let store: Arc<dyn ChatStore> = Arc::new(open(&url).await);
        let test = "a_watch_follows_another_processs_appends";
        process_watch::parent_follows_child(store, test, &PathBuf::from(&url), 40).await;
    });
}

#[test]
fn another_processs_watch_follows_this_ones_appends() {
    if run_as_child() {
        return;
    }
    let Some(server) = RedisServer::start() else {
        return;
    };
    let url = server.url();
    let rt = tokio::runtime::Runtime::new().expect("runtime");
    rt.block_on(async {
        let store: Arc<dyn ChatStore> = Arc::new(open(&url).await);
        let test = "another_processs_watch_follows_this_ones_appends";
        process_watch::child_follows_parent(store, test, &PathBuf::from(&url), 40).await;
    });
}
