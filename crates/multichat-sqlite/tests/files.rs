//! Hostile files (newer schema, another program's database, a text file, a truncated database)
//! and cancelled operations.

use multichat_core::ErrorKind;
use std::path::Path;

use multichat_core::{
    Error, MessageQuery, MessageStore, NewMessage, NewSession, SessionId, SessionStore,
};
use multichat_sqlite::{APPLICATION_ID, SCHEMA_VERSION, SqliteConfig, SqliteStore};

async fn open(path: &Path) -> Result<SqliteStore, Error> {
    SqliteStore::open(path, SqliteConfig::default()).await
}

fn raw(path: &Path, sql: &str) {
    rusqlite::Connection::open(path)
        .expect("raw open")
        .execute_batch(sql)
        .expect("raw sql");
}

#[tokio::test]
async fn a_newer_schema_is_refused_and_left_untouched() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("future.db");
    let newer = SCHEMA_VERSION + 1;
    raw(
        &path,
        &format!(
            "PRAGMA application_id = {APPLICATION_ID}; PRAGMA user_version = {newer}; CREATE TABLE t(x);"
        ),
    );
    let before = std::fs::read(&path).expect("read");
    match open(&path).await {
        Err(Error::Incompatible {
            found, supported, ..
        }) => {
            assert_eq!(found, newer.to_string());
            assert!(
                supported.contains(&SCHEMA_VERSION.to_string()),
                "{supported}"
            );
        }
        other => panic!("expected Incompatible, got {other:?}"),
    }
    assert_eq!(
        std::fs::read(&path).expect("read"),
        before,
        "file unchanged"
    );
}

#[tokio::test]
async fn another_programs_database_is_refused_and_left_untouched() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("other.db");
    raw(
        &path,
        "CREATE TABLE customers(id INTEGER PRIMARY KEY, name TEXT); INSERT INTO customers VALUES (1, 'x');",
    );
    let before = std::fs::read(&path).expect("read");
    let err = open(&path).await.expect_err("refused");
    assert_eq!(err.kind(), ErrorKind::Incompatible);
    assert!(err.to_string().contains("not a multichat store"), "{err}");
    assert_eq!(std::fs::read(&path).expect("read"), before);
}

#[tokio::test]
async fn a_text_file_is_refused_and_left_untouched() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("notes.db");
    std::fs::write(&path, "these are my notes, not a database\n".repeat(100)).expect("write");
    let before = std::fs::read(&path).expect("read");
    let err = open(&path).await.expect_err("refused");
    assert_eq!(err.kind(), ErrorKind::Corrupt, "{err}");
    assert!(err.to_string().contains("not a SQLite database"), "{err}");
    assert_eq!(std::fs::read(&path).expect("read"), before);
}

#[tokio::test]
async fn a_truncated_database_gives_corrupt_not_a_panic() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("cut.db");
    let store = open(&path).await.expect("open");
    let id = SessionId::new("s").expect("id");
    store
        .create_session(NewSession::new(id.clone()))
        .await
        .expect("create");
    let batch: Vec<NewMessage> = (0..500)
        .map(|i| NewMessage::user(format!("{i} {}", "x".repeat(200))))
        .collect();
    store.append(&id, batch, None).await.expect("append");
    drop(store);
    raw(&path, "PRAGMA wal_checkpoint(TRUNCATE);");
    let len = std::fs::metadata(&path).expect("meta").len();
    std::fs::OpenOptions::new()
        .write(true)
        .open(&path)
        .expect("open")
        .set_len(len / 3)
        .expect("truncate");
    let outcome = match open(&path).await {
        Err(e) => Err(e),
        Ok(store) => store.read(&id, MessageQuery::last(1000)).await.map(|_| ()),
    };
    let err = outcome.expect_err("a truncated database cannot be read whole");
    assert_eq!(err.kind(), ErrorKind::Corrupt, "{err}");
}

#[tokio::test]
async fn a_dropped_append_never_leaves_the_database_locked() {
    let dir = tempfile::tempdir().expect("tempdir");
    let store = open(&dir.path().join("cancel.db")).await.expect("open");
    let id = SessionId::new("s").expect("id");
    store
        .create_session(NewSession::new(id.clone()))
        .await
        .expect("create");
    let dropped = store.append(&id, vec![NewMessage::user("dropped")], None);
    tokio::select! {
        biased;
        // Usually pending after its first poll (queued, not yet committed); dropped either way.
        _ = dropped => {}
        () = std::future::ready(()) => {}
    }
    let next = store
        .append(&id, vec![NewMessage::user("next")], None)
        .await
        .expect("the next write succeeds");
    assert_eq!(
        next,
        [2],
        "the dropped append had been queued: it ran and committed alone"
    );
    let failed = store
        .append(&id, vec![NewMessage::user("stale")], Some(0))
        .await;
    assert_eq!(failed.expect_err("conflict").kind(), ErrorKind::Conflict);
    let after = store
        .append(&id, vec![NewMessage::user("after")], Some(2))
        .await
        .expect("after a failure");
    assert_eq!(after, [3]);
    let contents: Vec<String> = store
        .read(&id, MessageQuery::last(10))
        .await
        .expect("read")
        .into_iter()
        .map(|m| m.content)
        .collect();
    assert_eq!(contents, ["dropped", "next", "after"]);
}

