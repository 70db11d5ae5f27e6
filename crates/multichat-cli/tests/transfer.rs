//! Export, import and migrate: a round trip through every backend equals the original byte for
//! byte; an interrupted migration re-run ends complete with nothing duplicated; memory stays
//! bounded.

use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::Duration;

use multichat::json::{JsonConfig, JsonStore};
use multichat::sqlite::{SqliteConfig, SqliteStore};
use multichat_core::{Expiry, MessageStore, NewMessage, NewSession, SessionId, SessionStore};
use multichat_testkit::RedisServer;
use serde_json::json;

fn run(args: &[&str]) -> String {
    let out = Command::new(env!("CARGO_BIN_EXE_multichat"))
        .args(args)
        .output()
        .expect("runs");
    assert!(
        out.status.success(),
        "{args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).expect("utf-8")
}

fn sorted(export: &str) -> Vec<String> {
    let mut lines: Vec<String> = export.lines().map(str::to_owned).collect();
    lines.sort();
    lines
}

async fn seed_rich(root: &Path) {
    let store = JsonStore::open(JsonConfig::new(root)).await.expect("open");
    for (i, name) in ["Ünïcode 🚀", "a/b/../c", "plain"].into_iter().enumerate() {
        let id = SessionId::new(name).expect("id");
        let meta = json!({"tier": i, "tags": ["x", "ÿ"], "nested": {"ok": true}})
            .as_object()
            .cloned()
            .expect("obj");
        let new = NewSession::new(id.clone())
            .title(format!("title {name}"))
            .participants(["ana", "bot-1"])
            .metadata(meta.clone());
        store
            .create_session(new.expiry(Expiry::idle(Duration::from_secs(86_400 * 365))))
            .await
            .expect("create");
        for m in 0..7 {
            let mut message = NewMessage::new(
                if m % 2 == 0 { "user" } else { "critic" },
                format!("m{m} ✓\n\"q\""),
            );
            // Client keys on some messages (one of them popped below, freeing its key).
            message.key = (m % 3 == 0).then(|| format!("{name}/{m} ✓"));
            message.tokens = (m % 2 == 1).then_some(m * 100);
            store
                .append(
                    &id,
                    vec![message.sender("ana").metadata(meta.clone())],
                    None,
                )
                .await
                .expect("append");
        }
        store.pop(&id).await.expect("pop leaves a gap");
        store
            .append(&id, vec![NewMessage::assistant("after pop")], None)
            .await
            .expect("append");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn json_to_sqlite_to_redis_round_trips_byte_for_byte() {
    let Some(server) = RedisServer::start() else {
        return;
    };
    let dir = tempfile::tempdir().expect("tempdir");
    seed_rich(&dir.path().join("src")).await;
    let json_url = format!("json:{}", dir.path().join("src").display());
    let sqlite_url = format!("sqlite:{}", dir.path().join("mid.db").display());
    let original = run(&["--store", &json_url, "export"]);
    assert_eq!(original.lines().count(), 3 * (1 + 7));
    assert_eq!(
        original.matches("\"key\":").count(),
        3 * 2,
        "the keys are exported"
    );
    let counted = original.matches("\"tokens\":").count();
    assert_eq!(counted, 3 * 3, "and the token counts");
    run(&["migrate", "--from", &json_url, "--to", &sqlite_url]);
    run(&["migrate", "--from", &sqlite_url, "--to", &server.url()]);
    let through_redis = run(&["--store", &server.url(), "export"]);
    assert_eq!(sorted(&through_redis), sorted(&original));
    let file = dir.path().join("export.jsonl");
    run(&[
        "--store",
        &server.url(),
        "export",
        "--output",
        file.to_str().expect("utf-8"),
    ]);
    let imported = format!("json:{}", dir.path().join("imported").display());
    run(&[
        "--store",
        &imported,
        "import",
        file.to_str().expect("utf-8"),
    ]);
    assert_eq!(
        sorted(&run(&["--store", &imported, "export"])),
        sorted(&original)
    );
}

async fn seed_many(db: &Path, sessions: usize, messages: usize) {
    let store = SqliteStore::open(db, SqliteConfig::default())
        .await
        .expect("open");
    for s in 0..sessions {
        let id = SessionId::new(format!("s{s:05}")).expect("id");
        store
            .create_session(NewSession::new(id.clone()).participant("p"))
            .await
            .expect("create");
        let batch = (0..messages)
            .map(|m| NewMessage::user(format!("session {s} message {m} {}", "x".repeat(40))))
            .collect();
        store.append(&id, batch, None).await.expect("append");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_interrupted_migration_rerun_ends_complete_without_duplicates() {
    let dir = tempfile::tempdir().expect("tempdir");
    seed_many(&dir.path().join("src.db"), 150, 40).await;
    let from = format!("sqlite:{}", dir.path().join("src.db").display());
    let to = format!("json:{}", dir.path().join("target").display());
    let mut child = Command::new(env!("CARGO_BIN_EXE_multichat"))
        .args(["migrate", "--from", &from, "--to", &to])
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn");
    let lines = BufReader::new(child.stderr.take().expect("stderr")).lines();
    let copied = lines
        .map_while(Result::ok)
        .filter(|l| l.starts_with("copied "))
        .take(30)
        .count();
    assert_eq!(copied, 30, "the migration was under way");
    child.kill().expect("SIGKILL mid-way");
    child.wait().expect("reap");
    run(&["migrate", "--from", &from, "--to", &to]);
    assert_eq!(
        sorted(&run(&["--store", &to, "export"])),
        sorted(&run(&["--store", &from, "export"]))
    );
    let stats: serde_json::Value =
        serde_json::from_str(&run(&["--store", &to, "--json", "stats"])).expect("json");
    assert_eq!(
        (stats["sessions"].as_u64(), stats["messages"].as_u64()),
        (Some(150), Some(150 * 40))
    );
    let again = Command::new(env!("CARGO_BIN_EXE_multichat"))
        .args(["migrate", "--from", &from, "--to", &to])
        .output()
        .expect("runs");
    let said = String::from_utf8_lossy(&again.stderr);
    assert!(again.status.success(), "{said}");
    assert!(
        !said.contains("copied"),
        "a re-run that skips everything copies nothing: {said}"
    );
    assert!(
        said.contains("migrated 0 session(s); 150 already present"),
        "{said}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn migration_memory_is_bounded_by_a_page() {
    let dir = tempfile::tempdir().expect("tempdir");
    seed_many(&dir.path().join("big.db"), 200, 1000).await;
    let from = format!("sqlite:{}", dir.path().join("big.db").display());
    let to = format!("json:{}", dir.path().join("big").display());
    let out = Command::new("/usr/bin/time")
        .args([
            "-v",
            env!("CARGO_BIN_EXE_multichat"),
            "migrate",
            "--from",
            &from,
            "--to",
            &to,
        ])
        .output()
        .expect("/usr/bin/time is needed for this test (Debian: apt-get install time)");
    let report = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{report}");
    let kbytes: u64 = report
        .lines()
        .find_map(|l| {
            l.trim()
                .strip_prefix("Maximum resident set size (kbytes): ")
        })
        .and_then(|v| v.parse().ok())
        .expect("time -v reports the peak resident set");
    assert!(
        kbytes < 100 * 1024,
        "peak RSS {kbytes} KiB for 200,000 messages"
    );
}
