//! One damaged session file does not close the store: that session answers `Corrupt` naming the
//! file, the others work, and deleting it makes its id usable again.

use multichat_core::{Error, MessageQuery, MessageStore, NewMessage, NewSession, SessionId};
use multichat_core::{SessionQuery, SessionStore};
use multichat_json::{JsonConfig, JsonStore};

fn id(name: &str) -> SessionId {
    SessionId::new(name).expect("id")
}

#[tokio::test]
async fn a_damaged_session_is_corrupt_alone_and_can_be_deleted() {
    let dir = tempfile::tempdir().expect("tempdir");
    let store = JsonStore::open(JsonConfig::new(dir.path()))
        .await
        .expect("open");
    for name in ["good", "bad/ü"] {
        store
            .create_session(NewSession::new(id(name)))
            .await
            .expect("create");
        let message = vec![NewMessage::user("hello")];
        store
            .append(&id(name), message, None)
            .await
            .expect("append");
    }
    drop(store);
    let record = multichat_json::layout::Layout::new(dir.path()).record("bad/ü");
    std::fs::write(&record, "{\"format\": 1,\n  \"session\": {oops").expect("damage");
    let store = JsonStore::open(JsonConfig::new(dir.path()))
        .await
        .expect("the store opens");
    let corrupt = |result: multichat_core::Result<_>| match result {
        Err(Error::Corrupt { location, reason }) => {
            assert!(
                location.contains(&record.display().to_string()),
                "{location}"
            );
            assert!(reason.contains("line 2"), "{reason}");
        }
        other => panic!("expected Corrupt, got {other:?}"),
    };
    corrupt(store.get_session(&id("bad/ü")).await.map(|_| ()));
    corrupt(
        store
            .read(&id("bad/ü"), MessageQuery::last(5))
            .await
            .map(|_| ()),
    );
    let again = store
        .append(&id("bad/ü"), vec![NewMessage::user("x")], None)
        .await;
    corrupt(again.map(|_| ()));
    corrupt(
        store
            .create_session(NewSession::new(id("bad/ü")))
            .await
            .map(|_| ()),
    );
    let good = store
        .read(&id("good"), MessageQuery::last(5))
        .await
        .expect("others work");
    assert_eq!(good.len(), 1);
    let listed = store
        .list_sessions(SessionQuery::new(10))
        .await
        .expect("listing works");
    assert_eq!(listed.items.len(), 1);
    assert!(
        store
            .delete_session(&id("bad/ü"))
            .await
            .expect("delete works")
    );
    assert!(!record.exists());
    store
        .create_session(NewSession::new(id("bad/ü")))
        .await
        .expect("the id is free");
    drop(store);
    JsonStore::open(JsonConfig::new(dir.path()))
        .await
        .expect("reopens clean");
}

/// A store large enough to be loaded by several threads: every session loads, in full, and a
/// damaged one among them is set apart alone.
#[tokio::test]
async fn a_large_store_loads_every_session_and_sets_apart_the_damaged_one() {
    let dir = tempfile::tempdir().expect("tempdir");
    let store = JsonStore::open(JsonConfig::new(dir.path()))
        .await
        .expect("open");
    const COUNT: usize = 2_500;
    for i in 0..COUNT {
        store
            .create_session(NewSession::new(id(&format!("s{i:04}"))).title(format!("t{i}")))
            .await
            .expect("create");
    }
    drop(store);
    let bad = multichat_json::layout::Layout::new(dir.path()).record("s1234");
    std::fs::write(&bad, "{\"format\": 1, oops").expect("damage");
    let store = JsonStore::open(JsonConfig::new(dir.path()))
        .await
        .expect("the store opens");
    let mut listed = 0;
    let mut cursor = None;
    loop {
        let mut query = SessionQuery::new(500);
        query.cursor = cursor;
        let page = store.list_sessions(query).await.expect("list");
        listed += page.items.len();
        cursor = page.next_cursor;
        if cursor.is_none() {
            break;
        }
    }
    assert_eq!(listed, COUNT - 1, "every session but the damaged one");
    let found = store.get_session(&id("s2499")).await.expect("get");
    assert_eq!(found.expect("loaded").title.as_deref(), Some("t2499"));
    assert!(matches!(
        store.get_session(&id("s1234")).await,
        Err(Error::Corrupt { .. })
    ));
}
