//! The connection: a reconnecting `ConnectionManager` for one server, or the async Cluster
//! client; both multiplexed, so concurrent calls pipeline on the wire.

use multichat_core::Result;
use redis::aio::{ConnectionLike, ConnectionManager, ConnectionManagerConfig};
use redis::{Cmd, Pipeline, RedisFuture, Value};

use crate::config::RedisConfig;
use crate::error::{redis as redis_err, timed_out};
use crate::url::{Mode, RedisUrl};

/// A shared, cloneable connection.
#[derive(Clone)]
pub enum Conn {
    /// One server.
    Single(ConnectionManager),
    /// A Redis Cluster, its connection rebuilt after a timeout.
    #[cfg(feature = "cluster")]
    Cluster(std::sync::Arc<crate::cluster::Rebuilt>),
}

impl Conn {
    /// Whether this is a Cluster connection (indexes are then updated outside the scripts).
    pub fn is_cluster(&self) -> bool {
        !matches!(self, Self::Single(_))
    }
}

/// Connects to `url`, failing with `Unavailable` within the connect timeout when no server answers.
pub async fn connect(url: &RedisUrl, config: &RedisConfig) -> Result<Conn> {
    let shown = url.to_string();
    let connecting = open(url, config);
    let limit = config.connect_timeout + config.response_timeout;
    tokio::time::timeout(limit, connecting)
        .await
        .map_err(|_| timed_out("a connection"))?
        .map_err(redis_err(&shown))
}

async fn open(url: &RedisUrl, config: &RedisConfig) -> redis::RedisResult<Conn> {
    match url.mode() {
        Mode::Standalone => {
            let client = redis::Client::open(url.nodes()[0].as_str())?;
            let settings = ConnectionManagerConfig::new()
                .set_connection_timeout(Some(config.connect_timeout))
                .set_response_timeout(Some(config.answer_timeout()))
                .set_number_of_retries(2);
            Ok(Conn::Single(
                ConnectionManager::new_with_config(client, settings).await?,
            ))
        }
        Mode::Cluster => cluster(url, config).await,
    }
}

#[cfg(feature = "cluster")]
async fn cluster(url: &RedisUrl, config: &RedisConfig) -> redis::RedisResult<Conn> {
    let client = redis::cluster::ClusterClient::builder(url.nodes().to_vec())
        .connection_timeout(config.connect_timeout)
        .response_timeout(config.answer_timeout())
        .build()?;
    let limit = config.connect_timeout + config.response_timeout;
    let rebuilt = crate::cluster::Rebuilt::connect(client, limit).await?;
    Ok(Conn::Cluster(rebuilt))
}

#[cfg(not(feature = "cluster"))]
async fn cluster(_url: &RedisUrl, _config: &RedisConfig) -> redis::RedisResult<Conn> {
    Err(redis::RedisError::from((
        redis::ErrorKind::InvalidClientConfig,
        "built without the `cluster` feature",
    )))
}

impl Conn {
    /// Sends `pipe` in order on the connection to the node serving `key` (the master of its
    /// slot in a Cluster; the one connection otherwise).
    pub fn pipeline_to<'a>(
        &'a mut self,
        key: &str,
        pipe: &'a Pipeline,
    ) -> RedisFuture<'a, Vec<Value>> {
        match self {
            Self::Single(c) => {
                let _ = key; // one server holds every key
                c.req_packed_commands(pipe, 0, pipe.len())
            }
            #[cfg(feature = "cluster")]
            Self::Cluster(c) => {
                use redis::cluster_routing::{Route, SingleNodeRoutingInfo, SlotAddr};
                let route = Route::with_key(key, SlotAddr::Master);
                let route = SingleNodeRoutingInfo::SpecificNode(route);
                let (rebuilt, mut conn) = (std::sync::Arc::clone(c), c.current());
                Box::pin(async move {
                    let outcome = conn
                        .route_pipeline(pipe.clone(), 0, pipe.len(), route)
                        .await;
                    rebuilt.after(&outcome);
                    outcome
                })
            }
        }
    }
}

impl ConnectionLike for Conn {
    fn req_packed_command<'a>(&'a mut self, cmd: &'a Cmd) -> RedisFuture<'a, Value> {
        match self {
            Self::Single(c) => c.req_packed_command(cmd),
            #[cfg(feature = "cluster")]
            Self::Cluster(c) => {
                let (rebuilt, mut conn) = (std::sync::Arc::clone(c), c.current());
                Box::pin(async move {
                    let outcome = conn.req_packed_command(cmd).await;
                    rebuilt.after(&outcome);
                    outcome
                })
            }
        }
    }

    fn req_packed_commands<'a>(
        &'a mut self,
        cmd: &'a Pipeline,
        offset: usize,
        count: usize,
    ) -> RedisFuture<'a, Vec<Value>> {
        match self {
            Self::Single(c) => c.req_packed_commands(cmd, offset, count),
            #[cfg(feature = "cluster")]
            Self::Cluster(c) => {
                let (rebuilt, mut conn) = (std::sync::Arc::clone(c), c.current());
                Box::pin(async move {
                    let outcome = conn.req_packed_commands(cmd, offset, count).await;
                    rebuilt.after(&outcome);
                    outcome
                })
            }
        }
    }

    fn get_db(&self) -> i64 {
        match self {
            Self::Single(c) => c.get_db(),
            #[cfg(feature = "cluster")]
            Self::Cluster(c) => c.current().get_db(),
        }
    }
}
