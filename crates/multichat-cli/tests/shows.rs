//! What the tool shows of what is stored, and the options that write it: readable times,
//! metadata, expiry, every page, filtered exports, an empty store said so, `~/` paths, and Redis
//! key prefixes.

mod common;

use std::process::Command;

use common::{export, message_line, ok, refused, run, session_line, stores, write_lines};
use multichat_testkit::RedisServer;

fn stderr_of(store: &str, args: &[&str]) -> String {
    let out = run(store, args, b"");
    assert!(out.status.success(), "{args:?}");
    String::from_utf8_lossy(&out.stderr).into_owned()
}

/// `sessions create` with every option, shown with readable times and its expiry; a tool call
/// with empty content shows its metadata; `list --all` goes through every page.
fn shows_what_is_stored(store: &str) {
    ok(
        store,
        &[
            "sessions",
            "create",
            "c1",
            "--title",
            "Refund",
            "--participant",
            "ana",
            "--participant",
            "agent-7",
            "--idle",
            "3600",
            "--metadata",
            r#"{"tier":"gold"}"#,
        ],
    );
    let shown = ok(store, &["sessions", "show", "c1"]);
    for part in [
        "Refund",
        "ana, agent-7",
        "(idle 3600 s)",
        "last activity",
        "{\"tier\":\"gold\"}",
    ] {
        assert!(shown.contains(part), "{part}: {shown}");
    }
    let utc = ok(store, &["--utc", "sessions", "show", "c1"]);
    let created = utc
        .lines()
        .find(|l| l.starts_with("created"))
        .expect("created");
    assert!(
        created.contains('T') && created.ends_with('Z'),
        "RFC 3339 with --utc: {utc}"
    );
    let today = &created[created.len() - 24..created.len() - 14];
    let call = r#"{"tool_call":{"name":"search","args":{"q":"refund"}}}"#;
    ok(
        store,
        &[
            "messages",
            "append",
            "c1",
            "--role",
            "assistant",
            "--metadata",
            call,
            "",
        ],
    );
    let tail = ok(store, &["messages", "tail", "c1"]);
    let row = tail.lines().nth(1).expect("a row");
    assert!(
        row.contains("tool_call") && row.contains("assistant"),
        "{tail}"
    );
    assert!(row.contains(today), "its date: {row}");
    assert!(
        refused(
            store,
            &["messages", "append", "c1", "--metadata", "[1]", "x"]
        )
        .contains("--metadata")
    );
    assert!(
        refused(
            store,
            &["messages", "append", "c1", "--metadata", "{oops", "x"]
        )
        .contains("not JSON")
    );
    for i in 0..5 {
        ok(
            store,
            &[
                "sessions",
                "create",
                &format!("p{i}"),
                "--participant",
                "bo",
            ],
        );
    }
    let one_page = ok(
        store,
        &["sessions", "list", "--participant", "bo", "--limit", "2"],
    );
    assert_eq!(one_page.lines().filter(|l| l.starts_with('p')).count(), 2);
    let every = ok(
        store,
        &[
            "sessions",
            "list",
            "--participant",
            "bo",
            "--limit",
            "2",
            "--all",
        ],
    );
    assert_eq!(
        every.lines().filter(|l| l.starts_with('p')).count(),
        5,
        "{every}"
    );
    assert!(!every.contains("--cursor"), "{every}");
    let json_lines = ok(
        store,
        &["--json", "sessions", "list", "--limit", "2", "--all"],
    );
    assert_eq!(json_lines.lines().count(), 6, "one JSON line per session");
}

/// `export --session` and `--participant` write only what they select.
fn exports_what_is_selected(store: &str) {
    let picked = ok(
        store,
        &[
            "export",
            "--session",
            "p1",
            "--session",
            "c1",
            "--session",
            "p1",
        ],
    );
    let sessions: Vec<&str> = picked
        .lines()
        .filter(|l| l.starts_with("{\"session\":"))
        .collect();
    assert_eq!(sessions.len(), 2, "{picked}");
    assert_eq!(picked.lines().count(), 3, "c1's message comes with it");
    let of_bo = ok(store, &["export", "--participant", "bo"]);
    assert_eq!(of_bo.lines().count(), 5);
    assert!(refused(store, &["export", "--session", "nope"]).contains("not found"));
}

#[test]
fn the_tool_shows_and_selects_what_is_stored_on_every_store() {
    let dir = tempfile::tempdir().expect("tempdir");
    let server = RedisServer::start();
    for store in stores(dir.path(), server.as_ref()) {
        shows_what_is_stored(&store);
        exports_what_is_selected(&store);
    }
}

#[test]
fn an_empty_store_says_so_and_a_redis_prefix_is_honoured() {
    let dir = tempfile::tempdir().expect("tempdir");
    let sqlite = format!("sqlite:{}", dir.path().join("empty.db").display());
    assert!(stderr_of(&sqlite, &["stats"]).contains("holds no multichat sessions"));
    assert!(stderr_of(&sqlite, &["export"]).contains("holds no multichat sessions"));
    let lines = [session_line("old", 1, 1), message_line("old", 1, "user")];
    let file = write_lines(dir.path(), "old.jsonl", &lines);
    ok(&sqlite, &["import", &file.display().to_string()]);
    let shown = ok(&sqlite, &["--utc", "sessions", "show", "old"]);
    assert!(
        shown.contains("1970-01-01T00:00:01.000Z"),
        "created and updated at 1000 ms: {shown}"
    );
    let local = Command::new(env!("CARGO_BIN_EXE_multichat"))
        .env("TZ", "XYZ-3")
        .args(["--store", &sqlite, "sessions", "show", "old"])
        .output()
        .expect("runs");
    let local = String::from_utf8_lossy(&local.stdout);
    assert!(
        local.contains("1970-01-01 03:00:01.000 +03:00"),
        "local time by default: {local}"
    );
    assert_eq!(export(&sqlite).len(), 2);
    assert!(!stderr_of(&sqlite, &["stats"]).contains("holds no"));
    let Some(server) = RedisServer::start() else {
        return;
    };
    let app1 = format!("{}?prefix=app1", server.url());
    ok(&app1, &["sessions", "create", "only-in-app1"]);
    assert!(ok(&app1, &["export"]).contains("only-in-app1"));
    let stats: serde_json::Value =
        serde_json::from_str(&ok(&app1, &["--json", "stats"])).expect("json");
    assert_eq!(stats["sessions"], 1);
    let default = stderr_of(&server.url(), &["export"]);
    assert!(
        default.contains("?prefix="),
        "the hint names the option: {default}"
    );
}

#[test]
fn a_leading_tilde_is_the_home_directory() {
    let home = tempfile::tempdir().expect("tempdir");
    let out = Command::new(env!("CARGO_BIN_EXE_multichat"))
        .env("HOME", home.path())
        .args(["--store", "sqlite:~/chats.db", "sessions", "create", "t"])
        .output()
        .expect("runs");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(home.path().join("chats.db").exists());
}
