//! Guarantees about expiry, driven by the manual clock.

use multichat_core::ErrorKind;
use std::time::Duration;

use multichat_core::{Clock, Expiry, MessageQuery, NewMessage, NewSession, SessionPatch};

use super::{append_texts, create, err_kind, session, sid};
use crate::Fixture;

/// An idle expiry slides on every write and the session reads as absent once it passes.
pub async fn idle_expiry_slides_on_write(fx: &Fixture) {
    let new = NewSession::new(sid("idle")).expiry(Expiry::idle(Duration::from_secs(60)));
    let id = fx.store.create_session(new).await.expect("create").id;
    fx.clock.advance(Duration::from_secs(59));
    append_texts(fx, &id, "keepalive", 1).await;
    assert_eq!(
        session(fx, &id).await.expires_at,
        Some(fx.clock.now().plus(Duration::from_secs(60)))
    );
    fx.clock.advance(Duration::from_secs(59));
    assert!(
        fx.store.get_session(&id).await.expect("get").is_some(),
        "the append slid the expiry"
    );
    fx.store
        .read(&id, MessageQuery::last(1))
        .await
        .expect("a read does not slide, but is allowed");
    fx.clock.advance(Duration::from_secs(1));
    assert!(
        fx.store.get_session(&id).await.expect("get").is_none(),
        "expired at exactly the deadline"
    );
    assert_eq!(
        err_kind(fx.store.read(&id, MessageQuery::last(1)).await),
        ErrorKind::NotFound
    );
}

/// An absolute deadline does not move with writes.
pub async fn absolute_expiry_ignores_writes(fx: &Fixture) {
    let deadline = fx.clock.now().plus(Duration::from_secs(30));
    let new = NewSession::new(sid("abs")).expiry(Expiry::at(deadline));
    let id = fx.store.create_session(new).await.expect("create").id;
    fx.clock.advance(Duration::from_secs(29));
    append_texts(fx, &id, "m", 1).await;
    assert_eq!(session(fx, &id).await.expires_at, Some(deadline));
    fx.clock.advance(Duration::from_secs(1));
    assert!(fx.store.get_session(&id).await.expect("get").is_none());
}

/// Writes to an expired session fail with `NotFound`; a create with its id starts a fresh session.
pub async fn expired_session_refuses_writes(fx: &Fixture) {
    let new = NewSession::new(sid("old"))
        .title("old")
        .expiry(Expiry::idle(Duration::from_secs(5)));
    let id = fx.store.create_session(new).await.expect("create").id;
    append_texts(fx, &id, "m", 3).await;
    fx.clock.advance(Duration::from_secs(5));
    assert_eq!(
        err_kind(
            fx.store
                .append(&id, vec![NewMessage::user("late")], None)
                .await
        ),
        ErrorKind::NotFound
    );
    assert_eq!(
        err_kind(fx.store.update_session(&id, SessionPatch::new()).await),
        ErrorKind::NotFound
    );
    assert_eq!(err_kind(fx.store.pop(&id).await), ErrorKind::NotFound);
    assert_eq!(err_kind(fx.store.clear(&id).await), ErrorKind::NotFound);
    assert!(
        !fx.store.delete_session(&id).await.expect("delete"),
        "an expired session is absent"
    );
    let fresh = create(fx, "old").await;
    assert_eq!(
        (
            fresh.title,
            fresh.version,
            fresh.last_seq,
            fresh.message_count
        ),
        (None, 1, 0, 0)
    );
    assert!(
        fx.store
            .read(&id, MessageQuery::last(10))
            .await
            .expect("read")
            .is_empty()
    );
    assert_eq!(append_texts(fx, &id, "new", 1).await, [1]);
}

/// `purge_expired` removes exactly the expired sessions, counts them, and is idempotent.
pub async fn purge_counts_expired(fx: &Fixture) {
    for (name, secs) in [("a", 10), ("b", 20), ("c", 30)] {
        let new = NewSession::new(sid(name)).expiry(Expiry::idle(Duration::from_secs(secs)));
        let id = fx.store.create_session(new).await.expect("create").id;
        append_texts(fx, &id, "m", 2).await;
    }
    create(fx, "keep").await;
    assert_eq!(fx.store.purge_expired().await.expect("purge"), 0);
    fx.clock.advance(Duration::from_secs(20));
    assert_eq!(fx.store.purge_expired().await.expect("purge"), 2);
    assert_eq!(fx.store.purge_expired().await.expect("purge again"), 0);
    assert!(
        fx.store
            .get_session(&sid("c"))
            .await
            .expect("get")
            .is_some()
    );
    assert!(
        fx.store
            .get_session(&sid("keep"))
            .await
            .expect("get")
            .is_some()
    );
    let page = fx
        .store
        .list_sessions(multichat_core::SessionQuery::new(10))
        .await
        .expect("list");
    assert_eq!(page.items.len(), 2);
}
