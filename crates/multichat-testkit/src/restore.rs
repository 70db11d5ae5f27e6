//! The guarantees of `RestoreStore`, for backends that implement it (import and migration).

use multichat_core::ErrorKind;
use multichat_core::{
    Clock, Limits, ManualClock, Message, MessageQuery, NewMessage, NewSession, RestoreStore,
    Session, SessionId, Timestamp, WholeSession,
};
use serde_json::json;

/// A session as another store would have left it: old times, version 7, seqs with gaps, client
/// keys on two of its three messages (`k2`, `k10`).
pub fn sample(clock: &ManualClock) -> (Session, Vec<Message>) {
    let then = Timestamp(clock.now().0 - 86_400_000);
    let id = SessionId::new("restored/ü").expect("id");
    let mut session = Session::create(
        NewSession::new(id).title("old").participants(["a", "b"]),
        then,
    );
    session.metadata = json!({"k": [1, 2]}).as_object().cloned().expect("object");
    (session.version, session.last_seq, session.message_count) = (7, 10, 3);
    session.updated_at = Timestamp(then.0 + 5000);
    let messages = [2u64, 5, 10]
        .into_iter()
        .map(|seq| {
            let mut new = NewMessage::user(format!("m{seq}")).sender("a");
            new.key = (seq != 5).then(|| format!("k{seq}"));
            Message::from_new(new, seq, Timestamp(then.0 + seq as i64))
        })
        .collect();
    (session, messages)
}

/// Restores a sample session and checks that everything reads back exactly, that appends go on
/// after `last_seq`, and that bad restores are refused.
pub async fn check(store: &dyn RestoreStore, clock: &ManualClock) {
    let (session, messages) = sample(clock);
    let id = session.id.clone();
    let mut provisional = session.clone();
    provisional.version = 0;
    store
        .restore_session(provisional)
        .await
        .expect("restore the provisional record");
    store
        .restore_messages(&id, messages[..2].to_vec())
        .await
        .expect("first page");
    let mut taken = messages[2].clone();
    (taken.seq, taken.key) = (9, Some("k2".into()));
    let refused = store.restore_messages(&id, vec![taken]).await;
    let refused = refused.expect_err("a key an earlier page stored");
    assert_eq!(refused.kind(), ErrorKind::InvalidInput, "{refused}");
    store
        .restore_messages(&id, messages[2..].to_vec())
        .await
        .expect("second page");
    let refused = store.restore_messages(&id, messages[..1].to_vec()).await;
    assert_eq!(
        refused.expect_err("seqs must ascend").kind(),
        ErrorKind::InvalidInput
    );
    refuses_contradictions(store, &session).await;
    store
        .restore_session(session.clone())
        .await
        .expect("the final record");
    assert_eq!(
        store.get_session(&id).await.expect("get"),
        Some(session.clone())
    );
    assert_eq!(
        store.read(&id, MessageQuery::last(10)).await.expect("read"),
        messages
    );
    assert_eq!(
        store
            .append(&id, vec![NewMessage::user("next")], None)
            .await
            .expect("append"),
        [11]
    );
    let retried = NewMessage::user("m2").sender("a").key("k2");
    let retried = store.append(&id, vec![retried], None).await;
    assert_eq!(retried.expect("a retry of a restored message"), [2]);
    let missing = SessionId::new("never").expect("id");
    assert_eq!(
        store
            .restore_messages(&missing, messages)
            .await
            .expect_err("missing")
            .kind(),
        ErrorKind::NotFound
    );
}

/// Records that contradict themselves or pass a ceiling, and messages past `last_seq`, are
/// refused and change nothing (the session `stored` is mid-restore: 3 of its seqs up to 10).
async fn refuses_contradictions(store: &dyn RestoreStore, stored: &Session) {
    let before = store.get_session(&stored.id).await.expect("get");
    let mut past = Message::from_new(NewMessage::user("past"), 11, stored.created_at);
    let refused = store.restore_messages(&stored.id, vec![past.clone()]).await;
    assert_eq!(
        refused.expect_err("seq past last_seq").kind(),
        ErrorKind::InvalidInput
    );
    past.seq = u64::MAX;
    let refused = store.restore_messages(&stored.id, vec![past]).await;
    assert_eq!(
        refused.expect_err("seq u64::MAX").kind(),
        ErrorKind::InvalidInput
    );
    let mut bad = stored.clone();
    bad.message_count = bad.last_seq + 1;
    let mut huge = stored.clone();
    (huge.last_seq, huge.version) = (u64::MAX, u64::MAX);
    let mut deep = stored.clone();
    deep.metadata = crate::cases::bounds::nested(Limits::default().max_metadata_depth + 1);
    let mut expiry = stored.clone();
    expiry.expires_at = Some(Timestamp(1));
    for record in [bad, huge, deep, expiry] {
        let refused = store.restore_session(record).await;
        assert_eq!(
            refused.expect_err("contradiction").kind(),
            ErrorKind::InvalidInput
        );
    }
    assert_eq!(store.get_session(&stored.id).await.expect("get"), before);
}

