//! `MemoryStore`: the complete in-memory store, the executable reference of the semantics.

mod messages;
mod sessions;

use std::collections::HashMap;
use std::sync::{Arc, Mutex, MutexGuard};

use crate::changes::Changes;
use crate::error::{Error, Result};
use crate::id::SessionId;
use crate::limits::Limits;
use crate::message::Message;
use crate::session::Session;
use crate::time::{Clock, SystemClock, Timestamp};
use crate::watch::WatchConfig;

pub use messages::select_messages;

/// Settings of a [`MemoryStore`].
///
/// ```
/// use std::sync::Arc;
/// use multichat_core::{ManualClock, MemoryConfig, MemoryStore};
///
/// let clock = ManualClock::new(); // tests drive expiry without sleeping
/// let store = MemoryStore::with_config(MemoryConfig::default().clock(Arc::new(clock.clone())));
/// # drop(store);
/// ```
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct MemoryConfig {
    /// Size limits.
    pub limits: Limits,
    /// The clock (the system clock by default).
    pub clock: Arc<dyn Clock>,
    /// How its watches read; this store wakes them at once on its writes (handing them what it
    /// appended), so they read on their own only every `recheck`, which bounds how late an
    /// expiry is seen.
    pub watch: WatchConfig,
}

impl Default for MemoryConfig {
    fn default() -> Self {
        Self {
            limits: Limits::default(),
            clock: Arc::new(SystemClock),
            watch: WatchConfig::default(),
        }
    }
}

impl MemoryConfig {
    /// Sets the limits.
    pub fn limits(mut self, limits: Limits) -> Self {
        self.limits = limits;
        self
    }

    /// Sets the clock.
    pub fn clock(mut self, clock: Arc<dyn Clock>) -> Self {
        self.clock = clock;
        self
    }

    /// Sets how watches read.
    pub fn watch(mut self, watch: WatchConfig) -> Self {
        self.watch = watch;
        self
    }
}

/// A store that keeps everything in process memory: nothing survives the process. Use it in
/// tests and as the reference every other backend is checked against.
///
/// ```
/// # tokio::runtime::Runtime::new().unwrap().block_on(async {
/// use multichat_core::{MemoryStore, MessageQuery, MessageStore, NewMessage, NewSession, SessionId, SessionStore};
/// let store = MemoryStore::new();
/// let id = SessionId::new("s1").unwrap();
/// store.create_session(NewSession::new(id.clone())).await.unwrap();
/// let seqs = store.append(&id, vec![NewMessage::user("a"), NewMessage::assistant("b")], None).await.unwrap();
/// assert_eq!(seqs, [1, 2]);
/// let last = store.read(&id, MessageQuery::last(1)).await.unwrap();
/// assert_eq!(last[0].content, "b");
/// # });
/// ```
#[derive(Debug, Default)]
pub struct MemoryStore {
    entries: Mutex<HashMap<SessionId, StoredSession>>,
    config: MemoryConfig,
    changes: Arc<Changes>,
}

#[derive(Debug)]
struct StoredSession {
    session: Session,
    messages: Vec<Message>,
}

impl MemoryStore {
    /// An empty store with default settings.
    pub fn new() -> Self {
        Self::default()
    }

    /// An empty store with `config`.
    pub fn with_config(config: MemoryConfig) -> Self {
        Self {
            entries: Mutex::default(),
            config,
            changes: Arc::default(),
        }
    }

    fn lock(&self) -> MutexGuard<'_, HashMap<SessionId, StoredSession>> {
        self.entries
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    fn now(&self) -> Timestamp {
        self.config.clock.now()
    }
}

/// The live (present and unexpired) entry of `id`, or `NotFound`.
fn live<'a>(
    entries: &'a mut HashMap<SessionId, StoredSession>,
    id: &SessionId,
    now: Timestamp,
) -> Result<&'a mut StoredSession> {
    match entries.get_mut(id) {
        Some(entry) if !entry.session.is_expired(now) => Ok(entry),
        _ => Err(Error::not_found(id)),
    }
}
