//! Running the `multichat` binary from the tests: its output, and the stores to run it on.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

use multichat_testkit::RedisServer;

/// Runs `multichat --store STORE ARGS…` with `stdin` as its input.
pub fn run(store: &str, args: &[&str], stdin: &[u8]) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_multichat"))
        .arg("--store")
        .arg(store)
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("runs");
    let mut input = child.stdin.take().expect("stdin");
    input.write_all(stdin).expect("write stdin");
    drop(input);
    child.wait_with_output().expect("exits")
}

/// Stdout of a run that must succeed.
pub fn ok(store: &str, args: &[&str]) -> String {
    let out = run(store, args, b"");
    assert!(
        out.status.success(),
        "{args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).expect("utf-8")
}

/// Stderr of a run that must fail with one line and exit code 1, and no panic.
pub fn refused(store: &str, args: &[&str]) -> String {
    let out = run(store, args, b"");
    let err = String::from_utf8_lossy(&out.stderr).into_owned();
    assert_eq!(out.status.code(), Some(1), "{args:?} must fail: {err}");
    assert!(
        err.starts_with("error: ") && err.lines().count() == 1 && !err.contains("panicked"),
        "{err}"
    );
    err
}

/// The export of `store`, its lines sorted (listing order is by time).
pub fn export(store: &str) -> Vec<String> {
    let mut lines: Vec<String> = ok(store, &["export"]).lines().map(str::to_owned).collect();
    lines.sort();
    lines
}

/// A SQLite, a JSON and (when `redis` is given) a Redis store, all empty.
pub fn stores(dir: &Path, redis: Option<&RedisServer>) -> Vec<String> {
    let mut stores = vec![
        format!("sqlite:{}", dir.join("chats.db").display()),
        format!("json:{}", dir.join("json").display()),
    ];
    stores.extend(redis.map(RedisServer::url));
    stores
}

/// Writes `lines` (one JSON value each) to `dir/name`.
pub fn write_lines(dir: &Path, name: &str, lines: &[serde_json::Value]) -> PathBuf {
    let text: String = lines.iter().map(|l| format!("{l}\n")).collect();
    let path = dir.join(name);
    std::fs::write(&path, text).expect("write");
    path
}

/// A session line with `last_seq` and `message_count`, created and updated at 1000.
pub fn session_line(id: &str, last_seq: u64, count: u64) -> serde_json::Value {
    serde_json::json!({"session": {
        "id": id, "title": null, "participants": [], "metadata": {},
        "created_at": 1000, "updated_at": 1000, "expiry": null, "expires_at": null,
        "version": 1 + count, "last_seq": last_seq, "message_count": count,
    }})
}

/// A message line of session `id`.
pub fn message_line(id: &str, seq: u64, role: &str) -> serde_json::Value {
    serde_json::json!({"session_id": id, "message": {
        "seq": seq, "role": role, "sender": null, "content": format!("m{seq}"),
        "metadata": {}, "created_at": 1000,
    }})
}