#[tokio::test]
async fn restores_write_sessions_and_messages_exactly() {
    let dir = tempfile::tempdir().expect("tempdir");
    let clock = multichat_testkit::ManualClock::new();
    let config = SqliteConfig::default().clock(std::sync::Arc::new(clock.clone()));
    let store = SqliteStore::open(dir.path().join("r.db"), config)
        .await
        .expect("open");
    multichat_testkit::restore::check(&store, &clock).await;
    multichat_testkit::restore::check_whole(&store, &clock, true).await;
    multichat_testkit::transitions::check(&store, &clock).await;
}

/// A message row past the session's counters (another program, a partial restore): an append
/// is `Corrupt` naming the seq and writes nothing; `clear` removes it without a panic and leaves
/// a session that takes appends again; `delete_session` works too.
#[tokio::test]
async fn a_foreign_row_past_the_counters_is_corrupt_and_recoverable() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("chats.db");
    let store = open(&path).await.expect("open");
    let id = SessionId::new("s").expect("id");
    store
        .create_session(NewSession::new(id.clone()))
        .await
        .expect("create");
    store
        .append(&id, vec![NewMessage::user("one")], None)
        .await
        .expect("append");
    raw(
        &path,
        "INSERT INTO messages VALUES ('s', 2, 'user', NULL, 'foreign', '{}', 0, NULL, NULL)",
    );
    let before = store.get_session(&id).await.expect("get");
    match store.append(&id, vec![NewMessage::user("two")], None).await {
        Err(Error::Corrupt { location, .. }) => assert!(location.contains("seq 2"), "{location}"),
        other => panic!("expected Corrupt, got {other:?}"),
    }
    assert_eq!(
        store.get_session(&id).await.expect("get"),
        before,
        "nothing written"
    );
    assert_eq!(store.clear(&id).await.expect("clear works"), 2);
    let seqs = store
        .append(&id, vec![NewMessage::user("after")], None)
        .await
        .expect("the session takes appends again");
    assert!(seqs[0] > 2, "seqs never reused: {seqs:?}");
    let read = store.read(&id, MessageQuery::last(10)).await.expect("read");
    assert_eq!(
        read.iter().map(|m| m.content.as_str()).collect::<Vec<_>>(),
        ["after"]
    );
    raw(
        &path,
        &format!(
            "INSERT INTO messages VALUES ('s', {}, 'user', NULL, 'x', '{{}}', 0, NULL, NULL)",
            seqs[0] + 5
        ),
    );
    assert!(store.delete_session(&id).await.expect("delete works"));
    assert!(store.get_session(&id).await.expect("get").is_none());
}

/// A statement that fails in the middle of a batch (a trigger refuses its second message after
/// the first was inserted): the append is an error and nothing of the batch — no message, no
/// counter — is visible, then or after a reopen; the store goes on once the cause is gone.
#[tokio::test]
async fn a_batch_that_fails_midway_leaves_nothing_of_itself() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("midway.db");
    let store = open(&path).await.expect("open");
    let id = SessionId::new("s").expect("id");
    store
        .create_session(NewSession::new(id.clone()))
        .await
        .expect("create");
    store
        .append(&id, vec![NewMessage::user("kept")], None)
        .await
        .expect("append");
    let before = store.get_session(&id).await.expect("get");
    raw(
        &path,
        "CREATE TRIGGER fail_midway BEFORE INSERT ON messages WHEN NEW.content = 'boom' \
         BEGIN SELECT RAISE(ABORT, 'injected failure'); END;",
    );
    let batch = ["first", "boom", "third"].map(NewMessage::user).to_vec();
    let failed = store.append(&id, batch, None).await;
    assert!(failed.is_err(), "the injected failure is reported");
    for store in [store, open(&path).await.expect("reopen")] {
        assert_eq!(store.get_session(&id).await.expect("get"), before);
        let seqs: Vec<u64> = store
            .read(&id, MessageQuery::last(10))
            .await
            .expect("read")
            .iter()
            .map(|m| m.seq)
            .collect();
        assert_eq!(seqs, [1], "no message of the failed batch");
    }
    raw(&path, "DROP TRIGGER fail_midway;");
    let store = open(&path).await.expect("reopen");
    let seqs = store
        .append(&id, vec![NewMessage::user("next")], None)
        .await;
    assert_eq!(seqs.expect("append after the fault"), [2]);
}

/// After `close` — or after the last handle is dropped — the database file alone holds every
/// commit: the WAL is gone, and a copy of the `.db` file reads back everything.
#[tokio::test]
async fn a_closed_or_dropped_store_leaves_everything_in_the_database_file() {
    let dir = tempfile::tempdir().expect("tempdir");
    for (n, close) in [true, false].into_iter().enumerate() {
        let path = dir.path().join(format!("c{n}.db"));
        let store = open(&path).await.expect("open");
        let id = SessionId::new("s").expect("id");
        store
            .create_session(NewSession::new(id.clone()))
            .await
            .expect("create");
        let batch = (0..200)
            .map(|i| NewMessage::user(format!("m{i}")))
            .collect();
        store.append(&id, batch, None).await.expect("append");
        let wal = dir.path().join(format!("c{n}.db-wal"));
        assert!(wal.exists(), "the WAL exists while the store is open");
        if close {
            store.close().await.expect("close");
        } else {
            drop(store);
        }
        assert!(!wal.exists(), "close {close}: the WAL is gone");
        let copy = dir.path().join(format!("copy{n}.db"));
        std::fs::copy(&path, &copy).expect("copy the .db file alone");
        let copied = open(&copy).await.expect("open the copy");
        let read = copied
            .read(&id, MessageQuery::last(1000))
            .await
            .expect("read");
        assert_eq!(
            read.len(),
            200,
            "close {close}: the copy holds every message"
        );
    }
}
