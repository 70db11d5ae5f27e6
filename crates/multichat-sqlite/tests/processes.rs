//! Real processes: two writers on one file at once, and a writer killed with SIGKILL mid-stream.
//! The test binary re-invokes itself as the child: with `MULTICHAT_CHILD_DB` set, the same test
//! function appends and prints `ACK <seq> <content>` after each acknowledged append.

use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::Arc;

use multichat_core::{MessageQuery, MessageStore, NewMessage, NewSession, SessionId, SessionStore};
use multichat_sqlite::{SqliteConfig, SqliteStore};

const SESSION: &str = "shared";

/// The child role: append `count` messages (0 = until killed), printing each acknowledgement.
fn child(db: &str, label: &str, count: usize) {
    let rt = tokio::runtime::Runtime::new().expect("runtime");
    rt.block_on(async {
        let store = SqliteStore::open(db, SqliteConfig::default())
            .await
            .expect("child open");
        let id = SessionId::new(SESSION).expect("id");
        let _ = store.create_session(NewSession::new(id.clone())).await;
        for i in 0.. {
            if count > 0 && i >= count {
                break;
            }
            let content = format!("{label}-{i}");
            let seqs = store
                .append(&id, vec![NewMessage::user(content.clone())], None)
                .await
                .expect("append");
            println!("ACK {} {content}", seqs[0]);
        }
    });
}

fn spawn_child(test: &str, db: &Path, label: &str, count: usize) -> Child {
    Command::new(std::env::current_exe().expect("test binary"))
        .args([test, "--exact", "--nocapture", "--test-threads=1"])
        .env("MULTICHAT_CHILD_DB", db)
        .env("MULTICHAT_CHILD_LABEL", label)
        .env("MULTICHAT_CHILD_COUNT", count.to_string())
        .stdout(Stdio::piped())
        .spawn()
        .expect("spawn child")
}

/// Runs the child role if this process is a child; returns whether it was.
fn run_as_child() -> bool {
    let Ok(db) = std::env::var("MULTICHAT_CHILD_DB") else {
        return false;
    };
    let label = std::env::var("MULTICHAT_CHILD_LABEL").expect("label");
    let count = std::env::var("MULTICHAT_CHILD_COUNT")
        .expect("count")
        .parse()
        .expect("number");
    child(&db, &label, count);
    true
}

fn parse_ack(line: &str) -> Option<(u64, String)> {
    // libtest may print `test name ... ` on the same line before the first acknowledgement.
    let rest = &line[line.find("ACK ")? + 4..];
    let (seq, content) = rest.split_once(' ')?;
    Some((seq.parse().ok()?, content.to_owned()))
}

async fn stored(db: &Path) -> Vec<(u64, String)> {
    let store = SqliteStore::open(db, SqliteConfig::default())
        .await
        .expect("reopen");
    let id = SessionId::new(SESSION).expect("id");
    let mut out = Vec::new();
    loop {
        let after = out.last().map_or(0, |(seq, _): &(u64, String)| *seq);
        let page = store
            .read(&id, MessageQuery::after(after, 1000))
            .await
            .expect("read");
        if page.is_empty() {
            return out;
        }
        out.extend(page.into_iter().map(|m| (m.seq, m.content)));
    }
}

#[test]
fn two_processes_append_to_one_file() {
    if run_as_child() {
        return;
    }
    let dir = tempfile::tempdir().expect("tempdir");
    let db = dir.path().join("shared.db");
    let children =
        ["a", "b"].map(|label| spawn_child("two_processes_append_to_one_file", &db, label, 300));
    let mut acks = Vec::new();
    for mut child in children {
        let out = BufReader::new(child.stdout.take().expect("stdout"));
        let mine: Vec<(u64, String)> = out
            .lines()
            .map_while(Result::ok)
            .filter_map(|l| parse_ack(&l))
            .collect();
        assert!(child.wait().expect("wait").success());
        assert_eq!(mine.len(), 300, "every append acknowledged");
        assert!(
            mine.windows(2).all(|w| w[0].0 < w[1].0),
            "a process's seqs increase"
        );
        acks.extend(mine);
    }
    let rt = tokio::runtime::Runtime::new().expect("runtime");
    let mut stored = rt.block_on(stored(&db));
    assert_eq!(stored.len(), 600);
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
        let mut child = spawn_child(
            "sigkill_loses_no_acknowledged_append",
            &db,
            &format!("r{round}"),
            0,
        );
        let mut lines = BufReader::new(child.stdout.take().expect("stdout")).lines();
        let mut seen = 0;
        while seen < kill_after {
            let line = lines.next().expect("child still running").expect("line");
            if let Some(ack) = parse_ack(&line) {
                acked.push(ack);
                seen += 1;
            }
        }
        child.kill().expect("SIGKILL");
        child.wait().expect("reap");
        acked.extend(lines.map_while(Result::ok).filter_map(|l| parse_ack(&l)));
        let stored = rt.block_on(stored(&db));
        for ack in &acked {
            assert!(
                stored.contains(ack),
                "round {round}: acknowledged {ack:?} is missing"
            );
        }
        let check = rusqlite::Connection::open(&db).expect("open raw");
        let integrity: String = check
            .query_row("PRAGMA integrity_check", [], |r| r.get(0))
            .expect("check");
        assert_eq!(integrity, "ok");
        let next = rt.block_on(append_one(&db));
        assert_eq!(
            next,
            stored.last().map_or(1, |(seq, _)| seq + 1),
            "appends continue with the next seq"
        );
        acked.push((next, "parent".into()));
    }
}

async fn append_one(db: &Path) -> u64 {
    let store = Arc::new(
        SqliteStore::open(db, SqliteConfig::default())
            .await
            .expect("reopen"),
    );
    let id = SessionId::new(SESSION).expect("id");
    store
        .append(&id, vec![NewMessage::user("parent")], None)
        .await
        .expect("append")[0]
}
