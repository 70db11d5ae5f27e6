//! The writer: one thread that owns the only write connection and commits, in one
//! `BEGIN IMMEDIATE` transaction, every operation queued while the previous commit ran (group
//! commit). Each operation runs in its own savepoint, so a failing one is rolled back alone; every
//! caller is answered only after the commit that made its change durable.

use std::sync::Arc;
use std::thread;
use std::time::Duration;

use crossbeam_channel::{Receiver, Sender, unbounded};

use multichat_core::Result;
use rusqlite::Connection;
use tokio::sync::oneshot;

use crate::error::{db, transaction_failed, writer_stopped};

/// What the writer runs: an operation (given no connection when its transaction could not begin,
/// and whether to isolate it in a savepoint) that returns whether it succeeded and the reply to
/// send once the commit is known.
type Job = Box<dyn FnOnce(Option<&Connection>, bool) -> (bool, Reply) + Send>;
/// Sends an operation's result, given the error of the transaction, if it failed.
type Reply = Box<dyn FnOnce(Option<&Arc<rusqlite::Error>>) + Send>;

/// The handle to the writer thread. Dropping it lets the thread finish every queued job, close
/// its connection and end, and waits for that: the write connection is the only one that can
/// checkpoint, so once it is closed (after the read connections) the database file holds every
/// commit and the WAL is gone.
#[derive(Debug)]
pub struct Writer {
    jobs: Sender<Job>,
    spin: Duration,
    thread: Option<thread::JoinHandle<()>>,
}

impl Writer {
    /// Starts the writer thread on `conn`; it stops when every handle is dropped. Callers poll
    /// for their answer for up to `spin` before they sleep (see [`multichat_core::backend::poll_until`]).
    pub fn start(conn: Connection, max_group: usize, spin: Duration) -> Self {
        let (jobs, queue) = unbounded::<Job>();
        let thread = thread::Builder::new()
            .name("multichat-sqlite-writer".into())
            .spawn(move || run(conn, &queue, max_group.max(1)))
            .expect("spawn the SQLite writer thread");
        Self {
            jobs,
            spin,
            thread: Some(thread),
        }
    }

    /// Runs `op` inside the next group's transaction and returns its result after the commit.
    /// Dropping the returned future does not cancel the operation: it still runs and commits, and
    /// the transaction always ends.
    pub async fn call<T, F>(&self, op: F) -> Result<T>
    where
        T: Send + 'static,
        F: FnOnce(&Connection) -> Result<T> + Send + 'static,
    {
        let (tx, rx) = oneshot::channel();
        let job: Job = Box::new(move |conn, isolate| {
            let result = conn.map(|conn| {
                if isolate {
                    in_savepoint(conn, op)
                } else {
                    guarded(conn, op)
                }
            });
            let ok = matches!(result, Some(Ok(_)));
            (
                ok,
                Box::new(move |failed| {
                    let answer = match (failed, result) {
                        (Some(e), _) => Err(transaction_failed(e)),
                        (None, Some(result)) => result,
                        (None, None) => Err(writer_stopped()),
                    };
                    let _ = tx.send(answer);
                }),
            )
        });
        self.jobs.send(job).map_err(|_| writer_stopped())?;
        multichat_core::backend::poll_until(|| !rx.is_empty(), self.spin).await;
        rx.await.map_err(|_| writer_stopped())?
    }
}

impl Drop for Writer {
    fn drop(&mut self) {
        let (closed, _) = unbounded();
        drop(std::mem::replace(&mut self.jobs, closed));
        let Some(thread) = self.thread.take() else {
            return;
        };
        // The writer thread never holds its own handle, but should a job ever drop the last
        // store, it must not wait for itself.
        if thread.thread().id() != thread::current().id() {
            let _ = thread.join();
        }
    }
}

