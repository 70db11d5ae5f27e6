//! `FaultyStore`: a `MemoryStore` that fails, hangs or loses its contents on command, and can
//! pause one `get_session` after it has read its answer (to stage read-fill races).

use std::sync::atomic::{AtomicU8, Ordering};
use std::sync::{Arc, Mutex, RwLock};

use multichat_core::{Error, MemoryStore, Result};
use tokio::sync::Notify;

/// How the store behaves now.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    /// Works.
    Normal = 0,
    /// Every call fails with `Unavailable`.
    Fail = 1,
    /// Every call hangs forever (until the caller gives up).
    Hang = 2,
}

/// A pause armed with [`FaultyStore::pause_get`]: `reached` is notified when a `get_session` has
/// read its answer and waits; `release` lets it return.
#[derive(Debug, Clone, Default)]
pub struct Pause {
    /// Notified when the paused call is waiting.
    pub reached: Arc<Notify>,
    /// Notify to let it return.
    pub release: Arc<Notify>,
}

/// A store whose faults the test controls.
#[derive(Debug, Default)]
pub struct FaultyStore {
    pub(crate) inner: RwLock<Arc<MemoryStore>>,
    mode: AtomicU8,
    pause: Mutex<Option<(usize, Pause)>>,
}

impl FaultyStore {
    /// A working, empty store.
    pub fn new() -> Self {
        Self::default()
    }

    /// Switches the behaviour of every following call.
    pub fn set_mode(&self, mode: Mode) {
        self.mode.store(mode as u8, Ordering::SeqCst);
    }

    /// Forgets everything stored (as a cache server that restarted without persistence).
    pub fn lose_contents(&self) {
        *self.inner.write().unwrap_or_else(|p| p.into_inner()) = Arc::new(MemoryStore::new());
    }

    /// Pauses the `get_session` call after `skip` others, once.
    pub fn pause_get(&self, skip: usize) -> Pause {
        let pause = Pause::default();
        *self.pause.lock().unwrap_or_else(|p| p.into_inner()) = Some((skip, pause.clone()));
        pause
    }

    /// The store to delegate to, after applying the current mode.
    pub(crate) async fn gate(&self) -> Result<Arc<MemoryStore>> {
        match self.mode.load(Ordering::SeqCst) {
            1 => Err(Error::Unavailable {
                backend: "faulty",
                source: "injected failure".into(),
            }),
            2 => std::future::pending().await,
            _ => Ok(Arc::clone(
                &self.inner.read().unwrap_or_else(|p| p.into_inner()),
            )),
        }
    }

    /// Waits here if this `get_session` is the one to pause.
    pub(crate) async fn maybe_pause(&self) {
        let armed = {
            let mut slot = self.pause.lock().unwrap_or_else(|p| p.into_inner());
            match slot.as_mut() {
                Some((0, pause)) => Some(pause.clone()).filter(|_| slot.take().is_some()),
                Some((skip, _)) => {
                    *skip -= 1;
                    None
                }
                None => None,
            }
        };
        if let Some(pause) = armed {
            let released = pause.release.notified();
            pause.reached.notify_one();
            released.await;
        }
    }
}
