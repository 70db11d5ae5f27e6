//! `JsonStore`: opening a store directory (format marker, advisory lock, loading every session)
//! and running each operation under its session's lock, off the async runtime.

use std::fs::{File, OpenOptions};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use multichat_core::backend::Workers;
use multichat_core::{Error, Result, SessionId};

use crate::codec::{FORMAT_VERSION, Marker};
use crate::config::JsonConfig;
use crate::error::{BACKEND, io_at, task_failed};
use crate::fs::create_dirs;
use crate::layout::Layout;
use crate::state::{Change, Locked, Shared};

/// A multichat store in a directory of JSON files. See the crate docs for the layout.
///
/// ```
/// # tokio::runtime::Runtime::new().unwrap().block_on(async {
/// use multichat_core::{MessageQuery, MessageStore, NewMessage, NewSession, SessionId, SessionStore};
/// use multichat_json::{JsonConfig, JsonStore};
///
/// let dir = tempfile::tempdir().unwrap();
/// let store = JsonStore::open(JsonConfig::new(dir.path())).await.unwrap();
/// let id = SessionId::new("s1").unwrap();
/// store.create_session(NewSession::new(id.clone())).await.unwrap();
/// store.append(&id, vec![NewMessage::user("hello")], None).await.unwrap();
/// drop(store);
///
/// let store = JsonStore::open(JsonConfig::new(dir.path())).await.unwrap();
/// assert_eq!(store.read(&id, MessageQuery::last(5)).await.unwrap()[0].content, "hello");
/// # });
/// ```
#[derive(Debug, Clone)]
pub struct JsonStore {
    pub(crate) shared: Arc<Shared>,
    /// The threads that do the file work of every call (`WORKERS` of them).
    workers: Arc<Workers<()>>,
}

/// How many calls do their file work at once (`restore_sessions` writes as many sessions at
/// once, so an import's flushes share journal commits).
pub(crate) const WORKERS: usize = 16;
/// How long a caller polls for its answer before it sleeps (see `Workers`).
const SPIN: Duration = Duration::from_micros(100);

impl JsonStore {
    /// Opens (creating if needed) the store at `config.root`: checks the format marker, takes the
    /// advisory lock (waiting up to `config.lock_timeout` for another process to release it, then
    /// failing with `Unavailable`), and loads
    /// every session, repairing what a crash left behind.
    pub async fn open(config: JsonConfig) -> Result<Self> {
        let shared = tokio::task::spawn_blocking(move || open_blocking(config))
            .await
            .map_err(|e| task_failed(&e))??;
        let workers = Workers::start("multichat-json", vec![(); WORKERS], SPIN, drop);
        Ok(Self {
            shared: Arc::new(shared),
            workers: Arc::new(workers),
        })
    }

    /// Closes the store: releases the advisory lock, so another process can open it at once
    /// (every acknowledged write is already in its files). Dropping the store does the same,
    /// once any operation a cancelled call left running has finished.
    pub async fn close(self) -> Result<()> {
        tokio::task::spawn_blocking(move || drop(self))
            .await
            .map_err(|e| task_failed(&e))
    }

    /// Runs `op` on session `id` under its write lock, on a worker thread (which, unlike
    /// `spawn_blocking`, polls for work instead of being woken for every call: a read of the
    /// last 20 messages cost half again as much in `spawn_blocking`); applies what it did
    /// to the in-memory state, or re-reads the session's files if it failed on I/O or panicked.
    pub(crate) async fn run<T, F>(&self, id: &SessionId, op: F) -> Result<T>
    where
        T: Send + 'static,
        F: FnOnce(Locked<'_>) -> Result<(T, Change)> + Send + 'static,
    {
        let guard = self.shared.lock_for(id).lock_owned().await;
        let (shared, id) = (Arc::clone(&self.shared), id.clone());
        let task = self.workers.call(move |_: &mut ()| {
            let _guard = guard;
            shared.reload_marked()?;
            shared.check_damage(&id)?;
            let current = shared.map().get(&id).cloned();
            let ctx = Locked {
                shared: &shared,
                id: &id,
                current,
                now: shared.config.clock.now(),
            };
            // A panic inside the operation (a bug, a file system that panics) fails this call
            // alone: the session is re-read from its files, as after an I/O error.
            let done = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| op(ctx)))
                .unwrap_or_else(|_| Err(crate::error::panicked(&id)));
            match done {
                Ok((value, after)) => {
                    shared.apply(&id, after);
                    Ok(value)
                }
                Err(e) => {
                    if e.kind() == multichat_core::ErrorKind::Backend {
                        shared.reload_or_mark(&id);
                    }
                    Err(e)
                }
            }
        });
        task.await.ok_or_else(crate::error::worker_stopped)?
    }

    /// Re-reads sessions whose last write failed, before a read of the in-memory state.
    pub(crate) async fn reload_marked(&self) -> Result<()> {
        if self
            .shared
            .dirty
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .is_empty()
        {
            return Ok(());
        }
        let shared = Arc::clone(&self.shared);
        tokio::task::spawn_blocking(move || shared.reload_marked())
            .await
            .map_err(|e| task_failed(&e))?
    }
}

