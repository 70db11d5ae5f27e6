//! Imports of untrusted files never destroy or corrupt what a store holds: every rule of
//! `docs/semantics.md` ("Untrusted input") that `import` enforces, on SQLite, JSON and Redis.
//! Each refused import is checked to have changed nothing by comparing exports.

mod common;

use std::path::Path;

use common::{export, message_line, ok, refused, run, session_line, stores, write_lines};
use multichat_testkit::RedisServer;
use serde_json::json;

/// A store holding session `s1` with 3 messages, and its export.
fn seeded(store: &str) -> Vec<String> {
    for text in ["one", "two", "three"] {
        ok(store, &["messages", "append", "s1", text]);
    }
    export(store)
}

fn import(store: &str, file: &Path) -> String {
    refused(store, &["import", &file.display().to_string()])
}

/// Imports each case's lines into a seeded `store`: each is refused with an error containing its
/// expected text, and nothing changes.
fn all_refused(store: &str, dir: &Path, cases: &[(&str, Vec<serde_json::Value>, &str)]) {
    let before = seeded(store);
    for (name, lines, expected) in cases {
        let err = import(store, &write_lines(dir, name, lines));
        assert!(err.contains(expected), "{store} {name}: {err}");
        assert_eq!(export(store), before, "{store} {name}: nothing changed");
    }
}

fn every_store(check: impl Fn(&str, &Path)) {
    let server = RedisServer::start();
    let dir = tempfile::tempdir().expect("tempdir");
    for (i, store) in stores(dir.path(), server.as_ref()).iter().enumerate() {
        let scratch = dir.path().join(format!("files-{i}"));
        std::fs::create_dir_all(&scratch).expect("mkdir");
        check(store, &scratch);
    }
}

#[test]
fn a_refused_import_leaves_the_session_it_would_replace_untouched() {
    every_store(|store, dir| {
        let before = seeded(store);
        let file = write_lines(
            dir,
            "bad.jsonl",
            &[session_line("s1", 1, 1), message_line("s1", 1, "")],
        );
        let err = refused(store, &["import", "--replace", &file.display().to_string()]);
        assert!(
            err.contains("line 2") && err.contains("role"),
            "{store}: {err}"
        );
        let err = import(store, &file);
        assert!(err.contains("--replace"), "{store}: {err}");
        assert_eq!(export(store), before, "{store}: nothing changed");
    });
}

#[test]
fn an_older_export_is_refused_unless_replace_and_an_equal_one_is_skipped() {
    every_store(|store, dir| {
        let older = seeded(store);
        let file = dir.join("older.jsonl");
        std::fs::write(&file, older.join("\n")).expect("write");
        ok(store, &["messages", "append", "s1", "four"]);
        ok(store, &["messages", "append", "s1", "five"]);
        let newer = export(store);
        let err = import(store, &file);
        assert!(
            err.contains("s1") && err.contains("target's is newer") && err.contains("--replace"),
            "{err}"
        );
        assert_eq!(export(store), newer, "{store}: refused, nothing changed");
        let equal = dir.join("newer.jsonl");
        std::fs::write(&equal, newer.join("\n")).expect("write");
        let out = run(store, &["import", &equal.display().to_string()], b"");
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        assert!(
            String::from_utf8_lossy(&out.stderr)
                .contains("imported 0 session(s); 1 already present")
        );
        assert_eq!(export(store), newer);
        ok(store, &["import", "--replace", &file.display().to_string()]);
        assert_eq!(
            export(store),
            older,
            "{store}: --replace rolled back on request"
        );
    });
}

/// A session whose two messages carry the same client key.
fn keyed_twice() -> Vec<serde_json::Value> {
    let mut lines = vec![session_line("a", 2, 2), message_line("a", 1, "user")];
    lines.push(message_line("a", 2, "user"));
    for line in &mut lines[1..] {
        line["message"]["key"] = json!("k");
    }
    lines
}

#[test]
fn message_lines_must_follow_their_own_session() {
    every_store(|store, dir| {
        let cases = [
            (
                "foreign",
                vec![session_line("a", 1, 1), message_line("b", 1, "user")],
                "belongs to session b",
            ),
            (
                "orphan",
                vec![message_line("a", 1, "user"), session_line("a", 1, 1)],
                "before any session",
            ),
            (
                "twice",
                vec![session_line("a", 0, 0), session_line("a", 0, 0)],
                "a second time",
            ),
            ("a key twice", keyed_twice(), "repeats key \"k\""),
        ];
        all_refused(store, dir, &cases);
    });
}

