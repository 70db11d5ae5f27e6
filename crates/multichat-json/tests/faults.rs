//! Fault injection through the file-system seam: for every mutating file operation of a scripted
//! workload, fail it (or cut its write short), then check that the store — as is, and reopened —
//! shows exactly the acknowledged state or that state plus the failed operation, nothing torn,
//! and that appends continue.

use std::sync::Arc;
use std::sync::atomic::Ordering;

use multichat_core::{
    MessageQuery, MessageStore, NewMessage, NewSession, SessionId, SessionPatch, SessionStore,
};
use multichat_json::{JsonConfig, JsonStore};

mod fault_fs;
use fault_fs::{Fault, FaultFs};

/// The visible state: title and `(seq, content)` of every message.
type State = (Option<String>, Vec<(u64, String)>);

/// Runs the workload until an operation fails; returns the acknowledged state and the state
/// had the failed operation succeeded (equal when nothing failed), and the next seq.
async fn workload(store: &JsonStore, id: &SessionId) -> (State, State) {
    let mut model: State = (None, Vec::new());
    let mut last_seq = 0;
    for step in 0..10 {
        let (next, seq_after) = expected(&model, last_seq, step);
        if run_step(store, id, step).await.is_err() {
            return (model, next);
        }
        (model, last_seq) = (next, seq_after);
    }
    (model.clone(), model)
}

async fn run_step(store: &JsonStore, id: &SessionId, step: usize) -> multichat_core::Result<()> {
    let texts = |p: &str, n: usize| {
        (0..n)
            .map(|i| NewMessage::user(format!("{p}{i}")))
            .collect::<Vec<_>>()
    };
    match step {
        0 => store
            .create_session(NewSession::new(id.clone()))
            .await
            .map(drop),
        1 | 4 | 8 => store
            .append(id, texts(&format!("s{step}-"), 1), None)
            .await
            .map(drop),
        2 | 6 => store
            .append(id, texts(&format!("s{step}-"), 3), None)
            .await
            .map(drop),
        3 => store
            .update_session(id, SessionPatch::new().title(Some("t".into())))
            .await
            .map(drop),
        5 | 9 => store.pop(id).await.map(drop),
        _ => store.clear(id).await.map(drop),
    }
}

/// The state after `step` succeeds, and the last seq then.
fn expected((title, messages): &State, last_seq: u64, step: usize) -> (State, u64) {
    let (mut title, mut messages) = (title.clone(), messages.clone());
    let add = |n: u64| {
        (1..=n)
            .map(|i| (last_seq + i, format!("s{step}-{}", i - 1)))
            .collect::<Vec<_>>()
    };
    let last_seq = match step {
        1 | 4 | 8 => {
            messages.extend(add(1));
            last_seq + 1
        }
        2 | 6 => {
            messages.extend(add(3));
            last_seq + 3
        }
        3 => {
            title = Some("t".into());
            last_seq
        }
        5 | 9 => {
            messages.pop();
            last_seq
        }
        7 => {
            messages.clear();
            last_seq
        }
        _ => last_seq,
    };
    ((title, messages), last_seq)
}

async fn visible(store: &JsonStore, id: &SessionId) -> Option<State> {
    let session = store.get_session(id).await.expect("get")?;
    let messages = store
        .read(id, MessageQuery::last(100))
        .await
        .expect("every line readable");
    assert_eq!(
        session.message_count,
        messages.len() as u64,
        "counters agree with the log"
    );
    Some((
        session.title,
        messages.into_iter().map(|m| (m.seq, m.content)).collect(),
    ))
}

async fn check(store: &JsonStore, id: &SessionId, acked: &State, failed: &State) -> Option<State> {
    let seen = visible(store, id).await;
    let ok = match &seen {
        None => acked.1.is_empty() && acked.0.is_none(),
        Some(state) => state == acked || state == failed,
    };
    assert!(
        ok,
        "visible {seen:?}\nacknowledged {acked:?}\nor with the failed op {failed:?}"
    );
    seen
}

async fn round(fail_at: usize, fault: Fault) -> usize {
    let dir = tempfile::tempdir().expect("tempdir");
    let id = SessionId::new("fault/ü ..").expect("id");
    let fs = Arc::new(FaultFs::new(fail_at, fault));
    let Ok(store) = JsonStore::open(JsonConfig::new(dir.path()).file_system(fs.clone())).await
    else {
        let reopened = JsonStore::open(JsonConfig::new(dir.path()))
            .await
            .expect("reopen after a failed open");
        assert!(reopened.get_session(&id).await.expect("get").is_none());
        return fs.count.load(Ordering::SeqCst);
    };
    let (acked, failed) = workload(&store, &id).await;
    let seen_live = check(&store, &id, &acked, &failed).await;
    let total = fs.count.load(Ordering::SeqCst);
    drop(store);
    let reopened = JsonStore::open(JsonConfig::new(dir.path()))
        .await
        .expect("reopen");
    let seen = check(&reopened, &id, &acked, &failed).await;
    assert_eq!(seen, seen_live, "the same state after reopening");
    if let Some(session) = reopened.get_session(&id).await.expect("get") {
        let next = reopened
            .append(&id, vec![NewMessage::user("next")], None)
            .await
            .expect("append continues");
        assert_eq!(next, [session.last_seq + 1]);
        drop(reopened);
        let again = JsonStore::open(JsonConfig::new(dir.path()))
            .await
            .expect("reopen after the append");
        let mut want = seen.expect("a session").1;
        want.push((next[0], "next".into()));
        assert_eq!(visible(&again, &id).await.map(|s| s.1), Some(want));
    }
    total
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_failed_write_fsync_or_rename_leaves_acknowledged_state() {
    let total = round(usize::MAX, Fault::Error).await;
    assert!(total > 30, "the workload makes {total} file operations");
    for fail_at in 1..=total {
        round(fail_at, Fault::Error).await;
        round(fail_at, Fault::Short).await;
    }
}

/// A panic inside the store's blocking task at any file operation fails that call alone: the
/// store shows acknowledged state (or that plus the failed operation), and goes on working.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_panic_at_any_file_operation_fails_that_call_alone() {
    let total = round(usize::MAX, Fault::Error).await;
    for fail_at in 1..=total {
        round(fail_at, Fault::Panic).await;
    }
}
