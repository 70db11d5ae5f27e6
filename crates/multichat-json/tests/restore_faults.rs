//! `restore_sessions` writes up to 16 sessions at once: with any one of its file operations
//! failing (an error, a short write, a panic), the call fails, and every session of it is then,
//! and after reopening, either absent or exactly as given — never half written.

mod fault_fs;

use std::sync::Arc;
use std::sync::atomic::Ordering;

use fault_fs::{Fault, FaultFs};
use multichat_core::backend::{Counters, Times};
use multichat_core::{
    Message, MessageQuery, MessageStore, NewMessage, NewSession, RestoreStore, Session, SessionId,
    SessionStore, Timestamp, WholeSession,
};
use multichat_json::{JsonConfig, JsonStore};

const SESSIONS: u64 = 20;

/// Session `i` of the batch: `i % 4` messages, so some have none.
fn whole(i: u64) -> WholeSession {
    let count = i % 4;
    let at = Timestamp(1_764_000_000_000 + i as i64);
    let new = NewSession::new(SessionId::new(format!("r{i}")).expect("id")).title(format!("t{i}"));
    let times = Times {
        created_at: at,
        updated_at: at,
        expires_at: None,
    };
    let counters = Counters {
        version: count + 1,
        last_seq: count,
        message_count: count,
    };
    let messages = (1..=count)
        .map(|seq| Message::from_new(NewMessage::user(format!("{i}.{seq}")), seq, at))
        .collect();
    WholeSession {
        session: Session::from_parts(new, times, counters),
        messages,
    }
}

/// Every session of the batch is absent or exactly as given; returns how many are there.
async fn check_all(store: &JsonStore) -> usize {
    let mut present = 0;
    for i in 0..SESSIONS {
        let given = whole(i);
        let Some(found) = store.get_session(&given.session.id).await.expect("get") else {
            continue;
        };
        present += 1;
        assert_eq!(found, given.session, "session {i}");
        let messages = store.read(&found.id, MessageQuery::last(10)).await;
        assert_eq!(messages.expect("read"), given.messages, "messages of {i}");
    }
    present
}

/// One round failing the `fail_at`-th file operation, counted from the store's open; returns how
/// many operations the open and the call made.
async fn round(fail_at: usize, fault: Fault) -> (usize, usize) {
    let dir = tempfile::tempdir().expect("temp dir");
    let fs = Arc::new(FaultFs::new(fail_at, fault));
    let config = JsonConfig::new(dir.path()).file_system(fs.clone());
    let store = JsonStore::open(config).await.expect("open");
    let opened = fs.count.load(Ordering::SeqCst);
    let restored = store
        .restore_sessions((0..SESSIONS).map(whole).collect())
        .await;
    let made = fs.count.load(Ordering::SeqCst) - opened;
    let hit = fail_at > opened && fail_at <= opened + made;
    assert_eq!(restored.is_err(), hit, "fail_at {fail_at}: {restored:?}");
    let live = check_all(&store).await;
    drop(store);
    let reopened = JsonStore::open(JsonConfig::new(dir.path()))
        .await
        .expect("reopen");
    assert_eq!(
        check_all(&reopened).await,
        live,
        "the same sessions after reopening"
    );
    if !hit {
        assert_eq!(
            live, SESSIONS as usize,
            "nothing failed: every session is there"
        );
    }
    (opened, made)
}

#[tokio::test]
async fn a_failed_file_operation_leaves_each_session_whole_or_absent() {
    let (opened, made) = round(usize::MAX, Fault::Error).await;
    assert!(made >= 2 * SESSIONS as usize, "{made} file operations");
    for fault in [Fault::Error, Fault::Short, Fault::Panic] {
        // Every operation of the first sessions, then every seventh: bounded, and the
        // interleaving of 16 sessions at once moves which session each index hits.
        for n in (1..=made).filter(|n| *n <= 40 || n % 7 == 0) {
            round(opened + n, fault).await;
        }
    }
}