#[test]
fn counters_that_contradict_the_messages_or_pass_the_ceiling_are_refused() {
    every_store(|store, dir| {
        let mut huge = session_line("a", u64::MAX, 0);
        huge["session"]["version"] = json!(u64::MAX);
        let mut at_ceiling = session_line("b", i64::MAX as u64 + 1, 0);
        at_ceiling["session"]["version"] = json!(1);
        let mut zero = session_line("c", 0, 0);
        zero["session"]["version"] = json!(0);
        let cases = [
            ("huge", vec![huge], "exceeds the largest storable"),
            ("ceiling", vec![at_ceiling], "exceeds the largest storable"),
            ("version-0", vec![zero], "version"),
            (
                "fewer",
                vec![
                    session_line("d", 3, 1),
                    message_line("d", 1, "user"),
                    message_line("d", 2, "user"),
                ],
                "says 1 messages but 2",
            ),
            (
                "more",
                vec![session_line("e", 3, 2), message_line("e", 1, "user")],
                "says 2 messages but 1",
            ),
            (
                "count-above-seq",
                vec![session_line("f", 1, 2)],
                "cannot have seqs up to",
            ),
            (
                "seq-above-last",
                vec![session_line("g", 2, 1), message_line("g", 5, "user")],
                "at most last_seq 2",
            ),
            (
                "seq-repeated",
                vec![
                    session_line("h", 2, 2),
                    message_line("h", 1, "user"),
                    message_line("h", 1, "user"),
                ],
                "must exceed 1",
            ),
        ];
        all_refused(store, dir, &cases);
    });
}

#[test]
fn metadata_nesting_is_bounded_on_import_and_the_limit_itself_round_trips() {
    every_store(|store, dir| {
        let nest = |depth: usize| {
            let mut value = json!(1);
            for _ in 1..depth {
                value = json!({ "k": value });
            }
            value
        };
        let mut deep = session_line("deep", 0, 0);
        deep["session"]["metadata"] = json!({ "k": nest(100) });
        let err = import(store, &write_lines(dir, "deep", &[deep.clone()]));
        assert!(err.contains("nested deeper than the limit of 32"), "{err}");
        deep["session"]["metadata"] = json!({ "k": nest(200) });
        let err = import(store, &write_lines(dir, "deeper", &[deep]));
        assert!(
            err.contains("line 1") && err.contains("recursion limit"),
            "{err}"
        );
        let mut limit = session_line("limit", 1, 1);
        limit["session"]["metadata"] = json!({ "k": nest(31) });
        let mut message = message_line("limit", 1, "user");
        message["message"]["metadata"] = json!({ "k": nest(31) });
        let file = write_lines(dir, "limit", &[limit, message]);
        ok(store, &["import", &file.display().to_string()]);
        let stats: serde_json::Value =
            serde_json::from_str(&ok(store, &["stats", "--json"])).expect("json");
        assert_eq!(
            (&stats["sessions"], &stats["messages"]),
            (&json!(1), &json!(1))
        );
        let round = export(store);
        assert_eq!(round.len(), 2, "{round:?}");
        assert!(
            round.iter().all(|l| l.matches("\"k\"").count() == 31),
            "{round:?}"
        );
    });
}

#[test]
fn an_endless_line_is_a_typed_error_not_an_abort() {
    every_store(|store, dir| {
        let before = seeded(store);
        let file = dir.join("endless.jsonl");
        std::fs::write(&file, vec![b'x'; 9 << 20]).expect("write");
        let err = import(store, &file);
        assert!(
            err.contains("line 1") && err.contains("longer than"),
            "{err}"
        );
        let out = run(store, &["import"], &vec![b'{'; 9 << 20]);
        assert_eq!(out.status.code(), Some(1));
        assert!(String::from_utf8_lossy(&out.stderr).contains("stdin line 1"));
        assert_eq!(export(store), before);
    });
}

#[test]
fn an_expired_session_in_an_import_is_left_out_and_the_rest_imported() {
    every_store(|store, dir| {
        let mut expired = session_line("gone", 1, 1);
        expired["session"]["expiry"] = json!({"at": 2000});
        expired["session"]["expires_at"] = json!(2000);
        let lines = [
            expired,
            message_line("gone", 1, "user"),
            session_line("kept", 1, 1),
            message_line("kept", 1, "user"),
        ];
        let file = write_lines(dir, "expired.jsonl", &lines);
        let out = run(store, &["import", &file.display().to_string()], b"");
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(out.status.success(), "{store}: {err}");
        assert!(
            err.contains("imported 1 session(s)") && err.contains("1 expired left out"),
            "{err}"
        );
        let exported = export(store);
        assert_eq!(exported.len(), 2, "{store}: {exported:?}");
        assert!(
            exported.iter().all(|l| l.contains("\"kept\"")),
            "{exported:?}"
        );
    });
}
