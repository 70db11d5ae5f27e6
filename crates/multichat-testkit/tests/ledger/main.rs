//! The ledger's check, run on a deliberately broken store — one that drops an acknowledged
//! append, stores one twice, or hands messages back out of order — so that it is known to catch
//! each anomaly the fault tests rely on it for, and on a correct one, where it finds nothing.

mod broken;

use std::sync::Arc;
use std::sync::atomic::AtomicUsize;

use broken::{Breakage, Broken};
use multichat_core::{
    ChatStore, MemoryStore, MessageStore, NewMessage, NewSession, SessionId, SessionStore,
};
use multichat_testkit::{Anomalies, Ledger};

/// Six acknowledged appends `m0`…`m5` and one that "failed" but was stored (`maybe`), through
/// a store broken by `breakage`; what the ledger finds.
async fn run(breakage: Breakage) -> Anomalies {
    let store: Arc<dyn ChatStore> = Arc::new(Broken {
        inner: MemoryStore::new(),
        breakage,
        appends: AtomicUsize::new(0),
    });
    let id = SessionId::new("s").expect("id");
    store
        .create_session(NewSession::new(id.clone()))
        .await
        .expect("create");
    let ledger = Ledger::default();
    for i in 0..6 {
        let content = format!("m{i}");
        let seqs = store
            .append(&id, vec![NewMessage::user(content.as_str())], None)
            .await
            .expect("append");
        ledger.acked(&id, &content, seqs[0]);
    }
    store
        .append(&id, vec![NewMessage::user("maybe")], None)
        .await
        .expect("append");
    ledger.failed(&id, "maybe");
    ledger.check(&store).await.expect("check")
}

#[tokio::test]
async fn a_dropped_acknowledged_append_is_lost() {
    let found = run(Breakage::Drop).await;
    assert_eq!(found.lost, ["m3"], "{found:?}");
    assert!(found.is_clean_but_lost(), "{found:?}");
}

#[tokio::test]
async fn an_append_stored_twice_is_duplicated() {
    let found = run(Breakage::Duplicate).await;
    assert_eq!(found.duplicated, ["m3"], "{found:?}");
    assert_eq!(found.misplaced, ["m3"], "the second copy is at another seq");
    assert!(found.lost.is_empty(), "{found:?}");
}

#[tokio::test]
async fn messages_handed_back_out_of_order_are_reordered_and_misplaced() {
    let found = run(Breakage::Reorder).await;
    assert_eq!(found.reordered, ["m2"], "{found:?}");
    assert_eq!(found.misplaced, ["m2", "m1"], "{found:?}");
    assert!(found.lost.is_empty() && found.duplicated.is_empty());
}

/// On a correct store the ledger finds nothing (a maybe-applied append that was stored is no
/// phantom); a stored message that no call tried is a phantom; a session gone is named.
#[tokio::test]
async fn a_correct_store_shows_nothing_and_phantoms_and_lost_sessions_are_named() {
    let found = run(Breakage::None).await;
    assert!(found.is_clean(), "{found:?}");
    assert_eq!(found.acknowledged, 6);
    let store: Arc<dyn ChatStore> = Arc::new(MemoryStore::new());
    let id = SessionId::new("s").expect("id");
    store
        .create_session(NewSession::new(id.clone()))
        .await
        .expect("create");
    let ledger = Ledger::default();
    let seqs = store
        .append(
            &id,
            vec![NewMessage::user("a"), NewMessage::user("b")],
            None,
        )
        .await
        .expect("append");
    ledger.acked(&id, "a", seqs[0]);
    let found = ledger.check(&store).await.expect("check");
    assert_eq!(found.phantom, ["b"], "{found:?}");
    let gone = SessionId::new("gone").expect("id");
    ledger.acked(&gone, "x", 1);
    let found = ledger.check(&store).await.expect("check");
    assert_eq!(
        (found.lost, found.counters),
        (vec!["x".to_owned()], vec!["gone: gone".to_owned()])
    );
}
