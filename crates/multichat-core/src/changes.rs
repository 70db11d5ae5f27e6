//! A store's signal to its own watchers that a session changed: a store that knows about its
//! writes (memory, and any process's own writes to SQLite or JSON) wakes the watches of the
//! session at once instead of leaving them to their next poll, and a store that knows what was
//! appended hands the messages over with the wake-up ([`Changes::appended`]), so the watches
//! deliver them without reading them back. One signal per watched session, shared by its
//! watchers and gone with the last of them.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, Weak};

use crate::id::SessionId;
use crate::message::Message;
use crate::signal::Signal;
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
    watched: Mutex<HashMap<SessionId, Weak<Signal>>>,
}

impl Changes {
    /// Wakes the watches of `id` (call it after a write of `id` committed); they read the
    /// store.
    pub fn touch(&self, id: &SessionId) {
        let signal = self.lock().get(id).and_then(Weak::upgrade);
        if let Some(signal) = signal {
            signal.changed();
        }
    }

    /// Wakes the watches of `id` with `messages`, just appended to it (committed, ascending,
    /// as stored): a watch whose next seq they hold delivers them without reading.
    pub fn appended(&self, id: &SessionId, messages: &[Message]) {
        let signal = self.lock().get(id).and_then(Weak::upgrade);
        if let Some(signal) = signal {
            signal.appended(messages);
        }
    }

    /// Whether `id` is watched now: a store that must copy what it appended to hand it over
    /// ([`Changes::appended`]) can skip the copy, and [`Changes::touch`] instead, when not.
    pub fn is_watched(&self, id: &SessionId) -> bool {
        self.lock().get(id).is_some_and(|s| s.strong_count() > 0)
    }

    /// Wakes every watch (something changed that this store cannot name, e.g. another process
    /// wrote).
    pub fn touch_all(&self) {
        let signals: Vec<Arc<Signal>> = self.lock().values().filter_map(Weak::upgrade).collect();
        signals.iter().for_each(|s| s.changed());
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
    fn signal(&self, id: &SessionId) -> Arc<Signal> {
        let mut watched = self.lock();
        watched.retain(|_, signal| signal.strong_count() > 0);
        if let Some(signal) = watched.get(id).and_then(Weak::upgrade) {
            return signal;
        }
        let signal = Arc::new(Signal::default());
        watched.insert(id.clone(), Arc::downgrade(&signal));
        signal
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<SessionId, Weak<Signal>>> {
        self.watched.lock().unwrap_or_else(|p| p.into_inner())
    }
}
