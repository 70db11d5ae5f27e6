//! The pool of read connections: each read runs on one of them in `spawn_blocking`, inside a
//! read transaction, so a multi-statement read sees one snapshot.

use std::sync::{Arc, Mutex};

use multichat_core::{BoxError, Error, Result};
use rusqlite::Connection;
use tokio::sync::Semaphore;

use crate::error::{BACKEND, db, db_thread};
use crate::worker::{exec, guarded};

/// Read connections and one permit per connection.
#[derive(Debug)]
pub struct Readers {
    idle: Arc<Mutex<Vec<Connection>>>,
    permits: Arc<Semaphore>,
}

impl Readers {
    /// A pool of `conns`.
    pub fn new(conns: Vec<Connection>) -> Self {
        let permits = Arc::new(Semaphore::new(conns.len()));
        Self {
            idle: Arc::new(Mutex::new(conns)),
            permits,
        }
    }

    /// Runs `op` on an idle connection in a read transaction. The connection goes back to the
    /// pool when `op` ends, even if the caller stopped waiting.
    pub async fn call<T, F>(&self, op: F) -> Result<T>
    where
        T: Send + 'static,
        F: FnOnce(&Connection) -> Result<T> + Send + 'static,
    {
        let permit = Arc::clone(&self.permits)
            .acquire_owned()
            .await
            .map_err(|e| backend(e.into()))?;
        let idle = Arc::clone(&self.idle);
        let task = tokio::task::spawn_blocking(move || {
            let Some(conn) = idle.lock().unwrap_or_else(|p| p.into_inner()).pop() else {
                return Err(backend("no idle read connection under a permit".into()));
            };
            let result = read_transaction(&conn, op);
            idle.lock().unwrap_or_else(|p| p.into_inner()).push(conn);
            drop(permit);
            result
        });
        task.await.map_err(db_thread)?
    }
}

/// Runs `op` in a read transaction. A panic inside `op` (a bug) is this read's error: the
/// transaction is rolled back and the connection stays in the pool.
fn read_transaction<T>(conn: &Connection, op: impl FnOnce(&Connection) -> Result<T>) -> Result<T> {
    exec(conn, "BEGIN").map_err(db)?;
    let result = guarded(conn, op);
    exec(conn, if result.is_ok() { "COMMIT" } else { "ROLLBACK" }).map_err(db)?;
    result
}

fn backend(source: BoxError) -> Error {
    Error::Backend {
        backend: BACKEND,
        source,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// More panicking reads than connections: each fails alone, and the pool still reads.
    #[tokio::test]
    async fn a_panicking_read_fails_alone_and_keeps_its_connection() {
        let conns = (0..2)
            .map(|_| Connection::open_in_memory().expect("open"))
            .collect();
        let readers = Readers::new(conns);
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
        assert_eq!(
            readers.idle.lock().expect("lock").len(),
            2,
            "no connection lost"
        );
    }
}
