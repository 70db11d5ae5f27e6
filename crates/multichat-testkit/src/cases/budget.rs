//! Guarantees about context windows by token budget (`MessageQuery::Budget`, `NewMessage::tokens`).

use multichat_core::{ErrorKind, MessageQuery, NewMessage, SessionHandle};

use super::{create, err_kind, seqs, sid};
use crate::Fixture;

/// The newest run of messages whose counts fit the budget, oldest first, cut by the limit; an
/// uncounted message counts as the query says; token counts read back.
pub async fn budget_returns_the_newest_run_that_fits(fx: &Fixture) {
    let id = create(fx, "b").await.id;
    let counted = [300, 500, 200, 250].map(|n| NewMessage::user(format!("{n}")).tokens(n));
    fx.store
        .append(&id, counted.to_vec(), None)
        .await
        .expect("append");
    let read = |q| async move { seqs(&fx.store.read(&sid("b"), q).await.expect("read")) };
    assert_eq!(read(MessageQuery::budget(1000, 100)).await, [2, 3, 4]);
    assert_eq!(
        read(MessageQuery::budget(1250, 100)).await,
        [1, 2, 3, 4],
        "exactly the budget"
    );
    assert_eq!(read(MessageQuery::budget(250, 100)).await, [4]);
    assert_eq!(
        read(MessageQuery::budget(249, 100)).await,
        Vec::<u64>::new()
    );
    assert_eq!(
        read(MessageQuery::budget(1000, 2)).await,
        [3, 4],
        "the limit cuts first"
    );
    let last = fx
        .store
        .read(&id, MessageQuery::last(1))
        .await
        .expect("read");
    assert_eq!(last[0].tokens, Some(250));
    fx.store
        .append(&id, vec![NewMessage::assistant("uncounted")], None)
        .await
        .expect("append");
    assert_eq!(
        read(MessageQuery::budget(1000, 100)).await,
        [2, 3, 4, 5],
        "counts as 0"
    );
    let dear = MessageQuery::budget(1000, 100).uncounted(300);
    assert_eq!(read(dear).await, [3, 4, 5]);
    let free = read(MessageQuery::budget(0, 100)).await;
    assert_eq!(
        free,
        [5],
        "an uncounted message fits a budget of 0, the next does not"
    );
}

/// A budget read follows pops (by position, across gaps), is `NotFound` on a missing session
/// and `InvalidInput` above the page limit; `SessionHandle::context` reads it (empty for a
/// session not created yet).
pub async fn budget_reads_follow_removals_and_handles(fx: &Fixture) {
    let id = create(fx, "bp").await.id;
    let batch = [10, 20, 30].map(|n| NewMessage::user("m").tokens(n));
    fx.store
        .append(&id, batch.to_vec(), None)
        .await
        .expect("append");
    fx.store.pop(&id).await.expect("pop");
    fx.store
        .append(&id, vec![NewMessage::user("n").tokens(5)], None)
        .await
        .expect("append");
    let read = fx
        .store
        .read(&id, MessageQuery::budget(25, 10))
        .await
        .expect("read");
    assert_eq!(seqs(&read), [2, 4]);
    let missing = fx
        .store
        .read(&sid("never"), MessageQuery::budget(10, 10))
        .await;
    assert_eq!(err_kind(missing), ErrorKind::NotFound);
    let too_many = fx
        .store
        .read(&id, MessageQuery::budget(10, 1_000_000))
        .await;
    assert_eq!(err_kind(too_many), ErrorKind::InvalidInput);
    let handle = SessionHandle::new(fx.store.clone(), id);
    assert_eq!(seqs(&handle.context(34).await.expect("context")), [2, 4]);
    assert_eq!(seqs(&handle.context(35).await.expect("context")), [1, 2, 4]);
    let absent = SessionHandle::new(fx.store.clone(), sid("not-yet"));
    assert!(absent.context(100).await.expect("context").is_empty());
}

/// Windows longer than a read of a few dozen: a budget of 150 of 300 one-token messages, one
/// cut by its limit, one taking the whole history, one ending on a larger message.
pub async fn long_budget_windows_are_exact(fx: &Fixture) {
    let id = create(fx, "bl").await.id;
    let mut batch: Vec<NewMessage> = (0..300)
        .map(|i| NewMessage::user(format!("{i}")).tokens(1))
        .collect();
    batch[99] = NewMessage::user("big").tokens(500);
    fx.store.append(&id, batch, None).await.expect("append");
    let read = |q| async move { seqs(&fx.store.read(&sid("bl"), q).await.expect("read")) };
    assert_eq!(
        read(MessageQuery::budget(150, 1000)).await,
        (151..=300).collect::<Vec<_>>()
    );
    assert_eq!(
        read(MessageQuery::budget(1000, 130)).await,
        (171..=300).collect::<Vec<_>>()
    );
    assert_eq!(
        read(MessageQuery::budget(200, 1000)).await,
        (101..=300).collect::<Vec<_>>(),
        "stops at the big one"
    );
    assert_eq!(
        read(MessageQuery::budget(10_000, 1000)).await,
        (1..=300).collect::<Vec<_>>()
    );
}
