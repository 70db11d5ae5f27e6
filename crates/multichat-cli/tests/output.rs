//! What the tool prints and writes is safe: text from the store cannot drive the terminal,
//! secrets in store URLs are never shown, reads are never refused for their size, and the files
//! it creates are private.

mod common;

use common::{export, message_line, ok, refused, run, session_line, stores, write_lines};
use multichat_testkit::RedisServer;

#[test]
fn terminal_escapes_in_stored_text_are_printed_escaped() {
    let dir = tempfile::tempdir().expect("tempdir");
    let store = &stores(dir.path(), None)[0];
    let mut session = session_line("s", 1, 1);
    session["session"]["title"] = "\u{1b}]0;owned\u{7}\u{1b}[2J\u{9b}31m\u{202e}evil".into();
    session["session"]["participants"] = serde_json::json!(["ana\u{202e}"]);
    let mut message = message_line("s", 1, "user");
    message["message"]["content"] = "\u{1b}[2Jcleared".into();
    let file = write_lines(dir.path(), "e.jsonl", &[session, message]);
    ok(store, &["import", &file.display().to_string()]);
    for args in [
        &["sessions", "list"][..],
        &["sessions", "show", "s"],
        &["messages", "tail", "s"],
        &["--json", "sessions", "list"],
        &["--json", "messages", "tail", "s"],
    ] {
        let out = ok(store, args);
        let bad = out
            .chars()
            .find(|c| (c.is_control() && *c != '\n') || ('\u{202a}'..='\u{202e}').contains(c));
        assert_eq!(
            bad, None,
            "{args:?} printed a raw control character: {out:?}"
        );
        assert!(out.contains("\\u001b") || out.contains("cleared"), "{out}");
    }
    let json: serde_json::Value =
        serde_json::from_str(ok(store, &["--json", "sessions", "list"]).trim())
            .expect("valid JSON");
    assert_eq!(
        json["items"][0]["title"],
        "\u{1b}]0;owned\u{7}\u{1b}[2J\u{9b}31m\u{202e}evil"
    );
    assert_eq!(export(store).len(), 2, "the export keeps the text exactly");
}

#[test]
fn store_passwords_never_appear_in_output() {
    let Some(server) = RedisServer::start_with_password("pa55-SECRET") else {
        return;
    };
    let url = format!("redis://:pa55-SECRET@127.0.0.1:{}/", server.port());
    let out = run(
        &url,
        &[
            "demo",
            "--sessions",
            "1",
            "--agents",
            "1",
            "--messages",
            "1",
        ],
        b"",
    );
    let all = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(out.status.success(), "{all}");
    assert!(all.contains("reopening redis://:***@127.0.0.1"), "{all}");
    let wrong = format!("redis://:wrong-SECRET@127.0.0.1:{}/", server.port());
    for store in [
        wrong.as_str(),
        "redis:pa55-SECRET@127.0.0.1",
        "foo://u:pa55-SECRET@h/",
    ] {
        let err = refused(store, &["stats"]);
        assert!(!err.contains("SECRET"), "{store}: {err}");
    }
}

#[test]
fn tail_pages_through_any_number_of_messages() {
    let dir = tempfile::tempdir().expect("tempdir");
    for store in stores(dir.path(), None) {
        let mut lines = vec![session_line("big", 2500, 2500)];
        lines.extend((1..=2500).map(|seq| message_line("big", seq, "user")));
        let file = write_lines(dir.path(), "big.jsonl", &lines);
        ok(&store, &["import", &file.display().to_string()]);
        let seqs = |args: &[&str]| -> Vec<u64> {
            ok(&store, args)
                .lines()
                .map(|l| {
                    serde_json::from_str::<serde_json::Value>(l).expect("json")["seq"]
                        .as_u64()
                        .expect("seq")
                })
                .collect()
        };
        let tail = seqs(&["--json", "messages", "tail", "big", "-n", "1500"]);
        assert_eq!(tail, (1001..=2500).collect::<Vec<_>>(), "{store}");
        let all = seqs(&["--json", "messages", "tail", "big", "--all"]);
        assert_eq!(all, (1..=2500).collect::<Vec<_>>(), "{store}");
        let more = seqs(&["--json", "messages", "tail", "big", "-n", "9999"]);
        assert_eq!(more.len(), 2500, "{store}");
    }
}

#[cfg(unix)]
#[test]
fn created_files_are_private() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().expect("tempdir");
    let store = &stores(dir.path(), None)[0];
    ok(store, &["messages", "append", "s", "secret chat"]);
    let exported = dir.path().join("out.jsonl");
    ok(
        store,
        &["export", "--output", &exported.display().to_string()],
    );
    for name in ["chats.db", "chats.db-wal", "chats.db-shm", "out.jsonl"] {
        let path = dir.path().join(name);
        // SQLite removes the `-wal` and `-shm` files when the last connection closes cleanly,
        // which may or may not happen before the process exits; when they are there, they
        // must be private too.
        if (name.ends_with("-shm") || name.ends_with("-wal")) && !path.exists() {
            continue;
        }
        let mode = std::fs::metadata(&path).expect(name).permissions().mode() & 0o777;
        assert_eq!(mode, 0o600, "{name} is {mode:o}");
    }
}

#[test]
fn an_evicting_redis_is_reported() {
    let Some(server) = RedisServer::start_with(None, &["--maxmemory-policy", "volatile-lru"])
    else {
        return;
    };
    let out = run(&server.url(), &["stats"], b"");
    assert!(out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("maxmemory-policy is volatile-lru"), "{err}");
    let table = String::from_utf8_lossy(&out.stdout);
    assert!(
        table.contains("EVICTS") && table.contains("yes: volatile-lru"),
        "{table}"
    );
    let out = run(&server.url(), &["--json", "stats"], b"");
    let stats: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    assert_eq!(stats["evicts"], "volatile-lru");
}
