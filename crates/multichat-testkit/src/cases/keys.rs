//! Guarantees about retry-safe appends: messages with a client key (`NewMessage::key`).

use std::time::Duration;

use multichat_core::{Error, ErrorKind, MessageQuery, NewMessage, Role};
use serde_json::json;

use super::{create, err_kind, seqs, session, sid};
use crate::Fixture;

/// A batch appended again with the same keys and content stores nothing, changes nothing and
/// returns the seqs it got the first time, even with the expected `last_seq` of the first try.
pub async fn keyed_retry_stores_nothing(fx: &Fixture) {
    let id = create(fx, "k").await.id;
    let meta = json!({"tokens": 3}).as_object().cloned().expect("object");
    let batch = vec![
        NewMessage::user("hi").sender("ana").key("turn-1/a"),
        NewMessage::assistant("hello")
            .metadata(meta)
            .key("turn-1/b"),
    ];
    let first = fx.store.append(&id, batch.clone(), Some(0)).await;
    assert_eq!(first.expect("first try"), [1, 2]);
    let before = session(fx, &id).await;
    fx.clock.advance(Duration::from_millis(5));
    let retry = fx.store.append(&id, batch.clone(), Some(0)).await;
    assert_eq!(retry.expect("a retry after a lost reply"), [1, 2]);
    assert_eq!(session(fx, &id).await, before, "a retry changes nothing");
    let read = fx.store.read(&id, MessageQuery::last(10)).await;
    let read = read.expect("read");
    assert_eq!(seqs(&read), [1, 2]);
    let keys: Vec<_> = read.iter().map(|m| m.key.as_deref()).collect();
    assert_eq!(keys, [Some("turn-1/a"), Some("turn-1/b")]);
    assert!(batch[1].same_content(&read[1]), "{:?}", read[1]);
}

/// Keyed and unkeyed messages mix: a batch with a held key and new messages appends the new ones
/// (checked against the expected `last_seq` like any append) and returns the held seq in place.
pub async fn keyed_batch_appends_only_what_is_new(fx: &Fixture) {
    let id = create(fx, "mix").await.id;
    let held = NewMessage::user("one").key("a");
    assert_eq!(
        fx.store.append(&id, vec![held.clone()], None).await.ok(),
        Some(vec![1])
    );
    let batch = vec![
        NewMessage::user("two"),
        held,
        NewMessage::user("three").key("b"),
    ];
    let stale = fx.store.append(&id, batch.clone(), Some(0)).await;
    assert_eq!(
        err_kind(stale),
        ErrorKind::Conflict,
        "new messages obey the compare"
    );
    let seqs_got = fx.store.append(&id, batch, Some(1)).await.expect("append");
    assert_eq!(seqs_got, [2, 1, 3]);
    let s = session(fx, &id).await;
    assert_eq!((s.last_seq, s.message_count), (3, 3));
    let read = fx
        .store
        .read(&id, MessageQuery::last(10))
        .await
        .expect("read");
    let contents: Vec<_> = read.iter().map(|m| m.content.as_str()).collect();
    assert_eq!(contents, ["one", "two", "three"]);
}

/// A key held by a message of other content (role, sender, content or metadata) is a
/// `KeyConflict` naming the seq that holds it, and the whole batch stores nothing.
pub async fn key_with_other_content_conflicts(fx: &Fixture) {
    let id = create(fx, "kc").await.id;
    let held = NewMessage::user("one").sender("ana").key("a");
    fx.store
        .append(&id, vec![held.clone()], None)
        .await
        .expect("append");
    let before = session(fx, &id).await;
    let meta = json!({"x": 1}).as_object().cloned().expect("object");
    let others = [
        NewMessage::user("other").sender("ana").key("a"),
        NewMessage::assistant("one").sender("ana").key("a"),
        NewMessage::user("one").key("a"),
        held.clone().metadata(meta),
        NewMessage::new(Role::Other("critic".into()), "one")
            .sender("ana")
            .key("a"),
    ];
    for other in others {
        let batch = vec![NewMessage::user("fresh"), other.clone()];
        match fx.store.append(&id, batch, None).await {
            Err(Error::KeyConflict { key, seq, .. }) => assert_eq!((key.as_str(), seq), ("a", 1)),
            wrong => panic!("{other:?}: expected a key conflict, got {wrong:?}"),
        }
    }
    assert_eq!(session(fx, &id).await, before, "nothing stored");
}

/// Keys are checked (1 to 128 bytes, no control characters, once per batch) before anything is
/// stored.
pub async fn invalid_keys_change_nothing(fx: &Fixture) {
    let id = create(fx, "ki").await.id;
    let bad = [
        vec![NewMessage::user("a").key("")],
        vec![NewMessage::user("a").key("k".repeat(129))],
        vec![NewMessage::user("a").key("tab\there")],
        vec![
            NewMessage::user("a").key("same"),
            NewMessage::user("b").key("same"),
        ],
    ];
    for batch in bad {
        let result = fx.store.append(&id, batch.clone(), None).await;
        assert_eq!(err_kind(result), ErrorKind::InvalidInput, "{batch:?}");
    }
    assert_eq!(session(fx, &id).await.last_seq, 0);
    let longest = NewMessage::user("a").key("é".repeat(64));
    assert_eq!(
        fx.store.append(&id, vec![longest], None).await.ok(),
        Some(vec![1])
    );
}

/// A key belongs to its session, and a message removed by pop or clear frees its key.
pub async fn keys_are_per_session_and_freed_by_removal(fx: &Fixture) {
    let (a, b) = (create(fx, "ka").await.id, create(fx, "kb").await.id);
    let m = NewMessage::user("x").key("k");
    assert_eq!(
        fx.store.append(&a, vec![m.clone()], None).await.ok(),
        Some(vec![1])
    );
    assert_eq!(
        fx.store.append(&b, vec![m.clone()], None).await.ok(),
        Some(vec![1])
    );
    let popped = fx.store.pop(&a).await.expect("pop").expect("a message");
    assert_eq!(popped.key.as_deref(), Some("k"));
    let other = NewMessage::user("y").key("k");
    assert_eq!(
        fx.store.append(&a, vec![other.clone()], None).await.ok(),
        Some(vec![2])
    );
    assert_eq!(fx.store.clear(&b).await.ok(), Some(1));
    assert_eq!(
        fx.store.append(&b, vec![other], None).await.ok(),
        Some(vec![2])
    );
    fx.store.delete_session(&a).await.expect("delete");
    create(fx, "ka").await;
    assert_eq!(
        fx.store.append(&sid("ka"), vec![m], None).await.ok(),
        Some(vec![1])
    );
}

/// Concurrent appends of the same keyed message (a client retrying while its first try is still
/// under way) store it once, and every one of them gets its seq.
pub async fn concurrent_retries_store_once(fx: &Fixture) {
    let id = create(fx, "kr").await.id;
    let mut tasks = tokio::task::JoinSet::new();
    for _ in 0..8 {
        let (store, id) = (fx.store.clone(), id.clone());
        let batch = vec![
            NewMessage::user("once").key("k"),
            NewMessage::user("too").key("k2"),
        ];
        tasks.spawn(async move { store.append(&id, batch, None).await });
    }
    while let Some(done) = tasks.join_next().await {
        assert_eq!(done.expect("task").expect("append"), [1, 2]);
    }
    let s = session(fx, &id).await;
    assert_eq!(
        (s.last_seq, s.message_count, s.version),
        (2, 2, 2),
        "stored once"
    );
}
