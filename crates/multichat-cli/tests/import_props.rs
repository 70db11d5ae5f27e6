//! The import path as a property: arbitrary mutations of a valid export (numbers, ids, roles,
//! lines removed, repeated, swapped or cut) either import and export back exactly, or are refused
//! and change nothing in the target. `MULTICHAT_IMPORT_CASES` sets the number of cases
//! (default 24, as in CI).

mod common;

use common::{export, message_line, ok, refused, run, session_line, stores, write_lines};
use proptest::prelude::*;
use proptest::test_runner::{Config, TestRunner};
use serde_json::{Value, json};

/// One change to the lines of the export.
#[derive(Debug, Clone)]
enum Mutation {
    Number(usize, &'static str, u64),
    Text(usize, &'static str, &'static str),
    Remove(usize),
    Repeat(usize),
    Swap(usize, usize),
    Cut(usize, usize),
}

fn mutation() -> impl Strategy<Value = Mutation> {
    let fields = prop::sample::select(vec![
        "seq",
        "last_seq",
        "message_count",
        "version",
        "created_at",
        "updated_at",
        "expires_at",
    ]);
    let numbers = prop_oneof![
        0u64..6,
        Just(1 << 52),
        Just(i64::MAX as u64),
        Just(u64::MAX),
        any::<u64>()
    ];
    let texts = prop::sample::select(vec!["", "a", "b", "keep", "User", "x\u{1b}"]);
    let names = prop::sample::select(vec!["id", "session_id", "role", "sender"]);
    prop_oneof![
        (0..8usize, fields, numbers).prop_map(|(l, f, n)| Mutation::Number(l, f, n)),
        (0..8usize, names, texts).prop_map(|(l, f, t)| Mutation::Text(l, f, t)),
        (0..8usize).prop_map(Mutation::Remove),
        (0..8usize).prop_map(Mutation::Repeat),
        (0..8usize, 0..8usize).prop_map(|(a, b)| Mutation::Swap(a, b)),
        (0..8usize, 1..40usize).prop_map(|(l, at)| Mutation::Cut(l, at)),
    ]
}

/// Sets `field` wherever it occurs in the line's record or message.
fn set(line: &mut Value, field: &str, value: Value) {
    for part in ["session", "message"] {
        if let Some(object) = line.get_mut(part).and_then(Value::as_object_mut) {
            object.insert(field.to_owned(), value.clone());
        }
    }
    if field == "session_id" && line.get("session_id").is_some() {
        line["session_id"] = value;
    }
}

/// The export text after `mutations` (a cut line is no longer JSON).
fn mutate(mutations: &[Mutation]) -> Vec<String> {
    let mut lines = vec![session_line("a", 4, 3)];
    lines.extend([1, 2, 4].map(|seq| message_line("a", seq, "user")));
    lines.push(session_line("b", 0, 0));
    let mut cuts = Vec::new();
    for m in mutations {
        let n = lines.len().max(1);
        match *m {
            Mutation::Number(l, f, v) => set(&mut lines[l % n], f, json!(v)),
            Mutation::Text(l, f, t) => set(&mut lines[l % n], f, json!(t)),
            Mutation::Remove(l) if lines.len() > 1 => drop(lines.remove(l % n)),
            Mutation::Repeat(l) => lines.insert(l % n, lines[l % n].clone()),
            Mutation::Swap(a, b) => lines.swap(a % n, b % n),
            Mutation::Cut(l, at) => cuts.push((l, at)),
            Mutation::Remove(_) => {}
        }
    }
    let mut text: Vec<String> = lines.iter().map(Value::to_string).collect();
    for (l, at) in cuts {
        let l = l % text.len();
        let keep = at.min(text[l].len());
        text[l].truncate(keep);
    }
    text
}

/// Lines as sorted canonical JSON (keys sorted), to compare an export with what was imported.
fn canonical(lines: &[String]) -> Vec<String> {
    let mut out: Vec<String> = lines
        .iter()
        .map(|l| serde_json::from_str::<Value>(l).map_or(l.clone(), |v| v.to_string()))
        .collect();
    out.sort();
    out
}

#[test]
fn an_import_either_round_trips_or_changes_nothing() {
    let cases =
        std::env::var("MULTICHAT_IMPORT_CASES").map_or(24, |v| v.parse().expect("a number"));
    let dir = tempfile::tempdir().expect("tempdir");
    let keep = write_lines(dir.path(), "keep.jsonl", &[session_line("keep", 0, 0)]);
    let (refusals, case) = (std::cell::Cell::new(0), std::cell::Cell::new(0));
    let mut runner = TestRunner::new(Config {
        cases,
        ..Config::default()
    });
    let outcome = runner.run(&prop::collection::vec(mutation(), 1..4), |mutations| {
        case.set(case.get() + 1);
        let case = case.get();
        let text = mutate(&mutations);
        let file = dir.path().join(format!("case-{case}.jsonl"));
        std::fs::write(&file, text.join("\n")).expect("write");
        let root = dir.path().join(format!("stores-{case}"));
        std::fs::create_dir(&root).expect("mkdir");
        for store in stores(&root, None) {
            ok(&store, &["import", &keep.display().to_string()]);
            let before = export(&store);
            let out = run(&store, &["import", &file.display().to_string()], b"");
            let after = export(&store);
            if out.status.success() {
                let mut expected = text.clone();
                expected.extend(before.iter().cloned());
                prop_assert_eq!(canonical(&after), canonical(&expected), "{}", store);
            } else {
                refusals.set(refusals.get() + 1);
                prop_assert_eq!(out.status.code(), Some(1));
                prop_assert_eq!(&after, &before, "{} refused but changed", store);
            }
        }
        Ok(())
    });
    outcome.expect("every case holds");
    assert!(refusals.get() > 0, "some mutation must be refused");
    let err = refused(
        &stores(dir.path(), None)[0],
        &["import", "/nonexistent/file"],
    );
    assert!(err.contains("/nonexistent/file"), "{err}");
}
