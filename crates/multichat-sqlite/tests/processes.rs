//! Real processes: two writers on one file at once, and a writer killed with SIGKILL mid-stream.
//! The test binary re-invokes itself as the child (see `multichat_testkit::process`).

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

use multichat_core::{ChatStore, WatchConfig};
use multichat_sqlite::{SqliteConfig, SqliteStore};
use multichat_testkit::process::{self, ChildSpec};
use multichat_testkit::process_watch;

/// A store whose watches hear of other processes' writes only through its change detector
/// (checking every 10 ms): their own recheck is an hour, so a detector that missed a write fails
/// the 10 s bound of each delivery.
async fn open(path: &Path) -> SqliteStore {
    let watch = WatchConfig {
        poll: Duration::from_millis(10),
        recheck: Duration::from_secs(3600),
        ..WatchConfig::default()
    };
    SqliteStore::open(path, SqliteConfig::default().watch(watch))
        .await
        .expect("open")
}

/// In a child started by `spawn_self`, appends or watches as told and returns true.
fn run_as_child() -> bool {
    process_watch::run_as_child(open_shared)
}

fn spec(target: &Path, label: &str, count: usize) -> ChildSpec {
    ChildSpec {
        target: target.to_path_buf(),
        label: label.into(),
        count,
    }
}

#[test]
fn two_processes_append_to_one_file() {
    if run_as_child() {
        return;
    }
    let dir = tempfile::tempdir().expect("tempdir");
    let db = dir.path().join("shared.db");
    let test = "two_processes_append_to_one_file";
    let mut children = ["a", "b"].map(|label| process::spawn_self(test, &spec(&db, label, 300)));
    let mut acks = Vec::new();
    for child in &mut children {
        let mine = process::all_acks(child);
        assert_eq!(mine.len(), 300, "every append acknowledged");
        assert!(
            mine.windows(2).all(|w| w[0].0 < w[1].0),
            "a process's seqs increase"
        );
        acks.extend(mine);
    }
    let rt = tokio::runtime::Runtime::new().expect("runtime");
    let mut stored = rt.block_on(async { process::stored(&open(&db).await).await });
    acks.sort();
    stored.sort();
    assert_eq!(
        stored, acks,
        "every acknowledged message exactly once, under its acknowledged seq"
    );
    assert_eq!(
        stored.iter().map(|(s, _)| *s).collect::<Vec<_>>(),
        (1..=600).collect::<Vec<u64>>()
    );
}

#[test]
fn sigkill_loses_no_acknowledged_append() {
    if run_as_child() {
        return;
    }
    let dir = tempfile::tempdir().expect("tempdir");
    let db = dir.path().join("crash.db");
    let rt = tokio::runtime::Runtime::new().expect("runtime");
    let mut acked: Vec<(u64, String)> = Vec::new();
    for (round, kill_after) in [3usize, 40, 1, 117, 12].into_iter().enumerate() {
        let mut child = process::spawn_self(
            "sigkill_loses_no_acknowledged_append",
            &spec(&db, &format!("r{round}"), 0),
        );
        acked.extend(process::kill_after(&mut child, kill_after));
        let check = rusqlite::Connection::open(&db).expect("open raw");
        let integrity: String = check
            .query_row("PRAGMA integrity_check", [], |r| r.get(0))
            .expect("check");
        assert_eq!(integrity, "ok");
        rt.block_on(async {
            process::check_after_crash(&open(&db).await, &mut acked, round).await
        });
    }
}

/// A fresh database file for the cross-process watch tests, and its directory.
fn place() -> process_watch::Place {
    let dir = tempfile::tempdir().expect("tempdir");
    let db = dir.path().join("watched.db");
    Some((Box::new(dir), db))
}

async fn open_shared(path: PathBuf) -> Arc<dyn ChatStore> {
    Arc::new(open(&path).await)
}

multichat_testkit::watch_across_processes_tests!(run_as_child, place, open_shared);
