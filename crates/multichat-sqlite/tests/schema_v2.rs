//! Schema version 2 (client keys): a version 1 file is upgraded in place when opened, keeping
//! what it holds, and a key a restore would store twice is refused.

use multichat_core::{
    ErrorKind, Message, MessageQuery, MessageStore, NewMessage, NewSession, RestoreStore,
    SessionId, SessionStore, Timestamp, WholeSession,
};
use multichat_sqlite::sql::SCHEMA_V1;
use multichat_sqlite::{APPLICATION_ID, SCHEMA_VERSION, SqliteConfig, SqliteStore};

#[tokio::test]
async fn a_version_1_file_is_upgraded_and_keeps_its_messages() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("v1.db");
    let conn = rusqlite::Connection::open(&path).expect("raw open");
    conn.execute_batch(&format!(
        "{SCHEMA_V1} PRAGMA application_id = {APPLICATION_ID}; PRAGMA user_version = 1;
         INSERT INTO sessions VALUES ('s', NULL, '[]', '{{}}', 1, 1, NULL, NULL, NULL, 2, 1, 1);
         INSERT INTO messages VALUES ('s', 1, 'user', NULL, 'from v1', '{{}}', 1);"
    ))
    .expect("a version 1 store");
    drop(conn);
    let store = SqliteStore::open(&path, SqliteConfig::default())
        .await
        .expect("open");
    let id = SessionId::new("s").expect("id");
    let keyed = NewMessage::user("keyed").key("k");
    assert_eq!(
        store.append(&id, vec![keyed.clone()], None).await.ok(),
        Some(vec![2])
    );
    assert_eq!(
        store.append(&id, vec![keyed], None).await.ok(),
        Some(vec![2])
    );
    let read = store.read(&id, MessageQuery::last(5)).await.expect("read");
    let got: Vec<_> = read
        .iter()
        .map(|m| (m.content.as_str(), m.key.as_deref()))
        .collect();
    assert_eq!(got, [("from v1", None), ("keyed", Some("k"))]);
    drop(store);
    let conn = rusqlite::Connection::open(&path).expect("raw open");
    let version: i64 = conn
        .query_row("PRAGMA user_version", [], |r| r.get(0))
        .expect("version");
    assert_eq!(version, SCHEMA_VERSION);
}

#[tokio::test]
async fn a_restore_holding_a_key_twice_is_refused_whole() {
    let dir = tempfile::tempdir().expect("tempdir");
    let store = SqliteStore::open(dir.path().join("r.db"), SqliteConfig::default())
        .await
        .expect("open");
    let id = SessionId::new("r").expect("id");
    let mut session = store
        .create_session(NewSession::new(id.clone()))
        .await
        .expect("create");
    store.delete_session(&id).await.expect("delete");
    (session.last_seq, session.message_count) = (2, 2);
    let message = |seq| Message::from_new(NewMessage::user("x").key("same"), seq, Timestamp(1));
    let whole = WholeSession {
        session,
        messages: vec![message(1), message(2)],
    };
    let refused = store.restore_sessions(vec![whole]).await;
    assert_eq!(
        refused.expect_err("a key held twice").kind(),
        ErrorKind::InvalidInput
    );
    assert_eq!(
        store.get_session(&id).await.expect("get"),
        None,
        "nothing restored"
    );
}

#[tokio::test]
async fn a_token_count_no_build_writes_is_corrupt_not_dropped() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("t.db");
    let store = SqliteStore::open(&path, SqliteConfig::default())
        .await
        .expect("open");
    let id = SessionId::new("t").expect("id");
    store
        .create_session(NewSession::new(id.clone()))
        .await
        .expect("create");
    store
        .append(&id, vec![NewMessage::user("a").tokens(7)], None)
        .await
        .expect("append");
    let conn = rusqlite::Connection::open(&path).expect("raw open");
    conn.execute("UPDATE messages SET tokens = -1", [])
        .expect("raw update");
    drop(conn);
    let read = store.read(&id, MessageQuery::last(1)).await;
    match read {
        Err(multichat_core::Error::Corrupt { reason, .. }) => {
            assert!(reason.contains("tokens -1"), "{reason}")
        }
        other => panic!("expected Corrupt, got {other:?}"),
    }
}
