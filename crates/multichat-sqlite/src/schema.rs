//! The schema, its versions (`PRAGMA user_version`) and the checks made before anything is written.

use multichat_core::{Error, Result};
use rusqlite::Connection;

use crate::config::SqliteConfig;
use crate::error::db;

/// The schema version this build writes and reads.
pub const SCHEMA_VERSION: i64 = 2;

/// `PRAGMA application_id` of a multichat database ("MCHT").
pub const APPLICATION_ID: i64 = 0x4D43_4854;

/// The DDL of schema version 1 (public so benchmarks can build the same tables by hand).
pub const V1: &str = "
CREATE TABLE sessions (
    id            TEXT    NOT NULL PRIMARY KEY,
    title         TEXT,
    participants  TEXT    NOT NULL,
    metadata      TEXT    NOT NULL,
    created_at    INTEGER NOT NULL,
    updated_at    INTEGER NOT NULL,
    expiry_kind   TEXT    CHECK (expiry_kind IN ('idle', 'at')),
    expiry_value  INTEGER,
    expires_at    INTEGER,
    version       INTEGER NOT NULL,
    last_seq      INTEGER NOT NULL,
    message_count INTEGER NOT NULL
) WITHOUT ROWID;
CREATE INDEX sessions_by_updated ON sessions (updated_at DESC, id);
CREATE INDEX sessions_by_expiry ON sessions (expires_at) WHERE expires_at IS NOT NULL;
CREATE TABLE session_participants (
    participant TEXT NOT NULL,
    session_id  TEXT NOT NULL REFERENCES sessions (id) ON DELETE CASCADE,
    PRIMARY KEY (participant, session_id)
) WITHOUT ROWID;
CREATE INDEX participants_by_session ON session_participants (session_id);
CREATE TABLE messages (
    session_id TEXT    NOT NULL REFERENCES sessions (id) ON DELETE CASCADE,
    seq        INTEGER NOT NULL,
    role       TEXT    NOT NULL,
    sender     TEXT,
    content    TEXT    NOT NULL,
    metadata   TEXT    NOT NULL,
    created_at INTEGER NOT NULL,
    PRIMARY KEY (session_id, seq)
) WITHOUT ROWID;
";

/// The DDL of schema version 2: client keys of retry-safe appends, unique within a session, and
/// token counts.
pub const V2: &str = "
ALTER TABLE messages ADD COLUMN client_key TEXT;
ALTER TABLE messages ADD COLUMN tokens INTEGER;
CREATE UNIQUE INDEX messages_by_key ON messages (session_id, client_key) WHERE client_key IS NOT NULL;
";

/// Checks that the file is ours (or empty) and of a version this build knows, without writing.
pub fn check(conn: &Connection, location: &str) -> Result<i64> {
    let (app_id, version, tables) = snapshot(conn)?;
    if app_id != APPLICATION_ID && (app_id != 0 || tables > 0) {
        return Err(Error::Incompatible {
            what: format!(
                "SQLite database {location}: not a multichat store (application_id {app_id:#x})"
            ),
            found: version.to_string(),
            supported: SCHEMA_VERSION.to_string(),
        });
    }
    if version > SCHEMA_VERSION {
        return Err(Error::Incompatible {
            what: format!("multichat SQLite schema of {location}"),
            found: version.to_string(),
            supported: format!("up to {SCHEMA_VERSION}"),
        });
    }
    Ok(version)
}

/// `application_id`, `user_version` and the number of schema objects, read in one transaction so
/// that another process creating the schema at that moment is seen whole or not at all.
fn snapshot(conn: &Connection) -> Result<(i64, i64, i64)> {
    conn.execute_batch("BEGIN").map_err(db)?;
    let read = |sql: &str| conn.query_row(sql, [], |r| r.get::<_, i64>(0)).map_err(db);
    let values = read("PRAGMA application_id").and_then(|app| {
        Ok((
            app,
            read("PRAGMA user_version")?,
            read("SELECT count(*) FROM sqlite_master")?,
        ))
    });
    conn.execute_batch("COMMIT").map_err(db)?;
    values
}

/// Sets the connection pragmas.
pub fn configure(conn: &Connection, config: &SqliteConfig) -> Result<()> {
    conn.busy_timeout(config.busy_timeout).map_err(db)?;
    let pragmas = format!(
        "PRAGMA foreign_keys = ON; PRAGMA synchronous = {}; PRAGMA cache_size = -16000;",
        config.synchronous.pragma()
    );
    conn.execute_batch(&pragmas).map_err(db)
}

/// Switches to WAL and applies the migrations this file lacks, in one `BEGIN IMMEDIATE`
/// transaction (so two processes opening a new file at once do not both create the schema).
pub fn migrate(conn: &Connection) -> Result<()> {
    conn.query_row("PRAGMA journal_mode = WAL", [], |_| Ok(()))
        .map_err(db)?;
    conn.execute_batch("BEGIN IMMEDIATE").map_err(db)?;
    let result = apply_missing(conn);
    let end = if result.is_ok() { "COMMIT" } else { "ROLLBACK" };
    conn.execute_batch(end).map_err(db)?;
    result
}

fn apply_missing(conn: &Connection) -> Result<()> {
    let version: i64 = conn
        .query_row("PRAGMA user_version", [], |r| r.get(0))
        .map_err(db)?;
    // Each version's DDL after the one the file has, in order, then the new version number.
    let missing = [V1, V2]
        .into_iter()
        .skip(usize::try_from(version).unwrap_or(0));
    let script = format!(
        "{} PRAGMA application_id = {APPLICATION_ID}; PRAGMA user_version = {SCHEMA_VERSION};",
        missing.collect::<String>()
    );
    conn.execute_batch(&script).map_err(db)
}
