//! Guarantees about reading messages with every `MessageQuery` form at its boundaries.

use multichat_core::ErrorKind;
use multichat_core::{MessageQuery, SessionId};

use super::{append_texts, create, err_kind, seqs, sid};
use crate::Fixture;

async fn read(fx: &Fixture, id: &SessionId, query: MessageQuery) -> Vec<u64> {
    seqs(&fx.store.read(id, query).await.expect("read"))
}

async fn five(fx: &Fixture) -> SessionId {
    let id = create(fx, "q").await.id;
    append_texts(fx, &id, "m", 5).await;
    id
}

/// `last(n)`: 0 gives nothing, n gives the newest n in chronological order, more than exist gives all.
pub async fn read_last_boundaries(fx: &Fixture) {
    let id = five(fx).await;
    assert_eq!(
        read(fx, &id, MessageQuery::last(0)).await,
        Vec::<u64>::new()
    );
    assert_eq!(read(fx, &id, MessageQuery::last(1)).await, [5]);
    assert_eq!(read(fx, &id, MessageQuery::last(3)).await, [3, 4, 5]);
    assert_eq!(read(fx, &id, MessageQuery::last(5)).await, [1, 2, 3, 4, 5]);
    assert_eq!(
        read(fx, &id, MessageQuery::last(1000)).await,
        [1, 2, 3, 4, 5]
    );
    let empty = create(fx, "none").await.id;
    assert_eq!(
        read(fx, &empty, MessageQuery::last(10)).await,
        Vec::<u64>::new()
    );
}

/// `after(seq, limit)`: strictly after seq, the oldest `limit` of them.
pub async fn read_after_boundaries(fx: &Fixture) {
    let id = five(fx).await;
    assert_eq!(read(fx, &id, MessageQuery::after(0, 2)).await, [1, 2]);
    assert_eq!(read(fx, &id, MessageQuery::after(3, 10)).await, [4, 5]);
    assert_eq!(read(fx, &id, MessageQuery::after(4, 1)).await, [5]);
    assert_eq!(
        read(fx, &id, MessageQuery::after(5, 10)).await,
        Vec::<u64>::new()
    );
    assert_eq!(
        read(fx, &id, MessageQuery::after(99, 10)).await,
        Vec::<u64>::new()
    );
    assert_eq!(
        read(fx, &id, MessageQuery::after(0, 0)).await,
        Vec::<u64>::new()
    );
    assert_eq!(
        read(fx, &id, MessageQuery::after(u64::MAX, 5)).await,
        Vec::<u64>::new()
    );
}

/// `before(seq, limit)`: strictly before seq, the newest `limit` of them, in chronological order.
pub async fn read_before_boundaries(fx: &Fixture) {
    let id = five(fx).await;
    assert_eq!(
        read(fx, &id, MessageQuery::before(1, 10)).await,
        Vec::<u64>::new()
    );
    assert_eq!(
        read(fx, &id, MessageQuery::before(0, 10)).await,
        Vec::<u64>::new()
    );
    assert_eq!(read(fx, &id, MessageQuery::before(4, 2)).await, [2, 3]);
    assert_eq!(
        read(fx, &id, MessageQuery::before(6, 10)).await,
        [1, 2, 3, 4, 5]
    );
    assert_eq!(read(fx, &id, MessageQuery::before(99, 2)).await, [4, 5]);
    assert_eq!(read(fx, &id, MessageQuery::before(u64::MAX, 1)).await, [5]);
    assert_eq!(
        read(fx, &id, MessageQuery::before(5, 0)).await,
        Vec::<u64>::new()
    );
}

/// After a pop leaves a gap in the seqs, every query form still selects by seq, not by position.
pub async fn reads_cross_seq_gaps(fx: &Fixture) {
    let id = five(fx).await;
    fx.store.pop(&id).await.expect("pop");
    append_texts(fx, &id, "n", 2).await;
    assert_eq!(read(fx, &id, MessageQuery::last(3)).await, [4, 6, 7]);
    assert_eq!(read(fx, &id, MessageQuery::after(4, 1)).await, [6]);
    assert_eq!(read(fx, &id, MessageQuery::after(5, 10)).await, [6, 7]);
    assert_eq!(read(fx, &id, MessageQuery::before(6, 2)).await, [3, 4]);
    assert_eq!(read(fx, &id, MessageQuery::before(7, 1)).await, [6]);
}

/// Reading a session that does not exist is `NotFound`.
pub async fn read_missing_is_not_found(fx: &Fixture) {
    assert_eq!(
        err_kind(fx.store.read(&sid("nope"), MessageQuery::last(1)).await),
        ErrorKind::NotFound
    );
    assert_eq!(
        err_kind(fx.store.pop(&sid("nope")).await),
        ErrorKind::NotFound
    );
    assert_eq!(
        err_kind(fx.store.clear(&sid("nope")).await),
        ErrorKind::NotFound
    );
}
