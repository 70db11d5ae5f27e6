//! `MemoryStore`: the complete in-memory store, the executable reference of the semantics.

mod config;
mod messages;
mod sessions;

use std::collections::HashMap;
use std::sync::{Arc, Mutex, MutexGuard};

use crate::changes::Changes;
use crate::error::{Error, Result};
use crate::id::SessionId;
use crate::listed::Listed;
use crate::message::Message;
use crate::session::Session;
use crate::time::Timestamp;

pub use config::MemoryConfig;
pub use messages::select_messages;

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
    entries: Mutex<Listed<StoredSession>>,
    config: MemoryConfig,
    changes: Arc<Changes>,
}

#[derive(Debug)]
struct StoredSession {
    session: Session,
    messages: Vec<Message>,
    /// The seq of each stored message that has a client key, by key.
    keys: HashMap<String, u64>,
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

    fn lock(&self) -> MutexGuard<'_, Listed<StoredSession>> {
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
    entries: &'a Listed<StoredSession>,
    id: &SessionId,
    now: Timestamp,
) -> Result<&'a StoredSession> {
    match entries.get(id) {
        Some(entry) if !entry.session.is_expired(now) => Ok(entry),
        _ => Err(Error::not_found(id)),
    }
}

/// Runs `change` on the live entry of `id` (its listing kept in step), or `NotFound`.
fn change_live<R>(
    entries: &mut Listed<StoredSession>,
    id: &SessionId,
    now: Timestamp,
    change: impl FnOnce(&mut StoredSession) -> Result<R>,
) -> Result<R> {
    let changed = entries.update(id, |entry| match entry.session.is_expired(now) {
        true => Err(Error::not_found(id)),
        false => change(entry),
    });
    changed.unwrap_or_else(|| Err(Error::not_found(id)))
}

impl StoredSession {
    /// The stored message holding client key `key`, if any.
    fn held(&self, key: &str) -> Option<&Message> {
        let seq = *self.keys.get(key)?;
        let at = self.messages.binary_search_by_key(&seq, |m| m.seq).ok()?;
        self.messages.get(at)
    }
}

impl AsRef<Session> for StoredSession {
    fn as_ref(&self) -> &Session {
        &self.session
    }
}
