//! The Cluster connection, rebuilt after a timeout.
//!
//! The async Cluster client refreshes its slot map when a node answers `MOVED` or a connection
//! is lost, not when a node stops answering: a stalled master keeps receiving the writes of its
//! slots after its replica has been promoted, and when it wakes it may run and acknowledge them
//! before it learns it was replaced (issue #18 item 4: about half of the losses it measured were
//! appends sent 0.24–0.39 s after the promotion). So a timeout here rebuilds the connection —
//! slot map included — in the background: one rebuild at a time, at most one per
//! [`REBUILD_EVERY`]; calls already sent finish on the old connection.

use std::sync::{Arc, Mutex, RwLock};
use std::time::{Duration, Instant};

use redis::RedisResult;
use redis::cluster::ClusterClient;
use redis::cluster_async::ClusterConnection;

/// The shortest time between two rebuilds.
pub const REBUILD_EVERY: Duration = Duration::from_millis(250);

/// A Cluster connection that replaces itself after a timeout.
pub struct Rebuilt {
    client: ClusterClient,
    current: RwLock<ClusterConnection>,
    /// When the last rebuild started (`None`: never), and whether one is running.
    last: Mutex<(Option<Instant>, bool)>,
    limit: Duration,
}

impl Rebuilt {
    /// Connects with `client`; a rebuild waits at most `limit` for its new connection.
    pub async fn connect(client: ClusterClient, limit: Duration) -> RedisResult<Arc<Self>> {
        let first = client.get_async_connection().await?;
        Ok(Arc::new(Self {
            client,
            current: RwLock::new(first),
            last: Mutex::new((None, false)),
            limit,
        }))
    }

    /// The connection to send on now.
    pub fn current(&self) -> ClusterConnection {
        self.current
            .read()
            .unwrap_or_else(|p| p.into_inner())
            .clone()
    }

    /// Looks at the outcome of a call: after a timeout, starts a rebuild (unless one is running
    /// or started less than [`REBUILD_EVERY`] ago).
    pub fn after<T>(self: &Arc<Self>, outcome: &RedisResult<T>) {
        if !outcome.as_ref().is_err_and(redis::RedisError::is_timeout) {
            return;
        }
        {
            let mut last = self.last.lock().unwrap_or_else(|p| p.into_inner());
            let recent = last.0.is_some_and(|at| at.elapsed() < REBUILD_EVERY);
            if last.1 || recent {
                return;
            }
            *last = (Some(Instant::now()), true);
        }
        let this = Arc::clone(self);
        tokio::spawn(async move {
            let fresh = tokio::time::timeout(this.limit, this.client.get_async_connection()).await;
            if let Ok(Ok(fresh)) = fresh {
                *this.current.write().unwrap_or_else(|p| p.into_inner()) = fresh;
                tracing::info!("Redis Cluster connection rebuilt after a timeout");
            }
            this.last.lock().unwrap_or_else(|p| p.into_inner()).1 = false;
        });
    }
}
