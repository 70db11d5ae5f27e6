//! Client keys outside the store: the batch resolution every Rust-side store uses, and the
//! checks of restored data.

use multichat_core::backend::KeyedBatch;
use multichat_core::{
    Error, ErrorKind, Limits, Message, NewMessage, NewSession, RestoreCheck, Session, SessionId,
    Timestamp,
};

fn sid() -> SessionId {
    SessionId::new("s").expect("id")
}

#[test]
fn a_batch_resolves_held_keys_in_place_and_looks_up_only_keyed_messages() {
    let held = Message::from_new(NewMessage::user("a").key("a"), 3, Timestamp(1));
    let mut asked = Vec::new();
    let batch = vec![
        NewMessage::user("x"),
        NewMessage::user("a").key("a"),
        NewMessage::user("b").key("b"),
    ];
    let keyed = KeyedBatch::resolve(&sid(), batch, |k| {
        asked.push(k.to_owned());
        Ok((k == "a").then(|| held.clone()))
    })
    .expect("resolve");
    assert_eq!(asked, ["a", "b"]);
    assert!(!keyed.is_replay());
    assert_eq!(
        keyed
            .fresh()
            .iter()
            .map(|m| m.content.as_str())
            .collect::<Vec<_>>(),
        ["x", "b"]
    );
    assert_eq!(keyed.seqs(10), [10, 3, 11]);
}

#[test]
fn a_held_key_of_other_content_is_a_key_conflict() {
    let held = Message::from_new(NewMessage::user("a").key("a"), 3, Timestamp(1));
    let batch = vec![NewMessage::assistant("a").key("a")];
    match KeyedBatch::resolve(&sid(), batch, |_| Ok(Some(held.clone()))) {
        Err(e @ Error::KeyConflict { seq: 3, .. }) => assert_eq!(e.kind(), ErrorKind::Conflict),
        other => panic!("expected a key conflict, got {other:?}"),
    }
}

#[test]
fn a_replay_changes_nothing_and_skips_the_compare() {
    let mut session = Session::create(NewSession::new(sid()), Timestamp(1));
    let held = Message::from_new(NewMessage::user("a").key("a"), 1, Timestamp(1));
    let (stored, _) = session
        .append_keyed(
            KeyedBatch::resolve(&sid(), vec![NewMessage::user("a").key("a")], |_| Ok(None))
                .expect("resolve"),
            None,
            Timestamp(2),
        )
        .expect("append");
    let after_first = session.clone();
    let replay = KeyedBatch::resolve(&sid(), vec![NewMessage::user("a").key("a")], |_| {
        Ok(Some(held.clone()))
    })
    .expect("resolve");
    let (none, seqs) = session
        .append_keyed(replay, Some(0), Timestamp(9))
        .expect("replay");
    assert_eq!((stored.len(), none.len(), seqs), (1, 0, vec![1]));
    assert_eq!(session, after_first);
}

#[test]
fn restored_data_holding_a_key_twice_is_refused() {
    let mut session = Session::create(NewSession::new(sid()), Timestamp(1));
    (session.last_seq, session.message_count) = (3, 3);
    let at = |seq, key: &str| Message::from_new(NewMessage::user("m").key(key), seq, Timestamp(1));
    let mut check = RestoreCheck::begin(Limits::default(), &session).expect("record");
    check.message(&sid(), &at(1, "a")).expect("first");
    check.message(&sid(), &at(2, "b")).expect("second");
    let again = check.message(&sid(), &at(3, "a"));
    assert_eq!(
        again.expect_err("a repeated key").kind(),
        ErrorKind::InvalidInput
    );
    let batch = [at(1, "a"), at(2, "a")];
    let refused = Limits::default().check_restored(&batch, 0, 3);
    assert_eq!(
        refused.expect_err("in one batch").kind(),
        ErrorKind::InvalidInput
    );
}
