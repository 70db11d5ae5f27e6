//! One change detector per store for other processes' writes: a thread with a read-only
//! connection of its own that, every `watch.poll`, asks SQLite whether the file changed
//! (`PRAGMA data_version`, answered from shared memory without reading the database) and, when it
//! did or a watched session's expiry has passed, reads the version and expiry of every watched
//! session in one read transaction and wakes the watches of those that changed, appeared,
//! vanished or expired. Its watches then need no poll of their own (they read again after
//! `watch.recheck` only as a safety net): a thousand watched sessions cost one thread and one
//! query per change, not a thousand polls. It starts with the first watch and stops (closing its
//! connection before the writer's, which must be the last to close) when the store is dropped.

use std::collections::HashMap;
use std::path::Path;
use std::sync::mpsc::{Receiver, RecvTimeoutError, Sender, channel};
use std::sync::{Arc, Weak};
use std::thread::JoinHandle;
use std::time::Duration;

use multichat_core::{Changes, Clock, Context, Error, Result, SessionId, WatchConfig};
use rusqlite::{Connection, OpenFlags, OptionalExtension};

use crate::error::{BACKEND, db};
use crate::store::SqliteStore;
use crate::worker::exec;

/// The running detector; dropping it stops the thread and waits for it.
#[derive(Debug)]
pub struct Detector {
    stop: Option<Sender<()>>,
    thread: Option<JoinHandle<()>>,
}

/// What the detector last saw of one watched session (`None`: no such live row).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Seen {
    version: i64,
    expires_at: Option<i64>,
    /// Whether it had expired when seen (its watches were woken for it then).
    expired: bool,
}

/// The state kept between checks.
#[derive(Default)]
struct Watching {
    data_version: Option<i64>,
    sessions: HashMap<SessionId, Option<Seen>>,
}

impl Detector {
    /// Opens a read-only connection to `path` and starts checking every `poll` for the
    /// sessions `changes` watches, until `changes` is gone or the detector is dropped.
    pub fn start(
        path: &Path,
        changes: Weak<Changes>,
        poll: Duration,
        clock: Arc<dyn Clock>,
    ) -> Result<Self> {
        let flags = OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX;
        let conn = Connection::open_with_flags(path, flags).map_err(db)?;
        let (stop, stopped) = channel();
        let thread = std::thread::Builder::new()
            .name("multichat-sqlite-watch".into())
            .spawn(move || run(&conn, &changes, &stopped, poll, clock.as_ref()))
            .map_err(|e| Error::Backend {
                backend: BACKEND,
                source: Context::new("cannot start the SQLite watch thread", e).into(),
            })?;
        Ok(Self {
            stop: Some(stop),
            thread: Some(thread),
        })
    }
}

/// The watch configuration for a new watch of `store`: rechecking when its detector runs
/// (started here by the first watch) or the database is a private in-memory one (every write
/// is this store's own), polling when the detector failed to start (a later watch tries
/// again).
pub fn watch_config(store: &SqliteStore) -> WatchConfig {
    let config = store.config.watch;
    let Some(path) = &store.path else {
        // A private in-memory database: every write is this store's own and wakes the watches.
        return config.rechecking();
    };
    let mut detector = store.detector.lock().unwrap_or_else(|p| p.into_inner());
    if detector.is_none() {
        let changes = Arc::downgrade(&store.changes);
        let clock = Arc::clone(&store.config.clock);
        match Detector::start(path, changes, config.poll, clock) {
            Ok(started) => *detector = Some(started),
            Err(e) => tracing::warn!(error = %e, "SQLite watches poll: no change detector"),
        }
    }
    if detector.is_some() {
        config.rechecking()
    } else {
        config
    }
}

impl Drop for Detector {
    fn drop(&mut self) {
        drop(self.stop.take());
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

/// The detector's loop: one check per `poll`.
fn run(
    conn: &Connection,
    changes: &Weak<Changes>,
    stopped: &Receiver<()>,
    poll: Duration,
    clock: &dyn Clock,
) {
    let mut watching = Watching::default();
    while let Err(RecvTimeoutError::Timeout) = stopped.recv_timeout(poll) {
        let Some(changes) = changes.upgrade() else {
            return;
        };
        for id in watching.check(conn, changes.watched(), clock.now().0) {
            changes.touch(&id);
        }
    }
}

impl Watching {
    /// The watched sessions whose watches must read again (all of them if the check fails:
    /// a needless read is harmless, a missed one is not).
    fn check(&mut self, conn: &Connection, watched: Vec<SessionId>, now: i64) -> Vec<SessionId> {
        if watched.is_empty() {
            *self = Self::default();
            return watched;
        }
        let version = conn
            .query_row("PRAGMA data_version", [], |r| r.get::<_, i64>(0))
            .ok();
        let unseen = watched.iter().any(|id| !self.sessions.contains_key(id));
        let expiring = self.sessions.values().flatten().any(|s| s.expires(now));
        if version.is_some() && version == self.data_version && !unseen && !expiring {
            return Vec::new();
        }
        self.data_version = version;
        let Ok(now_seen) = read(conn, &watched, now) else {
            self.sessions.clear();
            return watched;
        };
        let touched = watched
            .into_iter()
            .filter(|id| changed(self.sessions.get(id), now_seen.get(id)))
            .collect();
        self.sessions = now_seen;
        touched
    }
}

impl Seen {
    /// Whether it expires by `now` and its watches were not woken for that yet.
    fn expires(&self, now: i64) -> bool {
        !self.expired && self.expires_at.is_some_and(|at| at <= now)
    }
}

/// Whether a watched session changed between two checks (`None` before: never seen).
fn changed(before: Option<&Option<Seen>>, now: Option<&Option<Seen>>) -> bool {
    match (before, now.copied().flatten()) {
        (Some(Some(b)), Some(n)) => b.version != n.version || (n.expired && !b.expired),
        (Some(None), None) => false,
        _ => true,
    }
}

/// The version and expiry of each of `ids`, in one read transaction.
fn read(
    conn: &Connection,
    ids: &[SessionId],
    now: i64,
) -> rusqlite::Result<HashMap<SessionId, Option<Seen>>> {
    exec(conn, "BEGIN")?;
    let read = (|| {
        let mut statement =
            conn.prepare_cached("SELECT version, expires_at FROM sessions WHERE id = ?1")?;
        let mut seen = HashMap::with_capacity(ids.len());
        for id in ids {
            let row = statement
                .query_row([id.as_str()], |r| {
                    let (version, expires_at) = (r.get(0)?, r.get::<_, Option<i64>>(1)?);
                    let expired = expires_at.is_some_and(|at| at <= now);
                    Ok(Seen {
                        version,
                        expires_at,
                        expired,
                    })
                })
                .optional()?;
            seen.insert(id.clone(), row);
        }
        Ok(seen)
    })();
    exec(conn, "COMMIT")?;
    read
}
