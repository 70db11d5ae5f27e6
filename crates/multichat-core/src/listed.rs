//! Sessions kept in memory with their listing index, for the stores that hold every session in
//! process memory (memory, JSON): a page of the listing costs O(page · log n) — a walk of an
//! ordered set from the cursor — instead of a pass over every session.
//!
//! The index holds every session present, expired or not (an expiry is not a write); a page skips
//! the expired ones it meets, so a store with many expired sessions not yet purged pays for each
//! one a page walks past.
//!
//! ```
//! use multichat_core::backend::Listed;
//! use multichat_core::{NewSession, Session, SessionId, SessionQuery, Timestamp};
//!
//! let mut listed: Listed<Session> = Listed::default();
//! for (i, id) in ["a", "b", "c"].into_iter().enumerate() {
//!     let id = SessionId::new(id)?;
//!     listed.insert(Session::create(NewSession::new(id), Timestamp(i as i64)));
//! }
//! let page = listed.page(&SessionQuery::new(2), None, Timestamp(10));
//! let ids: Vec<&str> = page.items.iter().map(|s| s.id.as_str()).collect();
//! assert_eq!(ids, ["c", "b"]); // newest first
//! # Ok::<(), multichat_core::Error>(())
//! ```

use std::cmp::Reverse;
use std::collections::{BTreeSet, HashMap};
use std::ops::Bound;

use crate::cursor::{ListCursor, page_of};
use crate::id::SessionId;
use crate::query::{Page, SessionQuery};
use crate::session::Session;
use crate::time::Timestamp;

/// A session's place in the listing order: newest `updated_at` first, then id ascending.
type Key = (Reverse<Timestamp>, SessionId);

/// Entries (a session and whatever a store keeps with it) by id, and their listing index: every
/// session in order, and the sessions of each participant in order.
#[derive(Debug)]
pub struct Listed<E> {
    entries: HashMap<SessionId, E>,
    all: BTreeSet<Key>,
    by_participant: HashMap<String, BTreeSet<Key>>,
}

impl<E> Default for Listed<E> {
    fn default() -> Self {
        Self {
            entries: HashMap::new(),
            all: BTreeSet::new(),
            by_participant: HashMap::new(),
        }
    }
}

impl<E: AsRef<Session>> Listed<E> {
    /// Puts `entry` under its session's id, replacing (and returning) the one there.
    pub fn insert(&mut self, entry: E) -> Option<E> {
        let s = entry.as_ref();
        let (id, key) = (s.id.clone(), key(s));
        let old = self.remove(&id);
        index(
            &mut self.all,
            &mut self.by_participant,
            key,
            &s.participants,
            true,
        );
        self.entries.insert(id, entry);
        old
    }

    /// Removes and returns the entry of `id`.
    pub fn remove(&mut self, id: &SessionId) -> Option<E> {
        let old = self.entries.remove(id)?;
        let s = old.as_ref();
        index(
            &mut self.all,
            &mut self.by_participant,
            key(s),
            &s.participants,
            false,
        );
        Some(old)
    }

    /// The entry of `id`.
    pub fn get(&self, id: &SessionId) -> Option<&E> {
        self.entries.get(id)
    }

    /// Runs `change` on the entry of `id` (`None` when there is none), keeping the index in step
    /// with whatever it did to the session's `updated_at` and participants.
    pub fn update<R>(&mut self, id: &SessionId, change: impl FnOnce(&mut E) -> R) -> Option<R> {
        let entry = self.entries.get_mut(id)?;
        let before = entry.as_ref();
        let (updated_at, participants) = (before.updated_at, before.participants.clone());
        let result = change(entry);
        let after = entry.as_ref();
        let (all, by) = (&mut self.all, &mut self.by_participant);
        let was = (Reverse(updated_at), id.clone());
        if after.participants != participants {
            index(all, by, was, &participants, false);
            index(all, by, key(after), &after.participants, true);
        } else if after.updated_at != updated_at {
            // Only the time moved (an append): the key moves within each of its sets.
            let now = key(after);
            all.remove(&was);
            all.insert(now.clone());
            for p in &participants {
                if let Some(set) = by.get_mut(p) {
                    set.remove(&was);
                    set.insert(now.clone());
                }
            }
        }
        Some(result)
    }

    /// Every entry, in no order.
    pub fn values(&self) -> impl Iterator<Item = &E> {
        self.entries.values()
    }

    /// The page `query` selects at `now`: live sessions, with its participant, after `cursor`,
    /// the first `query.limit` in listing order.
    pub fn page(
        &self,
        query: &SessionQuery,
        cursor: Option<&ListCursor>,
        now: Timestamp,
    ) -> Page<Session> {
        let set = match &query.participant {
            Some(p) => match self.by_participant.get(p) {
                Some(set) => set,
                None => return Page::new(Vec::new(), None),
            },
            None => &self.all,
        };
        let from = match cursor {
            Some(c) => Bound::Excluded((Reverse(c.updated_at), c.id.clone())),
            None => Bound::Unbounded,
        };
        let found = set
            .range((from, Bound::Unbounded))
            .filter_map(|(_, id)| self.entries.get(id).map(AsRef::as_ref))
            .filter(|s| !s.is_expired(now))
            .take(query.limit + 1)
            .cloned()
            .collect();
        page_of(found, query.limit)
    }
}

/// The place of `s` in the listing order.
fn key(s: &Session) -> Key {
    (Reverse(s.updated_at), s.id.clone())
}

/// Adds (`add`) or removes `key`, of a session with `participants`, in the index.
fn index(
    all: &mut BTreeSet<Key>,
    by_participant: &mut HashMap<String, BTreeSet<Key>>,
    key: Key,
    participants: &[String],
    add: bool,
) {
    for p in participants {
        if add {
            match by_participant.get_mut(p) {
                Some(set) => drop(set.insert(key.clone())),
                None => drop(by_participant.insert(p.clone(), BTreeSet::from([key.clone()]))),
            }
        } else if let Some(set) = by_participant.get_mut(p) {
            set.remove(&key);
            if set.is_empty() {
                by_participant.remove(p);
            }
        }
    }
    if add {
        all.insert(key);
    } else {
        all.remove(&key);
    }
}