/// The writer loop: wait for one job (polled for first, see [`multichat_core::backend::next_job`]), take every job already queued (up to `max_group`), run
/// them in one transaction, commit, answer; once every handle is gone, close the connection.
fn run(conn: Connection, queue: &Receiver<Job>, max_group: usize) {
    while let Some(first) = multichat_core::backend::next_job(queue) {
        let mut group = vec![first];
        group.extend(queue.try_iter().take(max_group - 1));
        run_group(&conn, group);
    }
    if let Err((_, e)) = conn.close() {
        tracing::warn!(error = %e, "closing the SQLite write connection failed; the WAL stays");
    }
}

/// One group commit. If the transaction cannot begin, no job runs and all get its error; if the
/// commit fails, it is rolled back and all get its error. A group of one runs without a savepoint
/// and is rolled back whole if it fails.
fn run_group(conn: &Connection, group: Vec<Job>) {
    if let Err(e) = exec(conn, "BEGIN IMMEDIATE") {
        let e = Arc::new(e);
        group
            .into_iter()
            .for_each(|job| job(None, false).1(Some(&e)));
        return;
    }
    let isolate = group.len() > 1;
    let (oks, replies): (Vec<bool>, Vec<Reply>) = group
        .into_iter()
        .map(|job| job(Some(conn), isolate))
        .unzip();
    let end = if isolate || oks[0] {
        "COMMIT"
    } else {
        "ROLLBACK"
    };
    let committed = exec(conn, end).map_err(Arc::new);
    if committed.is_err() {
        let _ = exec(conn, "ROLLBACK");
    }
    let failure = committed.as_ref().err();
    replies.into_iter().for_each(|reply| reply(failure));
}

/// Runs a parameterless statement through the statement cache.
pub(crate) fn exec(conn: &Connection, sql: &str) -> rusqlite::Result<()> {
    conn.prepare_cached(sql)?.execute([]).map(|_| ())
}

/// Runs `op` in a savepoint: released on success, rolled back on error.
fn in_savepoint<T>(conn: &Connection, op: impl FnOnce(&Connection) -> Result<T>) -> Result<T> {
    exec(conn, "SAVEPOINT op").map_err(db)?;
    let result = guarded(conn, op);
    if result.is_err() {
        exec(conn, "ROLLBACK TO op").map_err(db)?;
    }
    exec(conn, "RELEASE op").map_err(db)?;
    result
}

/// Runs `op`, turning a panic into an error of that operation alone: the writer thread, and so
/// the store, keeps working (the operation's savepoint or transaction is rolled back).
pub(crate) fn guarded<T>(
    conn: &Connection,
    op: impl FnOnce(&Connection) -> Result<T>,
) -> Result<T> {
    std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| op(conn))).unwrap_or_else(|panic| {
        let what = panic
            .downcast_ref::<&str>()
            .map(|s| (*s).to_owned())
            .or_else(|| panic.downcast_ref::<String>().cloned())
            .unwrap_or_default();
        Err(multichat_core::Error::Backend {
            backend: crate::error::BACKEND,
            source: format!("a SQLite operation panicked: {what}").into(),
        })
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn a_panicking_operation_fails_alone_and_the_writer_keeps_working() {
        let conn = Connection::open_in_memory().expect("open");
        conn.execute_batch("CREATE TABLE t (x INTEGER)")
            .expect("schema");
        let writer = Writer::start(conn, 8, Duration::ZERO);
        let panicked = writer
            .call(|conn: &Connection| -> Result<()> {
                exec(conn, "INSERT INTO t VALUES (1)").map_err(db)?;
                panic!("injected")
            })
            .await
            .expect_err("the panic is an error");
        assert!(format!("{panicked:?}").contains("injected"), "{panicked:?}");
        let rows = writer
            .call(|conn: &Connection| {
                exec(conn, "INSERT INTO t VALUES (2)").map_err(db)?;
                conn.query_row("SELECT group_concat(x) FROM t", [], |r| {
                    r.get::<_, String>(0)
                })
                .map_err(db)
            })
            .await
            .expect("the writer still works");
        assert_eq!(rows, "2", "the panicked operation was rolled back");
    }
}
