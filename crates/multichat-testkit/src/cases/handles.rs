//! Guarantees of the convenience API: `SessionHandle`, `History` and `get_or_create_session`.

use std::sync::Arc;
use std::time::Duration;

use multichat_core::{
    ErrorKind, Expiry, History, NewMessage, NewSession, SessionHandle, SessionQuery,
};

use super::{append_texts, create, err_kind, seqs, session, sid};
use crate::Fixture;

/// The session handle creates its session on the first add and reads an absent one as empty.
pub async fn handle_creates_on_first_add(fx: &Fixture) {
    let handle = SessionHandle::new(Arc::clone(&fx.store), sid("handle"));
    assert!(handle.last(5).await.expect("last").is_empty());
    assert!(handle.all().await.expect("all").is_empty());
    assert!(handle.pop().await.expect("pop").is_none());
    assert_eq!(handle.add(NewMessage::user("one")).await.expect("add"), 1);
    assert_eq!(
        handle.add(NewMessage::assistant("two")).await.expect("add"),
        2
    );
    let last = handle.last(5).await.expect("last");
    assert_eq!(
        last.iter().map(|m| m.content.as_str()).collect::<Vec<_>>(),
        ["one", "two"]
    );
    assert_eq!(handle.pop().await.expect("pop").map(|m| m.seq), Some(2));
    assert_eq!(handle.clear().await.expect("clear"), 1);
    assert_eq!(session(fx, handle.id()).await.last_seq, 2);
}

/// A handle with a template creates its session with the template's participants, title and
/// expiry (so it is listed by participant and expires), and compare-and-appends.
pub async fn handle_creates_from_its_template_and_compares(fx: &Fixture) {
    let template = NewSession::new(sid("templated"))
        .title("support")
        .participants(["ana", "agent-7"])
        .expiry(Expiry::idle(Duration::from_secs(60)));
    let handle = SessionHandle::with_template(Arc::clone(&fx.store), template);
    let first = handle.add_if(vec![NewMessage::user("a")], Some(0)).await;
    assert_eq!(first.expect("compare-and-append on a new session"), [1]);
    let stale = handle.add_if(vec![NewMessage::user("b")], Some(0)).await;
    assert_eq!(err_kind(stale), ErrorKind::Conflict);
    let s = session(fx, handle.id()).await;
    assert_eq!(s.title.as_deref(), Some("support"));
    assert_eq!((s.participants.len(), s.message_count), (2, 1));
    let mut query = SessionQuery::new(10);
    query.participant = Some("agent-7".into());
    let listed = fx.store.list_sessions(query).await.expect("list");
    assert_eq!(listed.items.len(), 1, "listed by its participant");
    fx.clock.advance(Duration::from_secs(61));
    assert!(handle.last(5).await.expect("last").is_empty(), "it expired");
}

/// `History` reads every message in pages, oldest first, across gaps left by pops.
pub async fn history_pages_cover_every_message(fx: &Fixture) {
    let id = create(fx, "paged").await.id;
    append_texts(fx, &id, "m", 23).await;
    fx.store.pop(&id).await.expect("pop");
    append_texts(fx, &id, "n", 2).await;
    let mut pages = History::new(Arc::clone(&fx.store), id.clone(), 10);
    let mut sizes = Vec::new();
    let mut all = Vec::new();
    while let Some(page) = pages.next_page().await.expect("page") {
        sizes.push(page.len());
        all.extend(page);
    }
    assert_eq!(sizes, [10, 10, 4]);
    let want: Vec<u64> = (1..=22).chain([24, 25]).collect();
    assert_eq!(seqs(&all), want);
    assert!(pages.next_page().await.expect("after the end").is_none());
    let missing = History::new(Arc::clone(&fx.store), sid("none"), 10).collect();
    assert_eq!(err_kind(missing.await), ErrorKind::NotFound);
}

/// `get_or_create_session` returns the live session untouched, or creates one from its
/// argument (also in place of an expired one).
pub async fn get_or_create_returns_the_live_session(fx: &Fixture) {
    let new = NewSession::new(sid("goc")).title("first");
    let (created, was_created) = fx.store.get_or_create_session(new).await.expect("create");
    assert!(was_created);
    let again = NewSession::new(sid("goc")).title("second");
    let (got, was_created) = fx.store.get_or_create_session(again).await.expect("get");
    assert!(!was_created);
    assert_eq!(got, created, "the stored session, not the argument");
    let short = NewSession::new(sid("brief")).expiry(Expiry::idle(Duration::from_secs(1)));
    fx.store.get_or_create_session(short).await.expect("create");
    fx.clock.advance(Duration::from_secs(2));
    let fresh = NewSession::new(sid("brief")).title("new");
    let (s, was_created) = fx.store.get_or_create_session(fresh).await.expect("again");
    assert!(was_created, "an expired session is replaced");
    assert_eq!(s.title.as_deref(), Some("new"));
}

/// 8 tasks at once on an absent id: exactly one creates, every one gets the same session.
pub async fn concurrent_get_or_create_creates_once(fx: &Fixture) {
    let mut tasks = Vec::new();
    for task in 0..8 {
        let store = Arc::clone(&fx.store);
        tasks.push(tokio::spawn(async move {
            let new = NewSession::new(sid("raced")).title(format!("by {task}"));
            store
                .get_or_create_session(new)
                .await
                .expect("get or create")
        }));
    }
    let mut created = 0;
    let mut sessions = Vec::new();
    for task in tasks {
        let (s, was_created) = task.await.expect("task");
        created += usize::from(was_created);
        sessions.push(s);
    }
    assert_eq!(created, 1);
    assert!(sessions.iter().all(|s| s == &sessions[0]));
    assert_eq!(session(fx, &sid("raced")).await, sessions[0]);
}
