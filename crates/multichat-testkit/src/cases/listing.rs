//! Guarantees about listing sessions: order, filter, cursor walks, expired sessions.

use std::collections::HashMap;
use std::time::Duration;

use multichat_core::{Expiry, NewSession, SessionPatch, SessionQuery};

use super::{append_texts, create, sid};
use crate::Fixture;

async fn ids(fx: &Fixture, query: SessionQuery) -> Vec<String> {
    let page = fx.store.list_sessions(query).await.expect("list");
    page.items.into_iter().map(|s| s.id.to_string()).collect()
}

/// Newest `updated_at` first, ties broken by id ascending; a write moves a session to the front.
pub async fn list_newest_first(fx: &Fixture) {
    for name in ["b", "a", "c"] {
        create(fx, name).await;
    }
    fx.clock.advance(Duration::from_millis(10));
    create(fx, "d").await;
    assert_eq!(ids(fx, SessionQuery::new(10)).await, ["d", "a", "b", "c"]);
    fx.clock.advance(Duration::from_millis(10));
    append_texts(fx, &sid("b"), "m", 1).await;
    assert_eq!(ids(fx, SessionQuery::new(10)).await, ["b", "d", "a", "c"]);
    let page = fx
        .store
        .list_sessions(SessionQuery::new(2))
        .await
        .expect("list");
    assert_eq!(page.items.len(), 2);
    assert!(page.next_cursor.is_some());
    let all = fx
        .store
        .list_sessions(SessionQuery::new(4))
        .await
        .expect("list");
    assert_eq!((all.items.len(), all.next_cursor), (4, None));
}

/// The participant filter returns exactly the sessions that list that participant.
pub async fn list_filters_by_participant(fx: &Fixture) {
    let with =
        |name: &str, people: &[&str]| NewSession::new(sid(name)).participants(people.to_vec());
    for new in [
        with("s1", &["alice", "bob"]),
        with("s2", &["bob"]),
        with("s3", &["carol"]),
        with("s4", &[]),
    ] {
        fx.store.create_session(new).await.expect("create");
    }
    let mut bob = ids(fx, SessionQuery::new(10).participant("bob")).await;
    bob.sort();
    assert_eq!(bob, ["s1", "s2"]);
    assert_eq!(
        ids(fx, SessionQuery::new(10).participant("alice")).await,
        ["s1"]
    );
    assert!(
        ids(fx, SessionQuery::new(10).participant("dave"))
            .await
            .is_empty()
    );
    fx.clock.advance(Duration::from_millis(1));
    fx.store
        .update_session(
            &sid("s3"),
            SessionPatch::new().participants(vec!["bob".into()]),
        )
        .await
        .expect("update");
    assert_eq!(
        ids(fx, SessionQuery::new(10).participant("bob"))
            .await
            .first()
            .map(String::as_str),
        Some("s3")
    );
    assert!(
        ids(fx, SessionQuery::new(10).participant("carol"))
            .await
            .is_empty()
    );
}

/// A cursor walk with small pages visits every session once, even while sessions already visited
/// are updated and new sessions are created during the walk (both move ahead of the cursor).
pub async fn cursor_walk_visits_each_once(fx: &Fixture) {
    for i in 0..23 {
        create(fx, &format!("s{i:02}")).await;
        fx.clock
            .advance(Duration::from_millis(u64::from(i % 3 == 0)));
    }
    let mut seen: HashMap<String, u32> = HashMap::new();
    let mut cursor = None;
    for round in 0..100 {
        let page = fx
            .store
            .list_sessions(SessionQuery::new(4).cursor(cursor))
            .await
            .expect("list");
        for s in &page.items {
            *seen.entry(s.id.to_string()).or_default() += 1;
        }
        fx.clock.advance(Duration::from_millis(1));
        let visited = &page.items[0].id;
        fx.store
            .update_session(visited, SessionPatch::new())
            .await
            .expect("update visited");
        create(fx, &format!("new{round}")).await;
        cursor = page.next_cursor;
        if cursor.is_none() {
            break;
        }
    }
    let originals: Vec<_> = (0..23).map(|i| format!("s{i:02}")).collect();
    for name in &originals {
        assert_eq!(
            seen.get(name),
            Some(&1),
            "{name} must be listed exactly once"
        );
    }
    assert!(
        seen.keys().all(|k| originals.contains(k)),
        "sessions created during the walk are ahead of it"
    );
}

/// Expired sessions are not listed.
pub async fn list_skips_expired(fx: &Fixture) {
    let short = NewSession::new(sid("short")).expiry(Expiry::idle(Duration::from_secs(1)));
    fx.store.create_session(short).await.expect("create");
    create(fx, "forever").await;
    assert_eq!(ids(fx, SessionQuery::new(10)).await.len(), 2);
    fx.clock.advance(Duration::from_secs(1));
    assert_eq!(ids(fx, SessionQuery::new(10)).await, ["forever"]);
}
