//! `PostgresStore`: the pool, connecting (migrations at connect), and running each operation on
//! a pooled connection, in a transaction when it writes.

use std::str::FromStr;

use deadpool_postgres::{
    GenericClient, ManagerConfig, Object, Pool, RecyclingMethod, Runtime, Transaction,
};
use multichat_core::{Error, Result, Timestamp};
use tokio_postgres::Row;
use tokio_postgres::types::ToSql;

use crate::config::PostgresConfig;
use crate::error::{BACKEND, db, pool};
use crate::listen::Listener;
use crate::listing::ListSql;
use crate::messages::ReadSql;
use crate::schema;
use crate::statements::WriteSql;

/// A multichat store in a PostgreSQL schema, shared by every process that connects to it.
///
/// ```no_run
/// # tokio::runtime::Runtime::new().unwrap().block_on(async {
/// use multichat_core::{MessageQuery, MessageStore, NewMessage, NewSession, SessionId, SessionStore};
/// use multichat_postgres::{PostgresConfig, PostgresStore};
///
/// let url = "postgres://app@db.internal/chats";
/// let store = PostgresStore::connect(url, PostgresConfig::default()).await?;
/// let id = SessionId::new("support-42")?;
/// store.create_session(NewSession::new(id.clone())).await?;
/// store.append(&id, vec![NewMessage::user("hello")], None).await?;
/// assert_eq!(store.read(&id, MessageQuery::last(20)).await?.len(), 1);
/// # Ok::<(), multichat_core::Error>(())
/// # }).unwrap();
/// ```
#[derive(Debug)]
pub struct PostgresStore {
    pool: Pool,
    pub(crate) config: PostgresConfig,
    /// The write statements with the schema written in, made once at connect (a write formats
    /// nothing).
    pub(crate) write_sql: WriteSql,
    /// The read statements, likewise.
    pub(crate) read_sql: ReadSql,
    /// The listing statements, likewise.
    pub(crate) list_sql: ListSql,
    /// The connection that `LISTEN`s for appends, and the watches it wakes.
    pub(crate) listener: Listener,
}

impl PostgresStore {
    /// Connects to `url` (`postgres://user[:password]@host[:port]/database[?…]`, the libpq
    /// forms `tokio-postgres` reads), then creates or upgrades the schema `config.schema`. An
    /// unreachable server is `Unavailable` within `config.connect_timeout`; a newer schema is
    /// `Incompatible` and left untouched.
    pub async fn connect(url: &str, config: PostgresConfig) -> Result<Self> {
        config.check()?;
        let mut pg = tokio_postgres::Config::from_str(url).map_err(|e| {
            Error::invalid("PostgreSQL URL", format!("{}: {e}", crate::redact(url)))
        })?;
        pg.connect_timeout(config.connect_timeout);
        let statement_ms = config.statement_timeout.as_millis();
        // Generic plans for every statement: this store's statements are keyed lookups and
        // keyset walks whose best plan does not depend on the values, and PostgreSQL otherwise
        // plans a statement with a `LIMIT $n` again on every call (63 µs of planning for a
        // read of 9 µs's work, measured with `EXPLAIN ANALYZE`; docs/postgres-format.md).
        pg.options(format!(
            "-c statement_timeout={statement_ms} -c plan_cache_mode=force_generic_plan"
        ));
        let manager_config = ManagerConfig {
            recycling_method: RecyclingMethod::Fast,
        };
        // A connector for the pool and one for the listening connection (built twice rather
        // than cloned: without TLS it is `NoTls`, which is `Copy`).
        let tls = crate::tls::connector(&pg, &config)?;
        let manager = crate::tls::manager(pg.clone(), tls, manager_config);
        let tls = crate::tls::connector(&pg, &config)?;
        // Last in, first out: a sequential caller keeps using the connection it just gave
        // back (its server process running and warm), instead of cycling through every
        // connection a burst once opened (measured: one append 334 µs on a warm connection,
        // 510–540 µs when cycling through 16; docs/benchmarks.md).
        let pool = Pool::builder(manager)
            .queue_mode(deadpool_postgres::QueueMode::Lifo)
            .max_size(config.pool_size)
            .runtime(Runtime::Tokio1)
            .wait_timeout(Some(config.connect_timeout))
            .create_timeout(Some(config.connect_timeout))
            .build()
            .map_err(|e| Error::Backend {
                backend: BACKEND,
                source: e.into(),
            })?;
        let (write_sql, read_sql, list_sql) = (
            WriteSql::for_schema(&config.schema),
            ReadSql::for_schema(&config.schema),
            ListSql::for_schema(&config.schema),
        );
        let store = Self {
            pool,
            config,
            write_sql,
            read_sql,
            list_sql,
            listener: Listener::new(pg, tls),
        };
        let mut client = store.client().await?;
        let limit = store.config.connect_timeout + store.config.statement_timeout;
        let migrated =
            tokio::time::timeout(limit, schema::migrate(&mut client, &store.config.schema));
        migrated.await.map_err(|_| Error::Unavailable {
            backend: BACKEND,
            source: "no answer from PostgreSQL while checking the schema".into(),
        })??;
        drop(client);
        Ok(store)
    }

    /// Closes every pooled connection.
    pub async fn close(self) -> Result<()> {
        self.pool.close();
        Ok(())
    }

    /// A pooled connection.
    pub(crate) async fn client(&self) -> Result<Object> {
        self.pool.get().await.map_err(pool)
    }

    /// `sql` with `{s}` replaced by the schema name.
    pub(crate) fn sql(&self, sql: &str) -> String {
        sql.replace("{s}", &self.config.schema)
    }

    pub(crate) fn now(&self) -> Timestamp {
        self.config.clock.now()
    }
}

impl PostgresStore {
    /// `op` within `statement_timeout` and a second of slack: a server that stopped answering
    /// (stalled, not gone) gives a transient `Unavailable`, never a hang. The server cancels a
    /// slow statement itself at `statement_timeout`; this bounds what it cannot (a stalled
    /// process, a dead network).
    pub(crate) async fn bounded<T>(
        &self,
        op: impl Future<Output = std::result::Result<T, tokio_postgres::Error>>,
    ) -> Result<T> {
        let limit = self.config.statement_timeout + std::time::Duration::from_secs(1);
        match tokio::time::timeout(limit, op).await {
            Ok(result) => result.map_err(db),
            Err(_) => Err(Error::Unavailable {
                backend: BACKEND,
                source: format!("no answer from PostgreSQL within {} ms", limit.as_millis()).into(),
            }),
        }
    }

    /// A statement's rows, prepared once per connection.
    pub(crate) async fn query(
        &self,
        c: &impl GenericClient,
        sql: &str,
        params: &[&(dyn ToSql + Sync)],
    ) -> Result<Vec<Row>> {
        let statement = self.bounded(c.prepare_cached(sql)).await?;
        self.bounded(c.query(&statement, params)).await
    }

    /// A statement's count of affected rows, prepared once per connection.
    pub(crate) async fn execute(
        &self,
        c: &impl GenericClient,
        sql: &str,
        params: &[&(dyn ToSql + Sync)],
    ) -> Result<u64> {
        let statement = self.bounded(c.prepare_cached(sql)).await?;
        self.bounded(c.execute(&statement, params)).await
    }

    /// Begins a transaction on `client`.
    pub(crate) async fn begin<'a>(&self, client: &'a mut Object) -> Result<Transaction<'a>> {
        self.bounded(client.transaction()).await
    }

    /// Commits `tx`.
    pub(crate) async fn commit(&self, tx: Transaction<'_>) -> Result<()> {
        self.bounded(tx.commit()).await
    }
}
