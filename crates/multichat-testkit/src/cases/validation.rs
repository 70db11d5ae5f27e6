//! Guarantees about invalid input: a typed `InvalidInput` naming the field, and nothing changed.

use multichat_core::{
    Error, Limits, MessageQuery, Metadata, NewMessage, NewSession, Role, SessionId, SessionPatch,
    SessionQuery,
};
use serde_json::Value;

use super::{append_texts, create, session, sid};
use crate::Fixture;

fn field_of<T: std::fmt::Debug>(result: multichat_core::Result<T>) -> String {
    match result {
        Err(Error::InvalidInput { field, .. }) => field.into_owned(),
        other => panic!("expected InvalidInput, got {other:?}"),
    }
}

fn big_metadata() -> Metadata {
    let mut m = Metadata::new();
    m.insert(
        "blob".into(),
        Value::String("x".repeat(Limits::default().max_metadata_bytes)),
    );
    m
}

/// Invalid sessions and patches are refused with the field named; nothing is created or changed.
pub async fn invalid_session_input_changes_nothing(fx: &Fixture) {
    let limits = Limits::default();
    let long_title = NewSession::new(sid("t")).title("x".repeat(limits.max_title_bytes + 1));
    assert_eq!(field_of(fx.store.create_session(long_title).await), "title");
    let dup = NewSession::new(sid("t")).participants(["a", "a"]);
    assert_eq!(field_of(fx.store.create_session(dup).await), "participants");
    let ctrl = NewSession::new(sid("t")).participant("bad\u{7}");
    assert_eq!(field_of(fx.store.create_session(ctrl).await), "participant");
    let meta = NewSession::new(sid("t")).metadata(big_metadata());
    assert_eq!(field_of(fx.store.create_session(meta).await), "metadata");
    assert!(
        fx.store
            .get_session(&sid("t"))
            .await
            .expect("get")
            .is_none()
    );
    let before = create(fx, "t").await;
    let patch = SessionPatch::new().participants(vec![String::new()]);
    assert_eq!(
        field_of(fx.store.update_session(&before.id, patch).await),
        "participant"
    );
    let patch = SessionPatch::new().metadata(big_metadata());
    assert_eq!(
        field_of(fx.store.update_session(&before.id, patch).await),
        "metadata"
    );
    assert_eq!(session(fx, &before.id).await, before);
}

/// Invalid messages and batches are refused with the field named; nothing is stored.
pub async fn invalid_message_input_changes_nothing(fx: &Fixture) {
    let limits = Limits::default();
    let id = create(fx, "m").await.id;
    append_texts(fx, &id, "ok", 1).await;
    let before = session(fx, &id).await;
    let append = |batch: Vec<NewMessage>| fx.store.append(&id, batch, None);
    assert_eq!(field_of(append(vec![]).await), "messages");
    assert_eq!(
        field_of(append(vec![NewMessage::user("x"); limits.max_batch + 1]).await),
        "messages"
    );
    let huge = NewMessage::user("y".repeat(limits.max_content_bytes + 1));
    assert_eq!(
        field_of(append(vec![NewMessage::user("a"), huge]).await),
        "messages[1].content"
    );
    let sender = NewMessage::user("a").sender("line\nbreak");
    assert_eq!(field_of(append(vec![sender]).await), "messages[0].sender");
    let role = NewMessage::new(Role::Other(String::new()), "a");
    assert_eq!(field_of(append(vec![role]).await), "messages[0].role");
    for name in ["user", "User", "TOOL"] {
        let builtin = NewMessage::new(Role::Other(name.into()), "a");
        assert_eq!(
            field_of(append(vec![builtin]).await),
            "messages[0].role",
            "{name}"
        );
    }
    let meta = NewMessage::user("a").metadata(big_metadata());
    assert_eq!(field_of(append(vec![meta]).await), "messages[0].metadata");
    assert_eq!(session(fx, &id).await, before);
    assert_eq!(
        fx.store
            .read(&id, MessageQuery::last(10))
            .await
            .expect("read")
            .len(),
        1
    );
}

/// Reads and listings beyond the page limit, a zero page and a forged cursor are refused.
pub async fn invalid_query_input(fx: &Fixture) {
    let max = Limits::default().max_page;
    let id = create(fx, "q").await.id;
    assert_eq!(
        field_of(fx.store.read(&id, MessageQuery::last(max + 1)).await),
        "limit"
    );
    assert_eq!(
        field_of(fx.store.read(&id, MessageQuery::after(0, max + 1)).await),
        "limit"
    );
    assert_eq!(
        field_of(fx.store.list_sessions(SessionQuery::new(0)).await),
        "limit"
    );
    assert_eq!(
        field_of(fx.store.list_sessions(SessionQuery::new(max + 1)).await),
        "limit"
    );
    let forged = SessionQuery::new(10).cursor(Some("not a cursor".into()));
    assert_eq!(field_of(fx.store.list_sessions(forged).await), "cursor");
    let bad_participant = SessionQuery::new(10).participant("");
    assert_eq!(
        field_of(fx.store.list_sessions(bad_participant).await),
        "participant"
    );
}

/// Session ids are 1 to 256 bytes of UTF-8 without control characters; a bad id is refused when
/// it is built, and also when it arrives through deserialization.
pub async fn session_id_rules(fx: &Fixture) {
    for bad in [
        String::new(),
        "x".repeat(257),
        "nul\0".into(),
        "tab\t".into(),
        "del\u{7f}".into(),
    ] {
        assert_eq!(
            field_of(SessionId::new(bad.clone())),
            "session id",
            "{bad:?}"
        );
        assert!(serde_json::from_value::<SessionId>(Value::String(bad)).is_err());
    }
    let max = SessionId::new("x".repeat(256)).expect("256 bytes is valid");
    fx.store
        .create_session(NewSession::new(max.clone()))
        .await
        .expect("create");
    assert_eq!(session(fx, &max).await.id, max);
}
