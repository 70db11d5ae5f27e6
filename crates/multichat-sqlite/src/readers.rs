//! The read connections, each on a thread of its own that takes reads from one shared queue and
//! runs each inside a read transaction, so a multi-statement read sees one snapshot.
//!
//! Why threads of their own and not `spawn_blocking`: a read of the last 20 messages takes about
//! 6 µs in SQLite, and waking a parked pool thread for it, then the caller's runtime thread for
//! the answer, cost about 20 µs more (`docs/benchmarks.md`, "Reads"). A reader thread polls the
//! queue for a while after each read before it parks, and the caller polls for its answer before
//! it sleeps (yielding to the runtime between polls), so back-to-back reads wake no one.

use std::thread;

use crossbeam_channel::{Receiver, Sender, unbounded};
use multichat_core::{Error, Result};
use rusqlite::Connection;
use tokio::sync::oneshot;

use crate::error::{BACKEND, db};
use crate::worker::{exec, guarded};

/// A read, given its reader's connection.
type Job = Box<dyn FnOnce(&Connection) + Send>;

/// The reader threads and their queue. Dropping it lets every thread finish the reads already
/// queued, close its connection and end, and waits for that.
#[derive(Debug)]
pub struct Readers {
    jobs: Sender<Job>,
    spin: std::time::Duration,
    threads: Vec<thread::JoinHandle<()>>,
}

impl Readers {
    /// One reader thread per connection; callers poll for their answer for up to `spin` before
    /// they sleep (see [`crate::spin`]).
    pub fn new(conns: Vec<Connection>, spin: std::time::Duration) -> Self {
        let (jobs, queue) = unbounded::<Job>();
        let threads = conns
            .into_iter()
            .map(|conn| {
                let queue = queue.clone();
                thread::Builder::new()
                    .name("multichat-sqlite-reader".into())
                    .spawn(move || run(conn, &queue))
                    .expect("spawn a SQLite reader thread")
            })
            .collect();
        Self {
            jobs,
            spin,
            threads,
        }
    }

    /// Runs `op` on the next free reader in a read transaction. The read runs to its end even if
    /// the caller stopped waiting.
    pub async fn call<T, F>(&self, op: F) -> Result<T>
    where
        T: Send + 'static,
        F: FnOnce(&Connection) -> Result<T> + Send + 'static,
    {
        let (tx, rx) = oneshot::channel();
        let job: Job = Box::new(move |conn| {
            let _ = tx.send(read_transaction(conn, op));
        });
        self.jobs.send(job).map_err(|_| stopped())?;
        crate::spin::until(|| !rx.is_empty(), self.spin).await;
        rx.await.map_err(|_| stopped())?
    }
}

impl Drop for Readers {
    fn drop(&mut self) {
        drop(std::mem::replace(&mut self.jobs, unbounded().0));
        let current = thread::current().id();
        for reader in self.threads.drain(..) {
            // A read never holds the store, but should one ever drop the last handle, its own
            // thread must not wait for itself.
            if reader.thread().id() != current {
                let _ = reader.join();
            }
        }
    }
}

/// A reader's loop: the next read (polled for first, see [`crate::spin::next_job`]), until every
/// handle is gone; then the connection closes.
fn run(conn: Connection, queue: &Receiver<Job>) {
    while let Some(job) = crate::spin::next_job(queue) {
        job(&conn);
    }
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

    /// More panicking reads than readers: each fails alone, every reader thread lives on, and
    /// the pool still reads.
    #[tokio::test]
    async fn a_panicking_read_fails_alone_and_keeps_its_reader() {
        let conns = (0..2)
            .map(|_| Connection::open_in_memory().expect("open"))
            .collect();
        let readers = Readers::new(conns, std::time::Duration::ZERO);
        for _ in 0..5 {
            let failed = readers
                .call(|_: &Connection| -> Result<()> { panic!("injected") })
                .await
                .expect_err("the panic is an error");
            assert!(format!("{failed:?}").contains("injected"), "{failed:?}");
        }
        let one = readers
            .call(|conn: &Connection| {
                conn.query_row("SELECT 1", [], |r| r.get::<_, i64>(0))
                    .map_err(db)
            })
            .await
            .expect("the pool still reads");
        assert_eq!(one, 1);
        assert!(
            readers.threads.iter().all(|t| !t.is_finished()),
            "no reader thread ended"
        );
    }

    /// Concurrent reads through one queue on two readers: each caller gets its own answer.
    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn concurrent_reads_each_get_their_own_answer() {
        let conns = (0..2)
            .map(|_| Connection::open_in_memory().expect("open"))
            .collect();
        let readers =
            std::sync::Arc::new(Readers::new(conns, std::time::Duration::from_micros(50)));
        let reads: Vec<_> = (0..64i64)
            .map(|i| {
                let readers = std::sync::Arc::clone(&readers);
                tokio::spawn(async move {
                    readers
                        .call(move |conn: &Connection| {
                            conn.query_row("SELECT ?1", [i], |r| r.get::<_, i64>(0))
                                .map_err(db)
                        })
                        .await
                })
            })
            .collect();
        for (i, read) in reads.into_iter().enumerate() {
            assert_eq!(read.await.expect("join").expect("read"), i as i64);
        }
    }
}
