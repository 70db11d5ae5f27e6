//! Guarantees about appending, popping and clearing messages.

use multichat_core::ErrorKind;
use std::time::Duration;

use multichat_core::{Clock, ConflictKind, Error, MessageQuery, NewMessage, Role, SessionPatch};
use serde_json::json;

use super::{append_texts, create, err_kind, seqs, session, sid};
use crate::Fixture;

/// Seqs start at 1 and increase by one per message across batches; counters follow.
pub async fn append_numbers_from_one(fx: &Fixture) {
    let id = create(fx, "n").await.id;
    assert_eq!(append_texts(fx, &id, "a", 2).await, [1, 2]);
    let batch = vec![
        NewMessage::user("x"),
        NewMessage::assistant("y"),
        NewMessage::tool("z"),
    ];
    assert_eq!(
        fx.store.append(&id, batch, None).await.expect("batch"),
        [3, 4, 5]
    );
    let s = session(fx, &id).await;
    assert_eq!((s.last_seq, s.message_count, s.version), (5, 5, 4));
    let read = fx
        .store
        .read(&id, MessageQuery::last(10))
        .await
        .expect("read");
    assert_eq!(seqs(&read), [1, 2, 3, 4, 5]);
}

/// Every field of a message round-trips: roles (custom too), sender, unicode, metadata, time.
pub async fn message_round_trip(fx: &Fixture) {
    let id = create(fx, "rt").await.id;
    fx.clock.advance(Duration::from_millis(42));
    let meta = json!({"tool_calls": [{"name": "search", "args": {"q": "ß"}}], "tokens": 17});
    let batch = vec![
        NewMessage::system("Be brief."),
        NewMessage::user("Grüße 👋\nline two\t\"quoted\"").sender("alice"),
        NewMessage::new("critic", "hmm")
            .sender("agent-2")
            .metadata(meta.as_object().cloned().expect("obj")),
    ];
    fx.store
        .append(&id, batch.clone(), None)
        .await
        .expect("append");
    let read = fx
        .store
        .read(&id, MessageQuery::last(3))
        .await
        .expect("read");
    for (i, (got, want)) in read.iter().zip(&batch).enumerate() {
        assert_eq!(got.seq, i as u64 + 1);
        assert_eq!(
            (&got.role, &got.sender, &got.content, &got.metadata),
            (&want.role, &want.sender, &want.content, &want.metadata)
        );
        assert_eq!(got.created_at, fx.clock.now());
    }
    assert_eq!(read[2].role, Role::Other("critic".into()));
    assert_eq!(session(fx, &id).await.updated_at, fx.clock.now());
}

/// A batch with one invalid message stores nothing and changes no counter.
pub async fn batch_is_all_or_nothing(fx: &Fixture) {
    let id = create(fx, "atomic").await.id;
    append_texts(fx, &id, "ok", 1).await;
    let before = session(fx, &id).await;
    let huge = "x".repeat(multichat_core::Limits::default().max_content_bytes + 1);
    let batch = vec![
        NewMessage::user("fine"),
        NewMessage::user(huge),
        NewMessage::user("fine too"),
    ];
    assert_eq!(
        err_kind(fx.store.append(&id, batch, None).await),
        ErrorKind::InvalidInput
    );
    assert_eq!(session(fx, &id).await, before);
    assert_eq!(
        seqs(
            &fx.store
                .read(&id, MessageQuery::last(10))
                .await
                .expect("read")
        ),
        [1]
    );
    assert_eq!(append_texts(fx, &id, "next", 1).await, [2]);
}

/// A compare-and-append with a stale `last_seq` is `Conflict` and stores nothing.
pub async fn stale_last_seq_conflicts(fx: &Fixture) {
    let id = create(fx, "cas").await.id;
    let first = fx
        .store
        .append(&id, vec![NewMessage::user("a")], Some(0))
        .await;
    assert_eq!(first.expect("expected 0 on a new session"), [1]);
    match fx
        .store
        .append(&id, vec![NewMessage::user("b")], Some(0))
        .await
    {
        Err(Error::Conflict {
            kind,
            expected,
            actual,
            ..
        }) => {
            assert_eq!((kind, expected, actual), (ConflictKind::LastSeq, 0, 1));
        }
        other => panic!("expected a last_seq conflict, got {other:?}"),
    }
    assert_eq!(session(fx, &id).await.message_count, 1);
    assert_eq!(
        fx.store
            .append(&id, vec![NewMessage::user("c")], Some(1))
            .await
            .expect("cas"),
        [2]
    );
}

/// Appending to a session that does not exist is `NotFound` and creates nothing.
pub async fn append_to_missing_is_not_found(fx: &Fixture) {
    let result = fx
        .store
        .append(&sid("ghost"), vec![NewMessage::user("boo")], None)
        .await;
    assert_eq!(err_kind(result), ErrorKind::NotFound);
    assert!(
        fx.store
            .get_session(&sid("ghost"))
            .await
            .expect("get")
            .is_none()
    );
}

/// Pop returns the last message; clear returns the count; a seq is never reused after either.
pub async fn pop_and_clear_never_reuse_seq(fx: &Fixture) {
    let id = create(fx, "pc").await.id;
    append_texts(fx, &id, "m", 3).await;
    let popped = fx.store.pop(&id).await.expect("pop").expect("a message");
    assert_eq!((popped.seq, popped.content.as_str()), (3, "m2"));
    assert_eq!(append_texts(fx, &id, "after-pop", 1).await, [4]);
    assert_eq!(
        seqs(
            &fx.store
                .read(&id, MessageQuery::last(10))
                .await
                .expect("read")
        ),
        [1, 2, 4]
    );
    assert_eq!(fx.store.clear(&id).await.expect("clear"), 3);
    let s = session(fx, &id).await;
    assert_eq!((s.last_seq, s.message_count), (4, 0));
    assert!(
        fx.store
            .read(&id, MessageQuery::last(10))
            .await
            .expect("read")
            .is_empty()
    );
    assert_eq!(append_texts(fx, &id, "after-clear", 1).await, [5]);
}

/// Popping or clearing an empty session returns nothing and is not a write.
pub async fn removing_nothing_is_not_a_write(fx: &Fixture) {
    let before = create(fx, "empty").await;
    fx.clock.advance(Duration::from_millis(5));
    assert!(fx.store.pop(&before.id).await.expect("pop").is_none());
    assert_eq!(fx.store.clear(&before.id).await.expect("clear"), 0);
    assert_eq!(session(fx, &before.id).await, before);
}

/// `version` counts every change: create 1, then each append batch, pop, clear and update.
pub async fn version_counts_every_change(fx: &Fixture) {
    let id = create(fx, "ver").await.id;
    fx.store
        .append(
            &id,
            vec![NewMessage::user("a"), NewMessage::user("b")],
            None,
        )
        .await
        .expect("append");
    assert_eq!(session(fx, &id).await.version, 2);
    fx.store.pop(&id).await.expect("pop");
    assert_eq!(session(fx, &id).await.version, 3);
    fx.store.clear(&id).await.expect("clear");
    assert_eq!(session(fx, &id).await.version, 4);
    let updated = fx
        .store
        .update_session(&id, SessionPatch::new().expect_version(4))
        .await;
    assert_eq!(updated.expect("update").version, 5);
}