fn open_blocking(config: JsonConfig) -> Result<Shared> {
    multichat_core::backend::refuse_tilde(&config.root)?;
    let layout = Layout::new(&config.root);
    create_dirs(layout.root()).map_err(io_at(layout.root()))?;
    let lock = take_lock(layout.root(), config.lock_timeout)?;
    check_marker(&layout, &config)?;
    let files = record_files(&layout.sessions_dir()).map_err(io_at(&layout.sessions_dir()))?;
    let (sessions, damaged) = crate::damage::load_all(&config, &layout, files)?;
    Ok(Shared {
        layout,
        config,
        sessions: Mutex::new(sessions),
        damaged: Mutex::new(damaged),
        dirty: Mutex::default(),
        locks: Mutex::default(),
        _lock: lock,
        changes: Arc::default(),
        keys: Default::default(),
    })
}

/// Writes the marker in a new store; refuses a directory that is not a store of a known version.
fn check_marker(layout: &Layout, config: &JsonConfig) -> Result<()> {
    let path = layout.marker();
    let name = path.display().to_string();
    let Ok(bytes) = std::fs::read(&path) else {
        if layout.sessions_dir().exists() {
            return Err(Error::corrupt(
                name,
                "the format marker is missing from an existing store",
            ));
        }
        return write_marker(layout, config);
    };
    let marker: Marker =
        serde_json::from_slice(&bytes).map_err(|e| Error::corrupt(&name, e.to_string()))?;
    if marker.format != "multichat-json" || marker.version > FORMAT_VERSION {
        return Err(Error::Incompatible {
            what: format!("JSON store format ({name}: {:?})", marker.format),
            found: marker.version.to_string(),
            supported: FORMAT_VERSION.to_string(),
        });
    }
    Ok(())
}

/// Writes the marker of a new store atomically (temp file, fsync, rename, fsync of the root).
fn write_marker(layout: &Layout, config: &JsonConfig) -> Result<()> {
    let (path, tmp) = (
        layout.marker(),
        layout.root().join("multichat-json.json.tmp"),
    );
    let marker = Marker {
        format: "multichat-json".into(),
        version: FORMAT_VERSION,
    };
    let bytes = serde_json::to_vec(&marker).expect("marker");
    config.fs.write_new(&tmp, &bytes).map_err(io_at(&tmp))?;
    config.fs.sync(&tmp).map_err(io_at(&tmp))?;
    config.fs.rename(&tmp, &path).map_err(io_at(&path))?;
    config.fs.sync(layout.root()).map_err(io_at(layout.root()))
}

/// Takes the advisory lock on `root/lock`, waiting up to `timeout` for another process to
/// release it (checked every 10 ms); held until the store is dropped.
fn take_lock(root: &Path, timeout: Duration) -> Result<File> {
    let path = root.join("lock");
    let file = OpenOptions::new()
        .create(true)
        .truncate(false)
        .write(true)
        .open(&path)
        .map_err(io_at(&path))?;
    let deadline = Instant::now() + timeout;
    while file.try_lock().is_err() {
        if Instant::now() >= deadline {
            return Err(Error::Unavailable {
                backend: BACKEND,
                source: format!(
                    "the JSON store at {} is open in another process (lock held on {}; waited \
                     {} ms, JsonConfig::lock_timeout)",
                    root.display(),
                    path.display(),
                    timeout.as_millis()
                )
                .into(),
            });
        }
        std::thread::sleep(Duration::from_millis(10));
    }
    Ok(file)
}

/// Every `*.json` record file under `dir`, recursively (long ids are split into directories).
fn record_files(dir: &Path) -> std::io::Result<Vec<PathBuf>> {
    let mut out = Vec::new();
    let Ok(entries) = std::fs::read_dir(dir) else {
        return Ok(out);
    };
    for entry in entries {
        // The entry's type comes with the directory listing: no `stat` per file.
        let entry = entry?;
        let path = entry.path();
        if entry.file_type()?.is_dir() {
            out.extend(record_files(&path)?);
        } else if path.extension().is_some_and(|e| e == "json") {
            out.push(path);
        }
    }
    Ok(out)
}
