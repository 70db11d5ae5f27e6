//! Guarantees about creating, reading and deleting sessions.

use multichat_core::ErrorKind;
use std::time::Duration;

use multichat_core::{Clock, Expiry, Limits, MessageQuery, NewMessage, NewSession, SessionId};
use serde_json::json;

use super::{append_texts, create, err_kind, seqs, session, sid};
use crate::Fixture;

/// Every field of a session round-trips exactly; the store fills in times, version and counters.
pub async fn round_trip_all_fields(fx: &Fixture) {
    let now = fx.clock.now();
    let metadata = json!({"tier": "gold", "nested": {"n": [1, 2.5, null, true]}, "émoji": "🦀"});
    let new = NewSession::new(sid("full"))
        .title("Ünïcödé title — 漢字 🚀")
        .participants(["alice", "agent-7", "Bob"])
        .metadata(metadata.as_object().cloned().expect("object"))
        .expiry(Expiry::idle(Duration::from_secs(3600)));
    let created = fx.store.create_session(new.clone()).await.expect("create");
    assert_eq!(created.id, new.id);
    assert_eq!(created.title, new.title);
    assert_eq!(created.participants, new.participants);
    assert_eq!(created.metadata, new.metadata);
    assert_eq!(created.expiry, new.expiry);
    assert_eq!((created.created_at, created.updated_at), (now, now));
    assert_eq!(
        created.expires_at,
        Some(now.plus(Duration::from_secs(3600)))
    );
    assert_eq!(
        (created.version, created.last_seq, created.message_count),
        (1, 0, 0)
    );
    assert_eq!(session(fx, &new.id).await, created);
}

/// Empty values and values at the default limits round-trip.
pub async fn round_trip_empty_and_maximal(fx: &Fixture) {
    let limits = Limits::default();
    let empty = fx
        .store
        .create_session(NewSession::new(sid("empty")).title(""))
        .await
        .expect("create");
    assert_eq!(empty.title.as_deref(), Some(""));
    assert!(empty.participants.is_empty());
    assert!(empty.metadata.is_empty());
    assert_eq!(session(fx, &empty.id).await, empty);
    let big = NewSession::new(sid("big")).title("t".repeat(limits.max_title_bytes));
    let big = fx.store.create_session(big).await.expect("create maximal");
    assert_eq!(
        session(fx, &big.id).await.title.map(|t| t.len()),
        Some(limits.max_title_bytes)
    );
    let content = "é".repeat(limits.max_content_bytes / 2);
    fx.store
        .append(
            &big.id,
            vec![NewMessage::user(content.clone()), NewMessage::user("")],
            None,
        )
        .await
        .expect("append");
    let read = fx
        .store
        .read(&big.id, MessageQuery::last(2))
        .await
        .expect("read");
    assert_eq!(read[0].content, content);
    assert_eq!(read[1].content, "");
}

/// Creating an id that exists fails with `AlreadyExists` and leaves the session unchanged.
pub async fn duplicate_create_fails(fx: &Fixture) {
    let first = fx
        .store
        .create_session(NewSession::new(sid("dup")).title("first"))
        .await
        .expect("create");
    append_texts(fx, &first.id, "m", 2).await;
    let again = fx
        .store
        .create_session(NewSession::new(sid("dup")).title("second"))
        .await;
    assert_eq!(err_kind(again), ErrorKind::AlreadyExists);
    let stored = session(fx, &first.id).await;
    assert_eq!(stored.title.as_deref(), Some("first"));
    assert_eq!(stored.message_count, 2);
}

/// Getting an id that was never created gives `None`, not an error.
pub async fn get_missing_is_none(fx: &Fixture) {
    assert!(
        fx.store
            .get_session(&sid("never"))
            .await
            .expect("get")
            .is_none()
    );
    create(fx, "other").await;
    assert!(
        fx.store
            .get_session(&sid("never"))
            .await
            .expect("get")
            .is_none()
    );
}

/// Ids with spaces, slashes, dots, unicode, case variants and 256 bytes are distinct sessions that
/// round-trip with their messages.
pub async fn unusual_ids_round_trip(fx: &Fixture) {
    let long = "é".repeat(128);
    let names = [
        "with space",
        "a/b/c",
        "..",
        "../escape",
        "/abs",
        "\\back",
        "Case",
        "case",
        "CASE",
        "日本語 🦀",
        "%2e%2e",
        "con",
        "a:b*c?d\"e<f>g|h",
        &long,
    ];
    for (i, name) in names.iter().enumerate() {
        let id = SessionId::new(*name).expect("valid id");
        fx.store
            .create_session(NewSession::new(id.clone()).title(*name))
            .await
            .expect("create");
        append_texts(fx, &id, name, i + 1).await;
    }
    for (i, name) in names.iter().enumerate() {
        let id = SessionId::new(*name).expect("valid id");
        let stored = session(fx, &id).await;
        assert_eq!(
            (stored.id.as_str(), stored.title.as_deref()),
            (*name, Some(*name))
        );
        let read = fx
            .store
            .read(&id, MessageQuery::last(100))
            .await
            .expect("read");
        assert_eq!(read.len(), i + 1, "messages of {name:?}");
        assert_eq!(read[0].content, format!("{name}0"));
    }
}

/// Delete removes the session and its messages, reports whether it existed, and a re-created
/// session starts from seq 1 with no old messages.
pub async fn delete_removes_messages_and_is_idempotent(fx: &Fixture) {
    let id = create(fx, "gone").await.id;
    append_texts(fx, &id, "old", 3).await;
    assert!(fx.store.delete_session(&id).await.expect("delete"));
    assert!(fx.store.get_session(&id).await.expect("get").is_none());
    assert_eq!(
        err_kind(fx.store.read(&id, MessageQuery::last(10)).await),
        ErrorKind::NotFound
    );
    assert!(!fx.store.delete_session(&id).await.expect("second delete"));
    create(fx, "gone").await;
    assert!(
        fx.store
            .read(&id, MessageQuery::last(10))
            .await
            .expect("read")
            .is_empty()
    );
    assert_eq!(append_texts(fx, &id, "new", 1).await, [1]);
    let read = fx
        .store
        .read(&id, MessageQuery::last(10))
        .await
        .expect("read");
    assert_eq!((seqs(&read), read[0].content.as_str()), (vec![1], "new0"));
}
