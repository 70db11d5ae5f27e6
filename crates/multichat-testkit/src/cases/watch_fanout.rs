//! Watches side by side: a watch on each of many sessions written at once gets its own
//! session's messages only, and several watches of one session go on past a removal of what
//! they delivered. Every wait is bounded (`watch::next_message`).

use std::sync::Arc;

use multichat_core::{ChatStore, NewMessage};

use super::watch::next_message;
use super::{append_texts, create, sid};
use crate::Fixture;

/// Twelve sessions, a watch on each, three messages appended to each by a task of its own, all
/// at once: every watch delivers its session's three, in order, and nothing else.
pub async fn watches_of_many_sessions_each_get_their_own(fx: &Fixture) {
    let names: Vec<String> = (0..12).map(|i| format!("many-{i}")).collect();
    let mut watches = Vec::new();
    for name in &names {
        create(fx, name).await;
        watches.push(Arc::clone(&fx.store).watch(sid(name), 0));
    }
    let mut writers = tokio::task::JoinSet::new();
    for name in names.clone() {
        let store: Arc<dyn ChatStore> = Arc::clone(&fx.store);
        writers.spawn(async move {
            for k in 0..3 {
                let m = NewMessage::user(format!("{name}/{k}"));
                store
                    .append(&sid(&name), vec![m], None)
                    .await
                    .expect("append");
            }
        });
    }
    while let Some(done) = writers.join_next().await {
        done.expect("writer");
    }
    for (name, watch) in names.iter().zip(&mut watches) {
        for k in 0..3u64 {
            let m = next_message(watch).await;
            assert_eq!((m.seq, m.content), (k + 1, format!("{name}/{k}")));
        }
    }
}

/// Two watches of one session deliver 1 and 2; popping 2 (delivered) retracts nothing, and the
/// next append reaches both as 3.
pub async fn a_delivered_message_popped_is_not_retracted(fx: &Fixture) {
    create(fx, "popped").await;
    let mut watches = [0, 1].map(|_| Arc::clone(&fx.store).watch(sid("popped"), 0));
    append_texts(fx, &sid("popped"), "m", 2).await;
    for watch in &mut watches {
        assert_eq!(
            [next_message(watch).await.seq, next_message(watch).await.seq],
            [1, 2]
        );
    }
    fx.store.pop(&sid("popped")).await.expect("pop");
    append_texts(fx, &sid("popped"), "after", 1).await;
    for watch in &mut watches {
        let m = next_message(watch).await;
        assert_eq!((m.seq, m.content.starts_with("after")), (3, true));
    }
}
