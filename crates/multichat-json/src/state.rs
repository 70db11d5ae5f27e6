//! The shared state of an open JSON store: every session's current state in memory (the files
//! are the truth; this is their cache, kept exact because one process holds the store's lock),
//! per-session write locks, and the sessions to re-load after a failed write.

use std::collections::{HashMap, HashSet};
use std::fs::File;
use std::sync::{Arc, Mutex, MutexGuard};

use multichat_core::backend::Listed;
use multichat_core::{Error, Result, SessionId, Timestamp};

use crate::config::JsonConfig;
use crate::fs::FileSystem;
use crate::layout::Layout;
use crate::recover::{self, SessionState};

/// What an operation did to a session's state.
pub enum Change {
    /// Nothing changed.
    Keep,
    /// The session is now this.
    Set(SessionState),
    /// The session is gone.
    Remove,
}

/// What an operation gets: the store, the session's id and current state, and the time.
pub struct Locked<'a> {
    /// The store.
    pub shared: &'a Shared,
    /// The session.
    pub id: &'a SessionId,
    /// Its state (present even if expired), or `None`.
    pub current: Option<SessionState>,
    /// Now.
    pub now: Timestamp,
}

/// The open store.
#[derive(Debug)]
pub struct Shared {
    /// The paths.
    pub layout: Layout,
    /// The settings.
    pub config: JsonConfig,
    /// Every session's state, with the listing index.
    pub sessions: Mutex<Listed<SessionState>>,
    /// Sessions found damaged when the store opened (see `crate::damage`).
    pub damaged: Mutex<HashMap<SessionId, crate::damage::Damage>>,
    /// Sessions whose files must be re-read before use (a write to them failed).
    pub dirty: Mutex<HashSet<SessionId>>,
    /// One write lock per session.
    pub locks: Mutex<HashMap<SessionId, Arc<tokio::sync::Mutex<()>>>>,
    /// The advisory lock on the store, held while it is open.
    pub _lock: File,
    /// Wakes the watches of a session this store wrote.
    pub changes: Arc<multichat_core::Changes>,
    /// The client-key indexes of the sessions appended to with keys (`crate::keys`).
    pub keys: crate::keys::KeyIndexes,
}

impl Shared {
    /// The file system.
    pub fn fs(&self) -> &dyn FileSystem {
        self.config.fs.as_ref()
    }

    /// The sessions.
    pub fn map(&self) -> MutexGuard<'_, Listed<SessionState>> {
        self.sessions.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// The write lock of `id`.
    pub fn lock_for(&self, id: &SessionId) -> Arc<tokio::sync::Mutex<()>> {
        let mut locks = self.locks.lock().unwrap_or_else(|p| p.into_inner());
        Arc::clone(locks.entry(id.clone()).or_default())
    }

    /// Records the outcome of a successful operation.
    pub fn apply(&self, id: &SessionId, after: Change) {
        match after {
            Change::Keep => {}
            Change::Set(entry) => {
                self.map().insert(entry);
            }
            Change::Remove => {
                self.map().remove(id);
                // Its key index (if any) no longer matches anything.
                self.keys
                    .lock()
                    .unwrap_or_else(|p| p.into_inner())
                    .remove(id);
            }
        }
    }

    /// After a failed write, re-reads the session from disk (repairing a torn append); if that
    /// fails too, the session is re-read before its next use.
    pub fn reload_or_mark(&self, id: &SessionId) {
        let mut dirty = self.dirty.lock().unwrap_or_else(|p| p.into_inner());
        match self.reload(id) {
            Ok(()) => dirty.remove(id),
            Err(_) => dirty.insert(id.clone()),
        };
    }

    /// Re-reads every session marked dirty; the first failure is returned.
    pub fn reload_marked(&self) -> Result<()> {
        let ids: Vec<SessionId> = self
            .dirty
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .iter()
            .cloned()
            .collect();
        for id in ids {
            self.reload(&id)?;
            self.dirty
                .lock()
                .unwrap_or_else(|p| p.into_inner())
                .remove(&id);
        }
        Ok(())
    }

    /// Replaces the in-memory state of `id` with what its files say.
    fn reload(&self, id: &SessionId) -> Result<()> {
        let record = self.layout.record(id.as_str());
        if !record.exists() {
            self.map().remove(id);
            return Ok(());
        }
        let entry = recover::load(self.fs(), &self.layout, &record)?;
        self.map().insert(entry);
        Ok(())
    }
}

/// The entry of `ctx` if the session is live, or `NotFound`.
pub fn live(ctx: &Locked<'_>) -> Result<SessionState> {
    match &ctx.current {
        Some(e) if !e.session.is_expired(ctx.now) => Ok(e.clone()),
        _ => Err(Error::not_found(ctx.id)),
    }
}
