//! The schema and its migrations: applied at connect in one transaction under an advisory lock
//! (several processes connecting to a fresh database at once do not race), a newer schema
//! refused with `Incompatible` and left untouched.

use multichat_core::{Error, Result};

use crate::error::db;

/// The schema version this build writes.
pub const SCHEMA_VERSION: i64 = 3;

/// Version 1, `{s}` standing for the schema name. Times are integer milliseconds; metadata and
/// participants are JSON text, kept byte for byte as written.
const V1: &str = "
CREATE TABLE {s}.sessions (
    id            text    PRIMARY KEY,
    title         text,
    participants  text    NOT NULL,
    metadata      text    NOT NULL,
    created_at    bigint  NOT NULL,
    updated_at    bigint  NOT NULL,
    idle_ms       bigint,
    deadline      bigint,
    expires_at    bigint,
    version       bigint  NOT NULL,
    last_seq      bigint  NOT NULL,
    message_count bigint  NOT NULL
);
CREATE INDEX sessions_by_updated ON {s}.sessions (updated_at DESC, id);
CREATE INDEX sessions_by_expiry ON {s}.sessions (expires_at) WHERE expires_at IS NOT NULL;
CREATE TABLE {s}.participants (
    session_id  text   NOT NULL REFERENCES {s}.sessions (id) ON DELETE CASCADE,
    participant text   NOT NULL,
    updated_at  bigint NOT NULL,
    PRIMARY KEY (session_id, participant)
);
CREATE INDEX participants_by_updated ON {s}.participants (participant, updated_at DESC, session_id);
CREATE TABLE {s}.messages (
    session_id text   NOT NULL REFERENCES {s}.sessions (id) ON DELETE CASCADE,
    seq        bigint NOT NULL,
    role       text   NOT NULL,
    sender     text,
    content    text   NOT NULL,
    metadata   text   NOT NULL,
    created_at bigint NOT NULL,
    PRIMARY KEY (session_id, seq)
);
";

/// Version 2: a watch's lease on its session (`crate::lease`), in milliseconds of the server's
/// clock; 0 when never watched. Adding a column with a constant default rewrites nothing.
const V2: &str = "ALTER TABLE {s}.sessions ADD COLUMN watched_until bigint NOT NULL DEFAULT 0;";

/// Version 3: the client keys of retry-safe appends, unique within a session, and token counts. The index is
/// built inside the migration's transaction, which holds writes to `messages` meanwhile; both
/// steps skip what exists, so a DBA may add them beforehand (`CONCURRENTLY`, see
/// `docs/postgres-format.md`).
const V3: &str = "ALTER TABLE {s}.messages ADD COLUMN IF NOT EXISTS client_key text;
ALTER TABLE {s}.messages ADD COLUMN IF NOT EXISTS tokens bigint;
CREATE UNIQUE INDEX IF NOT EXISTS messages_by_key ON {s}.messages (session_id, client_key) \
    WHERE client_key IS NOT NULL;";

/// The migrations, version 1 first.
const MIGRATIONS: [&str; 3] = [V1, V2, V3];

/// Creates or upgrades the schema `schema`; refuses one newer than [`SCHEMA_VERSION`].
pub async fn migrate(client: &mut deadpool_postgres::Object, schema: &str) -> Result<()> {
    let tx = client.transaction().await.map_err(db)?;
    let key = format!("multichat:{schema}");
    tx.execute("SELECT pg_advisory_xact_lock(hashtext($1))", &[&key])
        .await
        .map_err(db)?;
    tx.batch_execute(&format!(
        "CREATE SCHEMA IF NOT EXISTS {schema};
         CREATE TABLE IF NOT EXISTS {schema}.schema_version (version bigint NOT NULL);"
    ))
    .await
    .map_err(db)?;
    let found: Option<i64> = tx
        .query_opt(
            &format!("SELECT max(version) FROM {schema}.schema_version"),
            &[],
        )
        .await
        .map_err(db)?
        .and_then(|row| row.get(0));
    let found = found.unwrap_or(0);
    if found > SCHEMA_VERSION {
        return Err(Error::Incompatible {
            what: format!("PostgreSQL schema {schema}"),
            found: found.to_string(),
            supported: SCHEMA_VERSION.to_string(),
        });
    }
    upgrade(&tx, schema, found).await?;
    tx.commit().await.map_err(db)
}

/// Applies, in `tx`, the migrations after version `found` of `schema`, and records the version
/// reached.
async fn upgrade(tx: &deadpool_postgres::Transaction<'_>, schema: &str, found: i64) -> Result<()> {
    for (version, sql) in (1..).zip(MIGRATIONS) {
        if found < version {
            tx.batch_execute(&sql.replace("{s}", schema))
                .await
                .map_err(db)?;
        }
    }
    if found < SCHEMA_VERSION {
        let insert = format!("INSERT INTO {schema}.schema_version VALUES ($1)");
        tx.execute(&insert, &[&SCHEMA_VERSION]).await.map_err(db)?;
    }
    Ok(())
}
