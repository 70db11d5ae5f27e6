//! The files themselves: valid JSON for any tool, owner-only permissions, ids that cannot escape
//! the root, and hostile contents (corrupt lines, newer formats, empty or truncated records,
//! torn tails).

use multichat_core::ErrorKind;
use std::path::{Path, PathBuf};

use multichat_core::{
    Error, MessageQuery, MessageStore, NewMessage, NewSession, SessionId, SessionStore,
};
use multichat_json::{JsonConfig, JsonStore, layout};

async fn open(path: &Path) -> multichat_core::Result<JsonStore> {
    JsonStore::open(JsonConfig::new(path)).await
}

fn files_under(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir(dir).expect("read dir") {
        let path = entry.expect("entry").path();
        if path.is_dir() {
            out.extend(files_under(&path));
        }
        out.push(path);
    }
    out
}

async fn seeded(root: &Path, name: &str, messages: usize) -> (JsonStore, SessionId) {
    let store = open(root).await.expect("open");
    let id = SessionId::new(name).expect("id");
    store
        .create_session(NewSession::new(id.clone()).title("t"))
        .await
        .expect("create");
    for i in 0..messages {
        store
            .append(&id, vec![NewMessage::user(format!("m{i}"))], None)
            .await
            .expect("append");
    }
    (store, id)
}

#[tokio::test]
async fn every_file_is_valid_json_or_json_lines_with_owner_only_permissions() {
    let dir = tempfile::tempdir().expect("tempdir");
    let (store, id) = seeded(dir.path(), "Ünïcode / ../ id", 3).await;
    store
        .append(
            &id,
            vec![
                NewMessage::assistant("a\nb \"q\" 🦀"),
                NewMessage::tool("t"),
            ],
            None,
        )
        .await
        .expect("batch");
    store.pop(&id).await.expect("pop");
    for path in files_under(dir.path()).into_iter().filter(|p| p.is_file()) {
        let text = std::fs::read_to_string(&path).expect("utf-8");
        let name = path.display().to_string();
        if name.ends_with(".jsonl") {
            let lines: Vec<serde_json::Value> = text
                .lines()
                .map(|l| serde_json::from_str(l).expect(&name))
                .collect();
            assert_eq!(lines.len(), 4, "{name}");
            assert_eq!(lines[3]["content"], "a\nb \"q\" 🦀");
            assert!(
                lines
                    .iter()
                    .all(|l| l["seq"].is_u64() && l["role"].is_string())
            );
        } else if name.ends_with(".json") {
            serde_json::from_str::<serde_json::Value>(&text).expect(&name);
        }
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(&path).expect("meta").permissions().mode() & 0o777;
            assert!(
                name.ends_with("lock") || mode == 0o600,
                "{name} has mode {mode:o}"
            );
        }
    }
}

#[tokio::test]
async fn hostile_ids_never_write_outside_the_root() {
    let outer = tempfile::tempdir().expect("tempdir");
    let root = outer.path().join("store");
    let store = open(&root).await.expect("open");
    let long = "../".repeat(85);
    let ids = [
        "..",
        "../escape",
        "../../etc/passwd",
        "/abs/path",
        "a/../../b",
        "\\..\\win",
        ".hidden",
        "x.json",
        &long,
    ];
    for name in ids {
        let id = SessionId::new(name).expect("valid id");
        store
            .create_session(NewSession::new(id.clone()))
            .await
            .expect("create");
        store
            .append(&id, vec![NewMessage::user(name)], None)
            .await
            .expect("append");
        assert!(!layout::encode(name).contains('.'), "{name}");
    }
    let outside: Vec<PathBuf> = std::fs::read_dir(outer.path())
        .expect("dir")
        .map(|e| e.expect("e").path())
        .collect();
    assert_eq!(
        outside,
        std::slice::from_ref(&root),
        "nothing but the store's root in its parent"
    );
    drop(store);
    let reopened = open(&root).await.expect("reopen");
    for name in ids {
        let id = SessionId::new(name).expect("id");
        assert_eq!(
            reopened
                .read(&id, MessageQuery::last(1))
                .await
                .expect("read")[0]
                .content,
            name
        );
    }
}

#[tokio::test]
async fn a_corrupt_middle_line_is_corrupt_with_file_and_line() {
    let dir = tempfile::tempdir().expect("tempdir");
    let (store, id) = seeded(dir.path(), "s", 5).await;
    drop(store);
    let log = dir.path().join("messages/s.jsonl");
    let text = std::fs::read_to_string(&log).expect("log");
    let mut lines: Vec<&str> = text.lines().collect();
    lines[2] = "{\"seq\": 3, this is not json}";
    std::fs::write(&log, lines.join("\n") + "\n").expect("write");
    let store = open(dir.path())
        .await
        .expect("the tail is intact, so the store opens");
    match store.read(&id, MessageQuery::last(10)).await {
        Err(Error::Corrupt { location, .. }) => {
            assert!(
                location.contains("s.jsonl") && location.contains("line 3"),
                "{location}"
            );
        }
        other => panic!("expected Corrupt, got {other:?}"),
    }
    assert_eq!(
        store
            .read(&id, MessageQuery::last(2))
            .await
            .expect("lines after it are fine")
            .len(),
        2
    );
}

