//! The ceilings every backend shares: metadata nesting (the limit round-trips, one level more is
//! refused and changes nothing) and idle expiries too long to compute exactly.

use std::time::Duration;

use multichat_core::{
    Error, Expiry, Limits, MAX_IDLE_MS, MessageQuery, Metadata, NewMessage, NewSession,
    SessionPatch, Timestamp,
};
use serde_json::json;

use super::{append_texts, create, session, sid};
use crate::Fixture;

/// A metadata object nested `depth` levels deep (the object itself is level 1).
///
/// ```
/// let m = multichat_testkit::cases::bounds::nested(2);
/// assert_eq!(serde_json::Value::Object(m), serde_json::json!({"k": {"k": "leaf"}}));
/// ```
pub fn nested(depth: usize) -> Metadata {
    let mut value = json!("leaf");
    for _ in 1..depth {
        value = json!({ "k": value });
    }
    let mut top = Metadata::new();
    top.insert("k".into(), value);
    top
}

fn is_invalid<T: std::fmt::Debug>(result: multichat_core::Result<T>, field: &str) {
    match result {
        Err(Error::InvalidInput { field: f, .. }) if f.contains(field) => {}
        other => panic!("expected InvalidInput on {field}, got {other:?}"),
    }
}

/// Metadata at the nesting limit is stored and read back exactly on sessions and messages; one
/// level more is refused on create, update and append, with nothing changed.
pub async fn metadata_depth_limit_round_trips(fx: &Fixture) {
    let depth = Limits::default().max_metadata_depth;
    let new = NewSession::new(sid("deep")).metadata(nested(depth));
    let created = fx
        .store
        .create_session(new)
        .await
        .expect("the limit is admitted");
    assert_eq!(created.metadata, nested(depth));
    let message = NewMessage::user("deep").metadata(nested(depth));
    fx.store
        .append(&created.id, vec![message], None)
        .await
        .expect("append at the limit");
    let read = fx
        .store
        .read(&created.id, MessageQuery::last(5))
        .await
        .expect("read back");
    assert_eq!(read[0].metadata, nested(depth));
    let before = session(fx, &created.id).await;
    assert_eq!(before.metadata, nested(depth));
    let listed = fx
        .store
        .list_sessions(multichat_core::SessionQuery::new(10))
        .await;
    assert_eq!(listed.expect("listing still works").items.len(), 1);
    let too_deep = NewSession::new(sid("deeper")).metadata(nested(depth + 1));
    is_invalid(fx.store.create_session(too_deep).await, "metadata");
    let patch = SessionPatch::new().metadata(nested(depth + 1));
    is_invalid(
        fx.store.update_session(&created.id, patch).await,
        "metadata",
    );
    let message = NewMessage::user("deeper").metadata(nested(depth + 1));
    is_invalid(
        fx.store.append(&created.id, vec![message], None).await,
        "metadata",
    );
    assert_eq!(session(fx, &created.id).await, before);
    assert!(
        fx.store
            .get_session(&sid("deeper"))
            .await
            .expect("get")
            .is_none()
    );
}

/// The longest idle expiry is computed exactly and keeps the session readable after writes; a
/// longer one given in milliseconds, or a deadline past the storable times, is refused.
pub async fn longest_idle_expiry_is_exact(fx: &Fixture) {
    let new = NewSession::new(sid("forever")).expiry(Expiry::idle(Duration::MAX));
    let created = fx.store.create_session(new).await.expect("clamped");
    assert_eq!(created.expiry, Some(Expiry::IdleMs(MAX_IDLE_MS)));
    append_texts(fx, &created.id, "m", 2).await;
    let after = session(fx, &created.id).await;
    let deadline = after.updated_at.0 + i64::try_from(MAX_IDLE_MS).expect("fits");
    assert_eq!(after.expires_at, Some(Timestamp(deadline)));
    assert_eq!(after.message_count, 2);
    let refused = NewSession::new(sid("over")).expiry(Expiry::IdleMs(u64::MAX));
    is_invalid(fx.store.create_session(refused).await, "expiry");
    let refused = NewSession::new(sid("over")).expiry(Expiry::At(Timestamp(i64::MAX)));
    is_invalid(fx.store.create_session(refused).await, "expiry");
    let patch = SessionPatch::new().expiry(Some(Expiry::IdleMs(MAX_IDLE_MS + 1)));
    is_invalid(fx.store.update_session(&created.id, patch).await, "expiry");
    assert_eq!(session(fx, &created.id).await, after);
    create(fx, "over").await;
}
