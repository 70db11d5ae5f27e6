//! Queries: which messages to read, which sessions to list, and pages of results.

use serde::{Deserialize, Serialize};

/// Which messages to read. Results are always in chronological (ascending seq) order.
///
/// ```
/// use multichat_core::MessageQuery;
/// let q = MessageQuery::last(20);
/// assert_eq!(q.limit(), 20);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum MessageQuery {
    /// The last `n` messages.
    Last {
        /// How many.
        n: usize,
    },
    /// The first `limit` messages with a seq greater than `seq`.
    After {
        /// Exclusive lower bound.
        seq: u64,
        /// How many at most.
        limit: usize,
    },
    /// The last `limit` messages with a seq smaller than `seq`.
    Before {
        /// Exclusive upper bound.
        seq: u64,
        /// How many at most.
        limit: usize,
    },
    /// The newest messages whose token counts add up to at most `tokens`, at most `limit` of
    /// them ([`MessageQuery::budget`]).
    Budget {
        /// The budget.
        tokens: u64,
        /// How many at most.
        limit: usize,
        /// What a message without a token count counts as.
        uncounted: u32,
    },
}

impl MessageQuery {
    /// The last `n` messages.
    pub fn last(n: usize) -> Self {
        Self::Last { n }
    }

    /// Up to `limit` messages after `seq` (exclusive).
    pub fn after(seq: u64, limit: usize) -> Self {
        Self::After { seq, limit }
    }

    /// Up to `limit` messages before `seq` (exclusive), the closest to it.
    pub fn before(seq: u64, limit: usize) -> Self {
        Self::Before { seq, limit }
    }

    /// The most messages this query returns.
    pub fn limit(self) -> usize {
        match self {
            Self::Last { n } => n,
            Self::After { limit, .. } | Self::Before { limit, .. } | Self::Budget { limit, .. } => {
                limit
            }
        }
    }
}

/// Which sessions to list: newest `updated_at` first, ties by id ascending. A [`Page`] carries
/// the cursor of the next one.
///
/// ```
/// # tokio::runtime::Runtime::new().unwrap().block_on(async {
/// use multichat_core::{MemoryStore, NewSession, SessionId, SessionQuery, SessionStore};
///
/// let store = MemoryStore::new();
/// for i in 0..5 {
///     let new = NewSession::new(SessionId::new(format!("s{i}"))?).participant("ana");
///     store.create_session(new).await?;
/// }
/// let (mut seen, mut cursor) = (0, None);
/// loop {
///     let mut query = SessionQuery::new(2).cursor(cursor);
///     query.participant = Some("ana".into());
///     let page = store.list_sessions(query).await?;
///     seen += page.items.len();
///     cursor = page.next_cursor;
///     if cursor.is_none() { break; }
/// }
/// assert_eq!(seen, 5);
/// # Ok::<(), multichat_core::Error>(())
/// # }).unwrap();
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct SessionQuery {
    /// Only sessions with this participant.
    pub participant: Option<String>,
    /// The page size (at most the store's page limit).
    pub limit: usize,
    /// Where the previous page ended ([`Page::next_cursor`]).
    pub cursor: Option<String>,
}

impl Default for SessionQuery {
    fn default() -> Self {
        Self {
            participant: None,
            limit: 100,
            cursor: None,
        }
    }
}

impl SessionQuery {
    /// The first page of `limit` sessions.
    pub fn new(limit: usize) -> Self {
        Self {
            limit,
            ..Self::default()
        }
    }

    /// Only sessions with `participant`.
    pub fn participant(mut self, participant: impl Into<String>) -> Self {
        self.participant = Some(participant.into());
        self
    }

    /// Continue after `cursor`.
    pub fn cursor(mut self, cursor: Option<String>) -> Self {
        self.cursor = cursor;
        self
    }
}

/// One page of a listing.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Page<T> {
    /// The items of this page.
    pub items: Vec<T>,
    /// Pass this as [`SessionQuery::cursor`] for the next page; `None` on the last page.
    pub next_cursor: Option<String>,
}

impl<T> Page<T> {
    /// A page of `items` with an optional cursor to the next.
    pub fn new(items: Vec<T>, next_cursor: Option<String>) -> Self {
        Self { items, next_cursor }
    }
}
