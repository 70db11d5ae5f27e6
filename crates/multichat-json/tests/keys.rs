//! Client keys in the JSON store: held in the log, so a retry after the store was closed and
//! opened again still finds them; the in-memory index is rebuilt after a pop cut the log.

use multichat_core::SessionStore;
use multichat_core::{Error, MessageQuery, MessageStore, NewMessage, NewSession, SessionId};
use multichat_json::{JsonConfig, JsonStore};

async fn open(dir: &std::path::Path) -> JsonStore {
    JsonStore::open(JsonConfig::new(dir)).await.expect("open")
}

#[tokio::test]
async fn a_retry_after_reopening_finds_the_key_in_the_log() {
    let dir = tempfile::tempdir().expect("tempdir");
    let id = SessionId::new("s").expect("id");
    let first = open(dir.path()).await;
    first
        .create_session(NewSession::new(id.clone()))
        .await
        .expect("create");
    // A metadata field named "key" and a content quoting one are not client keys.
    let meta = serde_json::json!({"key": "meta"})
        .as_object()
        .cloned()
        .expect("object");
    let noise = vec![
        NewMessage::user(r#"{"key":"k"}"#).metadata(meta),
        NewMessage::user("x"),
    ];
    first.append(&id, noise, None).await.expect("append");
    let keyed = NewMessage::assistant("reply").key("k");
    assert_eq!(
        first.append(&id, vec![keyed.clone()], None).await.ok(),
        Some(vec![3])
    );
    drop(first);
    let second = open(dir.path()).await;
    assert_eq!(
        second.append(&id, vec![keyed.clone()], None).await.ok(),
        Some(vec![3])
    );
    let other = second
        .append(&id, vec![NewMessage::user("other").key("k")], None)
        .await;
    assert!(
        matches!(other, Err(Error::KeyConflict { seq: 3, .. })),
        "{other:?}"
    );
    second
        .append(&id, vec![NewMessage::user("after")], None)
        .await
        .expect("append");
    let popped = second.pop(&id).await.expect("pop").expect("a message");
    assert_eq!(popped.content, "after");
    assert_eq!(
        second.append(&id, vec![keyed], None).await.ok(),
        Some(vec![3])
    );
    second.pop(&id).await.expect("pop");
    let freed = second
        .append(&id, vec![NewMessage::user("other").key("k")], None)
        .await;
    assert_eq!(
        freed.ok(),
        Some(vec![5]),
        "the popped message's key is free"
    );
    let read = second
        .read(&id, MessageQuery::last(10))
        .await
        .expect("read");
    let keys: Vec<_> = read.iter().map(|m| m.key.as_deref()).collect();
    assert_eq!(keys, [None, None, Some("k")]);
}
