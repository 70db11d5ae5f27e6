//! Every case of the core transition table (`multichat_core::backend::transition_cases`) run
//! through a store's public API: a store that decides on its server (the Redis scripts) must
//! agree with the reference case by case.

use multichat_core::backend::{TransitionCase, TransitionOp, transition_cases};
use multichat_core::{
    Clock, ErrorKind, ManualClock, MessageQuery, RestoreStore, SessionId, SessionPatch,
    SystemClock, Timestamp,
};

/// Restores each case's state as a session of its own, makes the case's write at its time on
/// `clock`, and checks what the call returned, the stored record and the stored seqs. Panics
/// naming the first case that differs. `clock` is set back to its time at the call when done.
pub async fn check(store: &dyn RestoreStore, clock: &ManualClock) {
    let start = clock.now();
    for (i, case) in transition_cases().iter().enumerate() {
        let id = SessionId::new(format!("transition/{i}")).expect("id");
        // Redis expires keys by the real clock: each case starts at the current time.
        let base = SystemClock.now();
        clock.set(base);
        let before = case.session(id.clone(), base);
        store
            .restore_session(before.clone())
            .await
            .expect("restore the state");
        store
            .restore_messages(&id, case.messages(base))
            .await
            .expect("restore the messages");
        clock.set(Timestamp(base.0 + case.now));
        let got = write(store, &id, case).await;
        match &case.want {
            Ok(after) => assert_eq!(got.as_ref().ok(), Some(&after.returned), "{}", case.name),
            Err(kind) => assert_eq!(got.err(), Some(*kind), "{}", case.name),
        }
        check_state(store, &id, case, base).await;
    }
    clock.set(start);
}

/// The case's write through the store's API, and what it returned.
async fn write(
    store: &dyn RestoreStore,
    id: &SessionId,
    case: &TransitionCase,
) -> Result<Vec<u64>, ErrorKind> {
    let result = match case.op {
        TransitionOp::Append {
            count,
            expected_last_seq,
        } => {
            let batch = (0..count)
                .map(|i| multichat_core::NewMessage::user(format!("new {i}")))
                .collect();
            store.append(id, batch, expected_last_seq).await
        }
        TransitionOp::Pop => store
            .pop(id)
            .await
            .map(|m| m.into_iter().map(|m| m.seq).collect()),
        TransitionOp::Clear => store.clear(id).await.map(|n| vec![n]),
        TransitionOp::Retitle { expected_version } => {
            let mut patch = SessionPatch::new().title(Some("retitled".to_owned()));
            patch.expected_version = expected_version;
            store.update_session(id, patch).await.map(|_| Vec::new())
        }
    };
    result.map_err(|e| e.kind())
}

/// The stored record and seqs after the case (none when the session has expired).
async fn check_state(
    store: &dyn RestoreStore,
    id: &SessionId,
    case: &TransitionCase,
    base: Timestamp,
) {
    let stored = store.get_session(id).await.expect("get");
    if case.want == Err(ErrorKind::NotFound) {
        assert_eq!(
            stored, None,
            "{}: an expired session reads as absent",
            case.name
        );
        return;
    }
    let before = case.session(id.clone(), base);
    assert_eq!(stored, Some(case.expected(&before, base)), "{}", case.name);
    let seqs: Vec<u64> = store
        .read(id, MessageQuery::last(100))
        .await
        .expect("read")
        .iter()
        .map(|m| m.seq)
        .collect();
    let want = case.want.as_ref().map_or(&case.before.seqs, |a| &a.seqs);
    assert_eq!(&seqs, want, "{}: stored seqs", case.name);
}
