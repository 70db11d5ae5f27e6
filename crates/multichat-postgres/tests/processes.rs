//! Real processes on one PostgreSQL server: two writers appending to one session at once, a
//! writer killed with SIGKILL mid-stream, and watches across processes both ways. The test binary re-invokes itself as the child (see
//! `multichat_testkit::process`); the child's target is the server's URL.

use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use multichat_core::{ChatStore, WatchConfig};
use multichat_postgres::{PostgresConfig, PostgresStore};
use multichat_testkit::PostgresServer;
use multichat_testkit::process::{self, ChildSpec};
use multichat_testkit::process_watch;

/// A store whose watches only a notification wakes in time (their poll and recheck are an
/// hour; each delivery has 10 s).
async fn open(url: &str) -> PostgresStore {
    let hour = Duration::from_secs(3600);
    let watch = WatchConfig {
        poll: hour,
        recheck: hour,
        ..WatchConfig::default()
    };
    let config = PostgresConfig::default()
        .schema("processes")
        .pool_size(2)
        .watch(watch);
    PostgresStore::connect(url, config).await.expect("connect")
}

/// In a child started by `spawn_self`, appends or watches as told and returns true.
fn run_as_child() -> bool {
    process_watch::run_as_child(open_shared)
}

fn spec(url: &str, label: &str, count: usize) -> ChildSpec {
    ChildSpec {
        target: PathBuf::from(url),
        label: label.into(),
        count,
    }
}

#[test]
fn two_processes_append_to_one_session() {
    if run_as_child() {
        return;
    }
    let Some(server) = PostgresServer::start() else {
        return;
    };
    let url = server.url();
    let test = "two_processes_append_to_one_session";
    let mut children = ["a", "b"].map(|label| process::spawn_self(test, &spec(&url, label, 200)));
    let mut acks = Vec::new();
    for child in &mut children {
        let mine = process::all_acks(child);
        assert_eq!(mine.len(), 200, "every append acknowledged");
        assert!(
            mine.windows(2).all(|w| w[0].0 < w[1].0),
            "a process's seqs increase"
        );
        acks.extend(mine);
    }
    let rt = tokio::runtime::Runtime::new().expect("runtime");
    let mut stored = rt.block_on(async { process::stored(&open(&url).await).await });
    acks.sort();
    stored.sort();
    assert_eq!(
        stored, acks,
        "every acknowledged message exactly once, under its seq"
    );
    let seqs: Vec<u64> = stored.iter().map(|(s, _)| *s).collect();
    assert_eq!(
        seqs,
        (1..=400).collect::<Vec<u64>>(),
        "no seq twice, none skipped"
    );
}

#[test]
fn sigkill_of_a_writer_loses_no_acknowledged_append() {
    if run_as_child() {
        return;
    }
    let Some(server) = PostgresServer::start() else {
        return;
    };
    let url = server.url();
    let rt = tokio::runtime::Runtime::new().expect("runtime");
    let mut acked: Vec<(u64, String)> = Vec::new();
    for (round, kill_after) in [3usize, 40, 1, 17].into_iter().enumerate() {
        let mut child = process::spawn_self(
            "sigkill_of_a_writer_loses_no_acknowledged_append",
            &spec(&url, &format!("r{round}"), 0),
        );
        acked.extend(process::kill_after(&mut child, kill_after));
        rt.block_on(async {
            process::check_after_crash(&open(&url).await, &mut acked, round).await
        });
    }
}

/// A server of its own for the cross-process watch tests, and its URL.
fn place() -> process_watch::Place {
    let server = PostgresServer::start()?;
    let url = PathBuf::from(server.url());
    Some((Box::new(server), url))
}

async fn open_shared(url: PathBuf) -> Arc<dyn ChatStore> {
    Arc::new(open(&url.display().to_string()).await)
}

multichat_testkit::watch_across_processes_tests!(run_as_child, place, open_shared);
