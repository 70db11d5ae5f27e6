//! Every subcommand, run as the real binary, on SQLite and JSON stores and on a Redis server of
//! the test's own; errors are one line on stderr with a non-zero exit code.

use std::io::Write;
use std::process::{Command, Output, Stdio};

use multichat_testkit::{PostgresServer, RedisServer};

fn multichat(store: &str, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_multichat"))
        .arg("--store")
        .arg(store)
        .args(args)
        .output()
        .expect("runs")
}

fn ok(store: &str, args: &[&str]) -> String {
    let out = multichat(store, args);
    assert!(
        out.status.success(),
        "{args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).expect("utf-8")
}

fn fails(store: &str, args: &[&str]) -> String {
    let out = multichat(store, args);
    assert_eq!(out.status.code(), Some(1), "{args:?} must fail");
    let err = String::from_utf8(out.stderr).expect("utf-8");
    assert_eq!(err.lines().count(), 1, "one line: {err}");
    assert!(
        err.starts_with("error: ") && !err.contains("panicked") && !err.contains("backtrace"),
        "{err}"
    );
    err
}

fn every_subcommand(store: &str) {
    let demo = multichat(
        store,
        &[
            "demo",
            "--sessions",
            "3",
            "--agents",
            "2",
            "--messages",
            "4",
        ],
    );
    assert!(
        demo.status.success(),
        "{}",
        String::from_utf8_lossy(&demo.stderr)
    );
    let said = String::from_utf8_lossy(&demo.stderr);
    assert!(said.contains("all came back"), "{said}");
    assert!(
        said.contains("a follower of demo-1 received 8 of 8 messages live"),
        "{said}"
    );
    let followed = said.lines().filter(|l| l.contains("follower of demo-1: #"));
    assert_eq!(
        followed.count(),
        8,
        "each message printed as it came: {said}"
    );
    assert_eq!(
        String::from_utf8_lossy(&demo.stdout)
            .lines()
            .filter(|l| l.contains(" 8 "))
            .count(),
        3
    );
    assert!(ok(store, &["sessions", "list"]).contains("demo-3"));
    assert_eq!(
        ok(
            store,
            &[
                "messages", "append", "s/ü", "--role", "user", "--sender", "ana", "héllo"
            ]
        )
        .trim(),
        "1"
    );
    let mut child = Command::new(env!("CARGO_BIN_EXE_multichat"))
        .args([
            "--store", store, "messages", "append", "s/ü", "--role", "critic",
        ])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .expect("spawn");
    child
        .stdin
        .take()
        .expect("stdin")
        .write_all(b"from stdin\n")
        .expect("write");
    assert_eq!(
        String::from_utf8(child.wait_with_output().expect("wait").stdout)
            .expect("utf-8")
            .trim(),
        "2"
    );
    let keyed = ["messages", "append", "s/ü", "--key", "turn-1", "keyed"];
    assert_eq!(ok(store, &keyed).trim(), "3");
    assert_eq!(ok(store, &keyed).trim(), "3", "a retry stores nothing");
    let other = fails(
        store,
        &["messages", "append", "s/ü", "--key", "turn-1", "other"],
    );
    assert!(
        other.contains("turn-1") && other.contains("held by message 3"),
        "{other}"
    );
    assert!(ok(store, &["messages", "tail", "s/ü"]).contains("turn-1"));
    let tail = ok(store, &["--json", "messages", "tail", "s/ü", "-n", "5"]);
    let lines: Vec<serde_json::Value> = tail
        .lines()
        .map(|l| serde_json::from_str(l).expect("json"))
        .collect();
    assert_eq!(
        (lines[0]["content"].as_str(), lines[1]["role"].as_str()),
        (Some("héllo"), Some("critic"))
    );
    assert_eq!(lines[2]["key"].as_str(), Some("turn-1"));
    assert!(ok(store, &["messages", "pop", "s/ü"]).contains("keyed"));
    let counted = ["messages", "append", "t/ü", "--tokens", "300", "counted"];
    assert_eq!(ok(store, &counted).trim(), "1");
    ok(
        store,
        &["messages", "append", "t/ü", "--tokens", "200", "newer"],
    );
    let window = ok(
        store,
        &["--json", "messages", "tail", "t/ü", "--budget", "250"],
    );
    let window: Vec<serde_json::Value> = window
        .lines()
        .map(|l| serde_json::from_str(l).expect("json"))
        .collect();
    assert_eq!(window.len(), 1, "{window:?}");
    assert_eq!(
        (window[0]["content"].as_str(), window[0]["tokens"].as_u64()),
        (Some("newer"), Some(200))
    );
    assert!(ok(store, &["messages", "tail", "t/ü", "--budget", "500"]).contains("counted"));
    ok(store, &["sessions", "delete", "t/ü"]);
    assert!(
        ok(
            store,
            &[
                "sessions",
                "list",
                "--participant",
                "agent-2",
                "--limit",
                "2"
            ]
        )
        .contains("--cursor")
    );
    assert!(ok(store, &["--json", "sessions", "show", "s/ü"]).contains("\"message_count\": 2"));
    let shown = ok(store, &["sessions", "show", "s/ü"]);
    assert!(
        shown
            .lines()
            .any(|l| l.starts_with("messages") && l.ends_with(" 2")),
        "{shown}"
    );
    assert!(ok(store, &["messages", "pop", "s/ü"]).contains("from stdin"));
    assert!(ok(store, &["messages", "clear", "demo-1"]).contains("cleared 8"));
    assert!(ok(store, &["purge-expired"]).contains("purged 0"));
    let stats: serde_json::Value =
        serde_json::from_str(&ok(store, &["--json", "stats"])).expect("json");
    assert_eq!(
        (stats["sessions"].as_u64(), stats["messages"].as_u64()),
        (Some(4), Some(17))
    );
    assert!(ok(store, &["sessions", "delete", "demo-2"]).contains("deleted"));
    assert!(fails(store, &["sessions", "show", "demo-2"]).contains("not found"));
    assert!(fails(store, &["messages", "tail", "nope"]).contains("not found"));
    let export = ok(store, &["export"]);
    assert_eq!(
        export
            .lines()
            .filter(|l| l.starts_with("{\"session\":"))
            .count(),
        3
    );
}

#[test]
fn every_subcommand_on_sqlite() {
    let dir = tempfile::tempdir().expect("tempdir");
    every_subcommand(&format!("sqlite:{}", dir.path().join("m.db").display()));
}

#[test]
fn every_subcommand_on_json() {
    let dir = tempfile::tempdir().expect("tempdir");
    every_subcommand(&format!("json:{}", dir.path().join("store").display()));
}

#[test]
fn every_subcommand_on_redis() {
    let Some(server) = RedisServer::start() else {
        return;
    };
    every_subcommand(&server.url());
}

#[test]
fn every_subcommand_on_postgres_and_a_migration_into_it() {
    let Some(server) = PostgresServer::start() else {
        return;
    };
    let postgres = format!("{}?schema=cli", server.url());
    every_subcommand(&postgres);
    let dir = tempfile::tempdir().expect("tempdir");
    let sqlite = format!("sqlite:{}", dir.path().join("from.db").display());
    ok(
        &sqlite,
        &[
            "demo",
            "--sessions",
            "3",
            "--agents",
            "2",
            "--messages",
            "3",
        ],
    );
    let target = format!("{}?schema=migrated", server.url());
    ok(&sqlite, &["migrate", "--from", &sqlite, "--to", &target]);
    let sorted = |store: &str| {
        let mut lines: Vec<String> = ok(store, &["export"]).lines().map(str::to_owned).collect();
        lines.sort();
        lines
    };
    assert_eq!(
        sorted(&target),
        sorted(&sqlite),
        "every field and seq, as in the source"
    );
    let password = format!(
        "postgres://postgres:pw-SECRET@127.0.0.1:{}/postgres",
        multichat_testkit::redis_server::free_port()
    );
    let refused = fails(&password, &["stats"]);
    assert!(
        refused.contains("unavailable") && !refused.contains("SECRET"),
        "{refused}"
    );
}

#[test]
fn bad_stores_are_one_line_errors() {
    assert!(fails("bogus:x", &["stats"]).contains("store URL"));
    assert!(fails("sqlite:/nonexistent/dir/x.db", &["stats"]).contains("sqlite"));
    let port = multichat_testkit::redis_server::free_port();
    let refused = fails(&format!("redis://:pw@127.0.0.1:{port}/"), &["stats"]);
    assert!(
        refused.contains("unavailable") && !refused.contains(":pw@"),
        "{refused}"
    );
    let dir = tempfile::tempdir().expect("tempdir");
    let notes = dir.path().join("notes.db");
    std::fs::write(&notes, "not a database").expect("write");
    assert!(fails(&format!("sqlite:{}", notes.display()), &["stats"]).contains("corrupt"));
    let usage = multichat("sqlite:x.db", &["messages", "tail"]);
    assert_eq!(usage.status.code(), Some(2), "clap usage error");
}

/// Twelve `messages append` at the same moment on one JSON store: each waits for the one before
/// it to close the store (one process at a time is that store's rule), and all succeed.
#[test]
fn concurrent_commands_on_one_json_store_wait_their_turn() {
    let dir = tempfile::tempdir().expect("tempdir");
    let store = format!("json:{}", dir.path().join("j").display());
    ok(&store, &["sessions", "create", "busy"]);
    let children: Vec<_> = (0..12)
        .map(|i| {
            Command::new(env!("CARGO_BIN_EXE_multichat"))
                .args([
                    "--store",
                    &store,
                    "messages",
                    "append",
                    "busy",
                    &format!("m{i}"),
                ])
                .stdout(Stdio::null())
                .stderr(Stdio::piped())
                .spawn()
                .expect("spawn")
        })
        .collect();
    for child in children {
        let out = child.wait_with_output().expect("wait");
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
    let all = ok(&store, &["--json", "messages", "tail", "busy", "--all"]);
    assert_eq!(all.lines().count(), 12);
}
