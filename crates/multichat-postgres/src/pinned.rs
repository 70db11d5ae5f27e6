//! A write as a pipelined transaction on one pooled connection: at most two round trips.
//!
//! tokio-postgres pipelines the statements polled at once on one connection, and the server runs
//! them in order. A write of one session sends `BEGIN`, the lock of its row (and, for a pop or a
//! clear, the delete) together; the core then decides on the locked row — live? compare-and-swap,
//! seqs, counters —, and the statements that follow from the decision go out together with
//! `COMMIT` (or `ROLLBACK`). A create needs no decision and is one round trip.
//!
//! Statements sent outside a `Transaction` object are not rolled back by a drop, so the
//! connection is held by a [`Pinned`] guard: a call that does not reach its end (an error on the
//! wire, a caller that stops waiting) closes the connection rather than giving it back to the
//! pool in the middle of a transaction; the server then rolls the transaction back.

use deadpool_postgres::Object;
use multichat_core::{Error, Result, Session, SessionId, Timestamp};
use tokio_postgres::types::ToSql;
use tokio_postgres::{Row, Statement};

use crate::PostgresStore;
use crate::codec::session;

/// A statement and its parameters, to send in a pipeline.
pub type Step<'a> = (&'a Statement, &'a [&'a (dyn ToSql + Sync)]);

/// A session row locked for a write: the session, the rows of the statement sent with the
/// lock, and whether a watch leases the session (`crate::lease`: its appends notify).
pub struct Locked {
    pub session: Session,
    pub rows: Vec<Row>,
    pub watched: bool,
}

/// A pooled connection that goes back to the pool only once its transaction has ended
/// (committed or rolled back); dropped before that, it is closed.
pub struct Pinned<'s> {
    store: &'s PostgresStore,
    client: Option<Object>,
    ended: bool,
}

impl Drop for Pinned<'_> {
    fn drop(&mut self) {
        if let Some(client) = self.client.take().filter(|_| !self.ended) {
            drop(Object::take(client));
        }
    }
}

impl<'s> Pinned<'s> {
    /// A connection of `store`'s pool, with its statements `sql` prepared (once per connection).
    pub async fn open<const N: usize>(
        store: &'s PostgresStore,
        sql: [&str; N],
    ) -> Result<(Self, [Statement; N])> {
        let client = store.client().await?;
        let mut prepared = Vec::with_capacity(N);
        for text in sql {
            prepared.push(store.bounded(client.prepare_cached(text)).await?);
        }
        let pinned = Self {
            store,
            client: Some(client),
            ended: false,
        };
        let prepared = prepared.try_into().map_err(|_| Error::Backend {
            backend: crate::error::BACKEND,
            source: "prepared statements lost".into(),
        })?;
        Ok((pinned, prepared))
    }

    fn client(&self) -> &Object {
        self.client.as_ref().expect("held until drop")
    }

    /// Round trip one: `BEGIN`, the lock of session `id`'s row, then `then` when given. The
    /// locked session when it is live at `now` (with `then`'s rows); otherwise the transaction
    /// is rolled back and the answer is `NotFound`. A lease that does not decode counts as
    /// one (a notification too many costs a wake-up; one too few, a late delivery).
    pub async fn begin_locked(
        &mut self,
        lock: &Statement,
        id: &SessionId,
        now: Timestamp,
        then: Option<Step<'_>>,
    ) -> Result<Locked> {
        let (store, c) = (self.store, self.client());
        let key = id.as_str();
        let key: [&(dyn ToSql + Sync); 1] = [&key];
        let then = async {
            match then {
                Some((statement, params)) => c.query(statement, params).await,
                None => Ok(Vec::new()),
            }
        };
        let (_, found, rows) = tokio::try_join!(
            store.bounded(c.batch_execute("BEGIN")),
            store.bounded(c.query(lock, &key)),
            store.bounded(then)
        )?;
        let live = found.first().map(session).transpose();
        let watched = found
            .first()
            .is_none_or(|row| row.try_get(12).unwrap_or(true));
        match live.map(|s| s.filter(|s| !s.is_expired(now))) {
            Ok(Some(session)) => Ok(Locked {
                session,
                rows,
                watched,
            }),
            Ok(None) => self.refuse(Error::not_found(id)).await,
            Err(corrupt) => self.refuse(corrupt).await,
        }
    }

    /// Rolls the transaction back and answers `refused`.
    pub async fn refuse<T>(&mut self, refused: Error) -> Result<T> {
        self.store
            .bounded(self.client().batch_execute("ROLLBACK"))
            .await?;
        self.ended = true;
        Err(refused)
    }

    /// The last round trip: `steps`, then `COMMIT` (preceded by `BEGIN` when `begin`, for a
    /// write that needed no lock). The row counts of `steps`, in order.
    pub async fn commit(&mut self, begin: bool, steps: &[Step<'_>]) -> Result<Vec<u64>> {
        let (store, c) = (self.store, self.client());
        let begin = async {
            if begin {
                c.batch_execute("BEGIN").await
            } else {
                Ok(())
            }
        };
        let steps = steps.iter().map(|(s, params)| c.execute(*s, params));
        let (_, counts, _) = tokio::try_join!(
            store.bounded(begin),
            store.bounded(futures_util::future::try_join_all(steps)),
            store.bounded(c.batch_execute("COMMIT"))
        )?;
        self.ended = true;
        Ok(counts)
    }
}
