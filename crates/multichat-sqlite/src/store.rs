//! `SqliteStore`: opening a database file (checks, pragmas, migrations) and dispatching work to
//! the writer thread and the reader pool.

use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use multichat_core::{Changes, Result, Timestamp};
use rusqlite::{Connection, OpenFlags};

use crate::config::SqliteConfig;
use crate::detector::Detector;
use crate::error::db;
use crate::readers::Readers;
use crate::schema;
use crate::worker::Writer;

/// A multichat store in one SQLite file. Cheap to share behind an `Arc`; all SQLite work runs off
/// the async runtime (a writer thread, and reader threads).
///
/// ```
/// # tokio::runtime::Runtime::new().unwrap().block_on(async {
/// use multichat_core::{MessageQuery, MessageStore, NewMessage, NewSession, SessionId, SessionStore};
/// use multichat_sqlite::{SqliteConfig, SqliteStore};
///
/// let dir = tempfile::tempdir().unwrap();
/// let path = dir.path().join("chats.db");
/// let store = SqliteStore::open(&path, SqliteConfig::default()).await.unwrap();
/// let id = SessionId::new("s1").unwrap();
/// store.create_session(NewSession::new(id.clone())).await.unwrap();
/// store.append(&id, vec![NewMessage::user("hello")], None).await.unwrap();
/// drop(store);
///
/// let reopened = SqliteStore::open(&path, SqliteConfig::default()).await.unwrap();
/// let messages = reopened.read(&id, MessageQuery::last(10)).await.unwrap();
/// assert_eq!(messages[0].content, "hello");
/// # });
/// ```
#[derive(Debug)]
pub struct SqliteStore {
    // Field order is drop order: the read-only connections close first, so the writer's is the
    // last and its close checkpoints the WAL into the database file and removes it.
    readers: Option<Readers>,
    /// The watches' change detector (started by the first watch of a file-backed store), whose
    /// read connection also closes before the writer's.
    pub(crate) detector: Mutex<Option<Detector>>,
    pub(crate) writer: Writer,
    pub(crate) config: SqliteConfig,
    /// Wakes this process's watches on its writes (and, through the detector, on others').
    pub(crate) changes: Arc<Changes>,
    /// The database file (`None` in memory: no other process can write it).
    pub(crate) path: Option<PathBuf>,
}

impl SqliteStore {
    /// Opens (creating if needed) the store at `path`. A file that is not a SQLite database, is
    /// another program's database, or has a newer schema is refused and left untouched; a path
    /// starting with a literal `~` is refused (nothing expands it).
    pub async fn open(path: impl AsRef<Path>, config: SqliteConfig) -> Result<Self> {
        let path = path.as_ref().to_path_buf();
        multichat_core::backend::refuse_tilde(&path)?;
        let opening = path.clone();
        let opened = tokio::task::spawn_blocking(move || {
            open_retrying(&opening, &config).map(|conns| (conns, config))
        });
        let ((writer, readers), config) = opened.await.map_err(crate::error::db_thread)??;
        let store = Self::from_connections(writer, readers, config);
        Ok(Self {
            path: Some(path),
            ..store
        })
    }

    /// A private in-memory database (for tests): nothing is written to disk.
    pub fn open_in_memory(config: SqliteConfig) -> Result<Self> {
        let conn = Connection::open_in_memory().map_err(db)?;
        schema::configure(&conn, &config)?;
        schema::migrate(&conn)?;
        Ok(Self::from_connections(conn, Vec::new(), config))
    }

    fn from_connections(
        writer: Connection,
        readers: Vec<Connection>,
        config: SqliteConfig,
    ) -> Self {
        let readers = (!readers.is_empty()).then(|| Readers::new(readers, config.spin));
        Self {
            readers,
            detector: Mutex::default(),
            writer: Writer::start(writer, config.max_group, config.spin),
            config,
            changes: Arc::default(),
            path: None,
        }
    }

    /// Closes the store: waits for every queued write to commit, closes the read connections,
    /// then the write connection, whose close moves the WAL into the database file and removes
    /// it — the `.db` file alone then holds everything (what copying it needs). Dropping the last
    /// handle does the same, blocking the dropping thread until the writer is done; `close` does
    /// that waiting off the async runtime.
    pub async fn close(self) -> Result<()> {
        tokio::task::spawn_blocking(move || drop(self))
            .await
            .map_err(crate::error::db_thread)
    }

    /// Runs a read on a reader connection (or the writer, for an in-memory store).
    pub(crate) async fn on_reader<T, F>(&self, op: F) -> Result<T>
    where
        T: Send + 'static,
        F: FnOnce(&Connection) -> Result<T> + Send + 'static,
    {
        match &self.readers {
            Some(readers) => readers.call(op).await,
            None => self.writer.call(op).await,
        }
    }

    pub(crate) fn now(&self) -> Timestamp {
        self.config.clock.now()
    }
}

/// [`open_files`], retried while the database is busy (another process switching it to WAL or
/// creating the schema, which SQLite may report at once without waiting), up to the busy timeout.
fn open_retrying(path: &Path, config: &SqliteConfig) -> Result<(Connection, Vec<Connection>)> {
    let deadline = std::time::Instant::now() + config.busy_timeout;
    loop {
        match open_files(path, config) {
            Err(e) if e.is_transient() && std::time::Instant::now() < deadline => {
                std::thread::sleep(std::time::Duration::from_millis(5));
            }
            other => return other,
        }
    }
}

/// Opens the writer connection (checking the file before writing anything), migrates, then opens
/// the read connections.
fn open_files(path: &Path, config: &SqliteConfig) -> Result<(Connection, Vec<Connection>)> {
    let location = path.display().to_string();
    let writer = open_private(path)?;
    // Pragmas first (none of them writes to the file): the check must wait for a process that
    // is creating the schema right now rather than fail at once.
    schema::configure(&writer, config)?;
    let version = schema::check(&writer, &location)?;
    if version < schema::SCHEMA_VERSION {
        schema::migrate(&writer)?;
    } else {
        writer
            .query_row("PRAGMA journal_mode = WAL", [], |_| Ok(()))
            .map_err(db)?;
    }
    let flags = OpenFlags::SQLITE_OPEN_READ_ONLY
        | OpenFlags::SQLITE_OPEN_NO_MUTEX
        | OpenFlags::SQLITE_OPEN_URI;
    let readers = (0..config.readers.max(1))
        .map(|_| {
            let conn = Connection::open_with_flags(path, flags).map_err(db)?;
            schema::configure(&conn, config)?;
            Ok(conn)
        })
        .collect::<Result<Vec<_>>>()?;
    Ok((writer, readers))
}

/// Opens the writer connection, creating the database file readable and writable by its owner
/// only (mode 0600) when it does not exist yet: chats are private. SQLite gives its `-wal` and
/// `-shm` files the mode of the database file. An existing file keeps the mode its owner gave it.
fn open_private(path: &Path) -> Result<Connection> {
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    match options.open(path) {
        Ok(_) => {}
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {}
        Err(e) => Err(multichat_core::Error::Backend {
            backend: crate::error::BACKEND,
            source: multichat_core::Context::new(format!("cannot create {}", path.display()), e)
                .into(),
        })?,
    }
    Connection::open(path).map_err(db)
}
