//! The listing order and its keyset cursor, shared by every backend.

use std::cmp::Ordering;

use crate::error::{Error, Result};
use crate::id::SessionId;
use crate::query::{Page, SessionQuery};
use crate::session::Session;
use crate::time::Timestamp;

/// A position in the listing order: the `(updated_at, id)` of the last session of a page.
///
/// Encoded as `"<updated_at>:<id>"`; the next page holds the sessions strictly after it in the
/// order newest `updated_at` first, then id ascending.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ListCursor {
    /// `updated_at` of the last listed session.
    pub updated_at: Timestamp,
    /// Its id.
    pub id: SessionId,
}

impl ListCursor {
    /// The cursor just after `session`.
    pub fn after(session: &Session) -> Self {
        Self {
            updated_at: session.updated_at,
            id: session.id.clone(),
        }
    }

    /// The opaque text form.
    pub fn encode(&self) -> String {
        format!("{}:{}", self.updated_at.0, self.id)
    }

    /// Parses the text form; anything else is [`Error::InvalidInput`].
    pub fn decode(text: &str) -> Result<Self> {
        let bad = || Error::invalid("cursor", "not a cursor returned by a listing");
        let (ts, id) = text.split_once(':').ok_or_else(bad)?;
        let updated_at = Timestamp(ts.parse().map_err(|_| bad())?);
        let id = SessionId::new(id).map_err(|_| bad())?;
        Ok(Self { updated_at, id })
    }

    /// True when `(updated_at, id)` comes strictly after this cursor in the listing order.
    pub fn precedes(&self, updated_at: Timestamp, id: &SessionId) -> bool {
        listing_order((self.updated_at, &self.id), (updated_at, id)) == Ordering::Less
    }
}

/// The listing order: newest `updated_at` first, then id ascending.
pub fn listing_order(a: (Timestamp, &SessionId), b: (Timestamp, &SessionId)) -> Ordering {
    b.0.cmp(&a.0).then_with(|| a.1.cmp(b.1))
}

/// Builds a page from up to `limit + 1` sessions already in listing order: the extra one, if
/// present, only tells that a next page exists.
pub fn page_of(mut sessions: Vec<Session>, limit: usize) -> Page<Session> {
    if sessions.len() <= limit {
        return Page::new(sessions, None);
    }
    sessions.truncate(limit);
    let next = sessions.last().map(|s| ListCursor::after(s).encode());
    Page::new(sessions, next)
}

/// The page of the `limit` first sessions of `sessions` (already filtered) in listing order:
/// selects the top `limit + 1` without sorting or cloning the others.
pub fn top_page<'a>(sessions: impl Iterator<Item = &'a Session>, limit: usize) -> Page<Session> {
    let order =
        |a: &&Session, b: &&Session| listing_order((a.updated_at, &a.id), (b.updated_at, &b.id));
    let mut found: Vec<&Session> = sessions.collect();
    if found.len() > limit + 1 {
        found.select_nth_unstable_by(limit, order);
        found.truncate(limit + 1);
    }
    found.sort_by(order);
    page_of(found.into_iter().cloned().collect(), limit)
}

/// The page `query` selects from all `sessions` (live or not) at `now`: live ones, with the
/// participant, after the cursor, the first `query.limit` in listing order. For stores that keep
/// their sessions in memory.
pub fn list_page<'a>(
    sessions: impl Iterator<Item = &'a Session>,
    query: &SessionQuery,
    cursor: Option<&ListCursor>,
    now: Timestamp,
) -> Page<Session> {
    let found = sessions
        .filter(|s| !s.is_expired(now))
        .filter(|s| {
            query
                .participant
                .as_ref()
                .is_none_or(|p| s.participants.contains(p))
        })
        .filter(|s| cursor.is_none_or(|c| c.precedes(s.updated_at, &s.id)));
    top_page(found, query.limit)
}
