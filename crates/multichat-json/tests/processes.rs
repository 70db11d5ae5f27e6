//! Real processes: a writer killed with SIGKILL at several points loses no acknowledged append
//! and leaves nothing torn; a second opener waits for the lock up to its timeout, then is refused.

use multichat_core::ErrorKind;
use std::io::{BufRead, BufReader};
use std::path::Path;
use std::time::Duration;

use multichat_json::{JsonConfig, JsonStore};
use multichat_testkit::process::{self, ChildSpec};

async fn open(path: &Path) -> multichat_core::Result<JsonStore> {
    JsonStore::open(JsonConfig::new(path)).await
}

fn run_as_child() -> bool {
    let Some(spec) = process::child_spec() else {
        return false;
    };
    let rt = tokio::runtime::Runtime::new().expect("runtime");
    rt.block_on(async {
        process::append_loop(&open(&spec.target).await.expect("child open"), &spec).await
    });
    true
}

fn spec(target: &Path, label: &str) -> ChildSpec {
    ChildSpec {
        target: target.to_path_buf(),
        label: label.into(),
        count: 0,
    }
}

#[test]
fn sigkill_loses_no_acknowledged_append() {
    if run_as_child() {
        return;
    }
    let dir = tempfile::tempdir().expect("tempdir");
    let rt = tokio::runtime::Runtime::new().expect("runtime");
    let mut acked: Vec<(u64, String)> = Vec::new();
    for (round, kill_after) in [2usize, 35, 1, 90, 9].into_iter().enumerate() {
        let mut child = process::spawn_self(
            "sigkill_loses_no_acknowledged_append",
            &spec(dir.path(), &format!("r{round}")),
        );
        acked.extend(process::kill_after(&mut child, kill_after));
        rt.block_on(async {
            process::check_after_crash(
                &open(dir.path()).await.expect("reopen after SIGKILL"),
                &mut acked,
                round,
            )
            .await
        });
    }
}

#[test]
fn a_second_process_is_refused_while_the_store_is_open() {
    if run_as_child() {
        return;
    }
    let dir = tempfile::tempdir().expect("tempdir");
    let mut child = process::spawn_self(
        "a_second_process_is_refused_while_the_store_is_open",
        &spec(dir.path(), "holder"),
    );
    let mut lines = BufReader::new(child.stdout.take().expect("stdout")).lines();
    while !lines
        .next()
        .expect("child running")
        .expect("line")
        .contains("ACK ")
    {}
    let rt = tokio::runtime::Runtime::new().expect("runtime");
    let impatient = JsonConfig::new(dir.path()).lock_timeout(Duration::from_millis(200));
    let refused = rt
        .block_on(JsonStore::open(impatient))
        .expect_err("the child holds the store");
    assert_eq!(refused.kind(), ErrorKind::Unavailable);
    assert!(refused.is_transient());
    let chain = format!(
        "{refused}: {}",
        std::error::Error::source(&refused)
            .map(ToString::to_string)
            .unwrap_or_default()
    );
    assert!(chain.contains("open in another process"), "{chain}");
    assert!(chain.contains("waited 200 ms"), "{chain}");
    child.kill().expect("kill");
    child.wait().expect("reap");
    rt.block_on(open(dir.path()))
        .expect("free once the holder is gone");
}

/// A second opener waits while the store is held and gets it once it is released (the lock is
/// per open file, so two opens in one process contend like two processes).
#[tokio::test]
async fn a_second_opener_waits_for_the_lock_and_then_gets_the_store() {
    let dir = tempfile::tempdir().expect("tempdir");
    let holder = open(dir.path()).await.expect("first open");
    let patient = JsonConfig::new(dir.path()).lock_timeout(Duration::from_secs(30));
    let mut waiting = tokio::spawn(JsonStore::open(patient));
    let early = tokio::time::timeout(Duration::from_millis(100), &mut waiting).await;
    assert!(
        early.is_err(),
        "the second open finished while the lock was held"
    );
    drop(holder);
    let store = waiting.await.expect("task").expect("opened once released");
    drop(store);
}

/// `close` releases the lock: an opener that does not wait at all gets the store right after.
#[tokio::test]
async fn close_releases_the_store_at_once() {
    let dir = tempfile::tempdir().expect("tempdir");
    let store = open(dir.path()).await.expect("open");
    let at_once = || JsonStore::open(JsonConfig::new(dir.path()).lock_timeout(Duration::ZERO));
    assert!(at_once().await.is_err(), "held while open");
    store.close().await.expect("close");
    at_once().await.expect("free after close");
}
