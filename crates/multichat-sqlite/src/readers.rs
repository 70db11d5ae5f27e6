//! The pool of read connections: each read runs on one of them in `spawn_blocking`, inside a
//! read transaction, so a multi-statement read sees one snapshot.

use std::sync::{Arc, Mutex};

use multichat_core::{Error, Result};
use rusqlite::Connection;
use tokio::sync::Semaphore;

use crate::error::{BACKEND, db};
use crate::worker::exec;

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
            .map_err(|e| backend(e.to_string()))?;
        let idle = Arc::clone(&self.idle);
        let task = tokio::task::spawn_blocking(move || {
            let conn = idle
                .lock()
                .unwrap_or_else(|p| p.into_inner())
                .pop()
                .expect("one connection per permit");
            let result = read_transaction(&conn, op);
            idle.lock().unwrap_or_else(|p| p.into_inner()).push(conn);
            drop(permit);
            result
        });
        task.await.map_err(|e| backend(e.to_string()))?
    }
}

fn read_transaction<T>(conn: &Connection, op: impl FnOnce(&Connection) -> Result<T>) -> Result<T> {
    exec(conn, "BEGIN").map_err(db)?;
    let result = op(conn);
    exec(conn, if result.is_ok() { "COMMIT" } else { "ROLLBACK" }).map_err(db)?;
    result
}

fn backend(message: String) -> Error {
    Error::Backend {
        backend: BACKEND,
        source: message.into(),
    }
}