#[tokio::test]
async fn newer_formats_are_incompatible() {
    let dir = tempfile::tempdir().expect("tempdir");
    let (store, _) = seeded(dir.path(), "s", 1).await;
    drop(store);
    let record = dir.path().join("sessions/s.json");
    let text = std::fs::read_to_string(&record).expect("record");
    std::fs::write(&record, text.replace("\"format\": 1", "\"format\": 2")).expect("write");
    assert_eq!(
        open(dir.path()).await.expect_err("newer record").kind(),
        ErrorKind::Incompatible
    );
    std::fs::write(&record, text).expect("restore");
    std::fs::write(
        dir.path().join("multichat-json.json"),
        r#"{"format":"multichat-json","version":9}"#,
    )
    .expect("w");
    assert_eq!(
        open(dir.path()).await.expect_err("newer store").kind(),
        ErrorKind::Incompatible
    );
}

#[tokio::test]
async fn empty_or_truncated_records_are_corrupt_sessions_of_an_open_store() {
    for contents in [
        String::new(),
        "{\"format\": 1, \"session\": {\"id\": \"s\"".to_owned(),
    ] {
        let dir = tempfile::tempdir().expect("tempdir");
        let (store, _) = seeded(dir.path(), "s", 1).await;
        drop(store);
        std::fs::write(dir.path().join("sessions/s.json"), &contents).expect("write");
        let store = open(dir.path()).await.expect("the store opens (issue 15)");
        match store.get_session(&SessionId::new("s").expect("id")).await {
            Err(Error::Corrupt { location, .. }) => {
                assert!(location.ends_with("s.json"), "{location}")
            }
            other => panic!("expected Corrupt for {contents:?}, got {other:?}"),
        }
    }
}

#[tokio::test]
async fn a_torn_tail_is_ignored_and_cut_before_the_next_append() {
    let dir = tempfile::tempdir().expect("tempdir");
    let (store, id) = seeded(dir.path(), "s", 3).await;
    drop(store);
    let log = dir.path().join("messages/s.jsonl");
    let mut bytes = std::fs::read(&log).expect("log");
    let intact = bytes.len();
    bytes.extend_from_slice(b"{\"seq\":4,\"role\":\"user\",\"cont");
    std::fs::write(&log, &bytes).expect("write");
    let store = open(dir.path()).await.expect("open");
    assert_eq!(
        std::fs::metadata(&log).expect("meta").len() as usize,
        intact,
        "cut on open"
    );
    let session = store.get_session(&id).await.expect("get").expect("exists");
    assert_eq!((session.last_seq, session.message_count), (3, 3));
    assert_eq!(
        store
            .append(&id, vec![NewMessage::user("m3")], None)
            .await
            .expect("append"),
        [4]
    );
    let contents: Vec<String> = store
        .read(&id, MessageQuery::last(10))
        .await
        .expect("read")
        .into_iter()
        .map(|m| m.content)
        .collect();
    assert_eq!(contents, ["m0", "m1", "m2", "m3"]);
}

#[tokio::test]
async fn a_record_behind_its_log_is_reconciled() {
    let dir = tempfile::tempdir().expect("tempdir");
    let (store, id) = seeded(dir.path(), "s", 0).await;
    let record_before = std::fs::read(dir.path().join("sessions/s.json")).expect("record");
    for i in 0..7 {
        store
            .append(&id, vec![NewMessage::user(format!("m{i}"))], None)
            .await
            .expect("append");
    }
    let live = store.get_session(&id).await.expect("get").expect("exists");
    drop(store);
    assert_eq!(
        std::fs::read(dir.path().join("sessions/s.json")).expect("record"),
        record_before,
        "appends do not rewrite the record"
    );
    let reopened = open(dir.path()).await.expect("reopen");
    assert_eq!(reopened.get_session(&id).await.expect("get"), Some(live));
}

#[tokio::test]
async fn restores_write_sessions_and_messages_exactly() {
    let dir = tempfile::tempdir().expect("tempdir");
    let clock = multichat_testkit::ManualClock::new();
    let store =
        JsonStore::open(JsonConfig::new(dir.path()).clock(std::sync::Arc::new(clock.clone())))
            .await
            .expect("open");
    multichat_testkit::restore::check(&store, &clock).await;
    multichat_testkit::restore::check_whole(&store, &clock, true).await;
    multichat_testkit::transitions::check(&store, &clock).await;
    drop(store);
    let reopened = open(dir.path()).await.expect("reopen");
    let (session, messages) = multichat_testkit::restore::sample(&clock);
    let mut want = session;
    (want.last_seq, want.message_count) = (11, 4);
    assert_eq!(
        reopened
            .read(&want.id, MessageQuery::last(3))
            .await
            .expect("read")[..2],
        messages[1..]
    );
}
