//! Guarantees about patching sessions.

use multichat_core::ErrorKind;
use std::time::Duration;

use multichat_core::{Clock, ConflictKind, Error, Expiry, SessionPatch};
use serde_json::json;

use super::{create, err_kind, session, sid};
use crate::Fixture;

/// A patch replaces exactly the fields it names; `version` + 1 and `updated_at` moves each time.
pub async fn patch_replaces_given_fields_only(fx: &Fixture) {
    let before = create(fx, "p").await;
    fx.clock.advance(Duration::from_millis(1500));
    let meta = json!({"k": "v"}).as_object().cloned().expect("object");
    let patch = SessionPatch::new()
        .title(Some("T".into()))
        .metadata(meta.clone());
    let after = fx
        .store
        .update_session(&before.id, patch)
        .await
        .expect("update");
    assert_eq!(
        (after.title.as_deref(), &after.metadata),
        (Some("T"), &meta)
    );
    assert_eq!(
        (after.participants.clone(), after.created_at),
        (before.participants, before.created_at)
    );
    assert_eq!((after.version, after.updated_at), (2, fx.clock.now()));
    let patch = SessionPatch::new()
        .participants(vec!["x".into(), "y".into()])
        .title(None);
    let after = fx
        .store
        .update_session(&before.id, patch)
        .await
        .expect("update");
    assert_eq!(
        (
            after.title,
            after.participants.clone(),
            after.metadata.clone()
        ),
        (None, vec!["x".into(), "y".into()], meta)
    );
    let patch = SessionPatch::new().expiry(Some(Expiry::idle(Duration::from_secs(10))));
    let after = fx
        .store
        .update_session(&before.id, patch)
        .await
        .expect("update");
    assert_eq!(
        after.expires_at,
        Some(fx.clock.now().plus(Duration::from_secs(10)))
    );
    assert_eq!(after.version, 4);
    assert_eq!(session(fx, &before.id).await, after);
}

/// An update whose expected version is stale fails with `Conflict` and changes nothing.
pub async fn stale_version_conflicts(fx: &Fixture) {
    let id = create(fx, "v").await.id;
    let ok = fx
        .store
        .update_session(
            &id,
            SessionPatch::new()
                .title(Some("a".into()))
                .expect_version(1),
        )
        .await;
    assert_eq!(ok.expect("matching version").version, 2);
    let stale = fx
        .store
        .update_session(
            &id,
            SessionPatch::new()
                .title(Some("b".into()))
                .expect_version(1),
        )
        .await;
    match stale {
        Err(Error::Conflict {
            kind,
            expected,
            actual,
            ..
        }) => {
            assert_eq!((kind, expected, actual), (ConflictKind::Version, 1, 2));
        }
        other => panic!("expected a version conflict, got {other:?}"),
    }
    let stored = session(fx, &id).await;
    assert_eq!((stored.title.as_deref(), stored.version), (Some("a"), 2));
}

/// Updating a session that does not exist is `NotFound`.
pub async fn update_missing_is_not_found(fx: &Fixture) {
    let result = fx
        .store
        .update_session(&sid("nobody"), SessionPatch::new().title(None))
        .await;
    assert_eq!(err_kind(result), ErrorKind::NotFound);
    assert!(
        fx.store
            .get_session(&sid("nobody"))
            .await
            .expect("get")
            .is_none()
    );
}

/// An empty patch is still a write: version + 1, `updated_at` moves, everything else is kept.
pub async fn empty_patch_is_a_write(fx: &Fixture) {
    let before = create(fx, "e").await;
    fx.clock.advance(Duration::from_millis(7));
    let after = fx
        .store
        .update_session(&before.id, SessionPatch::new())
        .await
        .expect("update");
    assert_eq!(after.version, before.version + 1);
    assert_eq!(after.updated_at.millis(), before.updated_at.millis() + 7);
    assert_eq!(
        (after.title, after.metadata, after.last_seq),
        (before.title, before.metadata, before.last_seq)
    );
}
