//! Guarantees under concurrent callers.

use multichat_core::ErrorKind;
use std::collections::HashSet;

use multichat_core::{MessageQuery, NewMessage, NewSession};

use super::{create, session, sid};
use crate::Fixture;

/// 16 tasks appending 50 messages each to one session get seqs 1..=800, nothing lost, each
/// task's own messages in the order it sent them.
pub async fn concurrent_appends_lose_nothing(fx: &Fixture) {
    let id = create(fx, "busy").await.id;
    let mut tasks = Vec::new();
    for task in 0..16 {
        let (store, id) = (fx.store.clone(), id.clone());
        tasks.push(tokio::spawn(async move {
            let mut mine = Vec::new();
            for i in 0..50 {
                let m = NewMessage::user(format!("{task}:{i}")).sender(format!("t{task}"));
                mine.extend(store.append(&id, vec![m], None).await.expect("append"));
            }
            mine
        }));
    }
    let mut all = Vec::new();
    for task in tasks {
        let mine = task.await.expect("task");
        assert!(
            mine.windows(2).all(|w| w[0] < w[1]),
            "a task's seqs increase"
        );
        all.extend(mine);
    }
    all.sort_unstable();
    assert_eq!(all, (1..=800).collect::<Vec<u64>>());
    let mut stored = Vec::new();
    let mut after = 0;
    while stored.len() < 800 {
        let page = fx
            .store
            .read(&id, MessageQuery::after(after, 1000))
            .await
            .expect("read");
        after = page.last().map_or(after, |m| m.seq);
        stored.extend(page);
    }
    for task in 0..16 {
        let order: Vec<String> = stored
            .iter()
            .filter(|m| m.sender == Some(format!("t{task}")))
            .map(|m| m.content.clone())
            .collect();
        assert_eq!(
            order,
            (0..50).map(|i| format!("{task}:{i}")).collect::<Vec<_>>()
        );
    }
    assert_eq!(session(fx, &id).await.message_count, 800);
}

/// 8 tasks creating the same id at once: exactly one succeeds, the others get `AlreadyExists`.
pub async fn concurrent_creates_one_wins(fx: &Fixture) {
    let mut tasks = Vec::new();
    for task in 0..8 {
        let store = fx.store.clone();
        tasks.push(tokio::spawn(async move {
            let new = NewSession::new(sid("contested")).title(format!("by {task}"));
            store.create_session(new).await.map_err(|e| e.kind())
        }));
    }
    let mut winners = Vec::new();
    for task in tasks {
        match task.await.expect("task") {
            Ok(s) => winners.push(s),
            Err(kind) => assert_eq!(kind, ErrorKind::AlreadyExists),
        }
    }
    assert_eq!(winners.len(), 1);
    assert_eq!(session(fx, &sid("contested")).await, winners[0]);
}

/// Tasks racing a compare-and-append on the same `last_seq`: exactly one wins each round.
pub async fn compare_and_append_admits_one(fx: &Fixture) {
    let id = create(fx, "cas-race").await.id;
    for round in 0..5u64 {
        let mut tasks = Vec::new();
        for task in 0..6 {
            let (store, id) = (fx.store.clone(), id.clone());
            tasks.push(tokio::spawn(async move {
                let m = NewMessage::user(format!("r{round} t{task}"));
                store
                    .append(&id, vec![m], Some(round))
                    .await
                    .map_err(|e| e.kind())
            }));
        }
        let mut won = HashSet::new();
        for task in tasks {
            match task.await.expect("task") {
                Ok(seqs) => assert!(won.insert(seqs)),
                Err(kind) => assert_eq!(kind, ErrorKind::Conflict),
            }
        }
        assert_eq!(won.into_iter().collect::<Vec<_>>(), [vec![round + 1]]);
    }
    assert_eq!(session(fx, &id).await.message_count, 5);
}
