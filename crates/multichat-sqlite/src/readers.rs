//! The read connections, each on a worker thread of its own ([`multichat_core::backend::Workers`])
//! taking reads from one shared queue and running each inside a read transaction, so a
//! multi-statement read sees one snapshot.
//!
//! Why threads of their own and not `spawn_blocking`: a read of the last 20 messages takes about
//! 10 µs in SQLite, and waking a parked pool thread for it, then the caller's runtime thread for
//! the answer, cost about 20–30 µs more (`docs/benchmarks.md`, "Reads"). A reader polls the
//! queue for a while after each read before it parks, and the caller polls for its answer before
//! it sleeps, so back-to-back reads wake no one.

use std::time::Duration;

use multichat_core::backend::Workers;
use multichat_core::{Error, Result};
use rusqlite::Connection;

use crate::error::{BACKEND, db};
use crate::worker::{exec, guarded};

/// The reader threads and their queue. Dropping it lets every reader finish the reads already
/// queued and close its connection, and waits for that (the write connection closes last).
#[derive(Debug)]
pub struct Readers {
    workers: Workers<Connection>,
}

impl Readers {
    /// One reader thread per connection; callers poll for their answer for up to `spin` before
    /// they sleep.
    pub fn new(conns: Vec<Connection>, spin: Duration) -> Self {
        let workers = Workers::start("multichat-sqlite-reader", conns, spin, close);
        Self {
            workers: workers.joined(),
        }
    }

    /// Runs `op` on the next free reader in a read transaction. The read runs to its end even if
    /// the caller stopped waiting.
    pub async fn call<T, F>(&self, op: F) -> Result<T>
    where
        T: Send + 'static,
        F: FnOnce(&Connection) -> Result<T> + Send + 'static,
    {
        let read = self
            .workers
            .call(move |conn: &mut Connection| read_transaction(conn, op));
        read.await.ok_or_else(stopped)?
    }
}

/// Closes a reader's connection when its thread ends.
fn close(conn: Connection) {
    if let Err((_, e)) = conn.close() {
        tracing::warn!(error = %e, "closing a SQLite read connection failed");
    }
}

/// Runs `op` in a read transaction. A panic inside `op` (a bug) is this read's error: the
/// transaction is rolled back and the reader goes on.
fn read_transaction<T>(conn: &Connection, op: impl FnOnce(&Connection) -> Result<T>) -> Result<T> {
    exec(conn, "BEGIN").map_err(db)?;
    let result = guarded(conn, op);
    exec(conn, if result.is_ok() { "COMMIT" } else { "ROLLBACK" }).map_err(db)?;
    result
}

fn stopped() -> Error {
    Error::Backend {
        backend: BACKEND,
        source: "the SQLite reader threads have stopped".into(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// More panicking reads than readers: each fails alone with its message (the transaction
    /// rolled back), and the pool still reads.
    #[tokio::test]
    async fn a_panicking_read_fails_alone_and_keeps_its_reader() {
        let conns = (0..2)
            .map(|_| Connection::open_in_memory().expect("open"))
            .collect();
        let readers = Readers::new(conns, Duration::ZERO);
        for _ in 0..5 {
            let failed = readers
                .call(|_: &Connection| -> Result<()> { panic!("injected") })
                .await
                .expect_err("the panic is an error");
            assert!(format!("{failed:?}").contains("injected"), "{failed:?}");
        }
        for _ in 0..4 {
            let one = readers
                .call(|conn: &Connection| {
                    conn.query_row("SELECT 1", [], |r| r.get::<_, i64>(0))
                        .map_err(db)
                })
                .await
                .expect("the pool still reads");
            assert_eq!(one, 1);
        }
    }
}