/// `restore_sessions`: whole sessions written exactly, replacing what their ids held (messages
/// too); a call with a session that contradicts itself, or an id twice, is refused — and, on a
/// store that writes the call in one transaction (`atomic`), writes nothing of it. `existing`
/// reads the records of many ids, in their order.
pub async fn check_whole(store: &dyn RestoreStore, clock: &ManualClock, atomic: bool) {
    let (mut record, messages) = sample(clock);
    record.id = SessionId::new("whole/1").expect("id");
    store
        .create_session(NewSession::new(record.id.clone()))
        .await
        .expect("create");
    let old = vec![NewMessage::user("old"); 4];
    store.append(&record.id, old, None).await.expect("append");
    let mut empty = record.clone();
    empty.id = SessionId::new("whole/2").expect("id");
    (empty.last_seq, empty.message_count, empty.participants) = (0, 0, Vec::new());
    let wholes = vec![
        WholeSession {
            session: record.clone(),
            messages: messages.clone(),
        },
        WholeSession {
            session: empty.clone(),
            messages: Vec::new(),
        },
    ];
    store.restore_sessions(wholes).await.expect("restore");
    for (session, stored) in [(&record, &messages), (&empty, &Vec::new())] {
        let got = store.get_session(&session.id).await.expect("get");
        assert_eq!(got.as_ref(), Some(session), "the record, exactly");
        let read = store.read(&session.id, MessageQuery::last(10)).await;
        assert_eq!(&read.expect("read"), stored, "its messages, and only they");
    }
    let mut fresh = empty.clone();
    fresh.id = SessionId::new("whole/3").expect("id");
    let asked = [
        empty.id.clone(),
        fresh.id.clone(),
        record.id.clone(),
        empty.id.clone(),
    ];
    let found = store.existing(&asked).await.expect("existing");
    let expected = [Some(&empty), None, Some(&record), Some(&empty)];
    assert_eq!(
        found.iter().map(Option::as_ref).collect::<Vec<_>>(),
        expected
    );
    let mut past = record.clone();
    past.id = SessionId::new("whole/4").expect("id");
    past.message_count = 1;
    let beyond = Message::from_new(NewMessage::user("past"), 11, past.created_at);
    let mut miscounted = fresh.clone();
    miscounted.id = SessionId::new("whole/5").expect("id");
    (miscounted.last_seq, miscounted.message_count) = (5, 1);
    let mut twice = fresh.clone();
    twice.id = SessionId::new("whole/6").expect("id");
    (twice.last_seq, twice.message_count) = (2, 2);
    let keyed = |seq| Message::from_new(NewMessage::user("x").key("same"), seq, past.created_at);
    let twice_messages = vec![keyed(1), keyed(2)];
    for refused in [
        vec![(fresh.clone(), Vec::new()), (past, vec![beyond])],
        vec![(fresh.clone(), Vec::new()), (fresh.clone(), Vec::new())],
        vec![(fresh.clone(), Vec::new()), (miscounted, Vec::new())],
        vec![(fresh.clone(), Vec::new()), (twice, twice_messages)],
    ] {
        let refused = refused
            .into_iter()
            .map(|(session, messages)| WholeSession { session, messages });
        let error = store.restore_sessions(refused.collect()).await;
        let error = error.expect_err("a contradiction, an id twice, a wrong count");
        assert_eq!(error.kind(), ErrorKind::InvalidInput, "{error}");
        if atomic {
            let written = store.get_session(&fresh.id).await.expect("get");
            assert_eq!(written, None, "nothing of a refused call is written");
        }
    }
}
