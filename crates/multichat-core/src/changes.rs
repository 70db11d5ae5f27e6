//! A store's signal to its own watchers that a session changed: a store that knows about its
//! writes (memory, and any process's own writes to SQLite or JSON) wakes the watches of the
//! session at once instead of leaving them to their next poll. One `Notify` per watched session,
//! shared by its watchers and gone with the last of them.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, Weak};

use tokio::sync::Notify;

use crate::id::SessionId;
use crate::store::MessageStore;
use crate::watch::{MessageStream, WatchConfig};

/// The watched sessions of one store and their signals.
///
/// ```
/// use multichat_core::{Changes, SessionId};
///
/// let changes = Changes::default();
/// changes.touch(&SessionId::new("nobody-watches")?); // costs a map lookup
/// # Ok::<(), multichat_core::Error>(())
/// ```
#[derive(Debug, Default)]
pub struct Changes {
    watched: Mutex<HashMap<SessionId, Weak<Notify>>>,
}

impl Changes {
    /// Wakes the watches of `id` (call it after a write of `id` committed).
    pub fn touch(&self, id: &SessionId) {
        let signal = self.lock().get(id).and_then(Weak::upgrade);
        if let Some(signal) = signal {
            signal.notify_waiters();
        }
    }

    /// Wakes every watch (something changed that this store cannot name, e.g. another process
    /// wrote).
    pub fn touch_all(&self) {
        let signals: Vec<Arc<Notify>> = self.lock().values().filter_map(Weak::upgrade).collect();
        signals.iter().for_each(|s| s.notify_waiters());
    }

    /// The sessions watched now (for a store that listens for other processes' writes to
    /// them).
    pub fn watched(&self) -> Vec<SessionId> {
        let watched = self.lock();
        let live = watched
            .iter()
            .filter(|(_, signal)| signal.strong_count() > 0);
        live.map(|(id, _)| id.clone()).collect()
    }

    /// Follows `id` in `store` like [`crate::follow`], woken at once by [`Changes::touch`]
    /// (`config.poll` then only bounds how late another process's writes and an expiry are
    /// seen).
    pub fn follow<S: MessageStore + ?Sized + 'static>(
        &self,
        store: Arc<S>,
        id: SessionId,
        after_seq: u64,
        config: WatchConfig,
    ) -> MessageStream {
        let signal = self.signal(&id);
        crate::watch::stream(store, id, after_seq, config, Some(signal))
    }

    /// The signal of `id`, shared by its watches (entries of sessions nobody watches any more
    /// are dropped here).
    fn signal(&self, id: &SessionId) -> Arc<Notify> {
        let mut watched = self.lock();
        watched.retain(|_, signal| signal.strong_count() > 0);
        if let Some(signal) = watched.get(id).and_then(Weak::upgrade) {
            return signal;
        }
        let signal = Arc::new(Notify::new());
        watched.insert(id.clone(), Arc::downgrade(&signal));
        signal
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<SessionId, Weak<Notify>>> {
        self.watched.lock().unwrap_or_else(|p| p.into_inner())
    }
}
