//! `RedisStore`: connecting, and running scripts and commands with timeouts and error mapping.

use std::sync::Arc;

use multichat_core::{Result, SessionId, Timestamp};
use redis::aio::ConnectionLike;
use redis::{Cmd, ErrorKind, FromRedisValue, RedisResult, Script, ServerErrorKind, Value};

use crate::calls::{Call, items};
use crate::config::RedisConfig;
use crate::conn::{Conn, connect};
use crate::error::{redis as redis_err, timed_out};
use crate::keys::Keys;
use crate::pipeline::AutoPipeline;
use crate::replies::Reply;
use crate::url::RedisUrl;
use crate::waker::Waker;

/// A multichat store in Redis (one server or a Cluster). Cheap to clone; the connection is
/// multiplexed and reconnects by itself after the server comes back.
///
/// ```no_run
/// # tokio::runtime::Runtime::new().unwrap().block_on(async {
/// use multichat_core::{MessageStore, NewMessage, NewSession, SessionId, SessionStore};
/// use multichat_redis::{RedisConfig, RedisStore};
///
/// let store = RedisStore::connect("redis://127.0.0.1:6400/", RedisConfig::default().prefix("myapp")).await?;
/// let id = SessionId::new("s1")?;
/// store.create_session(NewSession::new(id.clone())).await?;
/// store.append(&id, vec![NewMessage::user("hello")], None).await?;
/// # Ok::<(), multichat_core::Error>(())
/// # });
/// ```
#[derive(Clone)]
pub struct RedisStore {
    pub(crate) conn: Conn,
    pub(crate) keys: Keys,
    pub(crate) config: RedisConfig,
    url: RedisUrl,
    pipeline: Option<Arc<AutoPipeline>>,
    pub(crate) eviction_policy: Option<Arc<str>>,
    /// What wakes this store's watches (see `waker.rs`).
    pub(crate) waker: Arc<Waker>,
}

impl RedisStore {
    /// Connects to `url` (`redis://`, `rediss://` with feature `tls`, `redis+cluster://h:p,h:p`
    /// with feature `cluster`). An unreachable server is `Unavailable` within the timeouts; a
    /// wrong password is a `Backend` error saying authentication failed.
    pub async fn connect(url: &str, config: RedisConfig) -> Result<Self> {
        config.check()?;
        let url = RedisUrl::parse(url)?;
        let conn = connect(&url, &config).await?;
        let keys = Keys::new(&config.prefix);
        let pipeline = match &conn {
            Conn::Single(manager) if config.auto_pipeline => Some(Arc::new(AutoPipeline::new(
                manager.clone(),
                keys.index_prefix(),
            ))),
            _ => None,
        };
        let mut store = Self {
            conn,
            keys,
            config,
            url,
            pipeline,
            eviction_policy: None,
            waker: Arc::default(),
        };
        store.eviction_policy = crate::eviction::read(&store).await.map(Arc::from);
        crate::eviction::warn(store.eviction_policy());
        Ok(store)
    }

    /// Closes the store's connections (every write it acknowledged is already on the server).
    /// Dropping the store does the same; `close` says so in the code that ends its use.
    pub async fn close(self) -> Result<()> {
        drop(self);
        Ok(())
    }

    /// The URL, with its password hidden when displayed.
    pub fn url(&self) -> &RedisUrl {
        &self.url
    }

    pub(crate) fn now(&self) -> Timestamp {
        self.config.clock.now()
    }

    /// Runs `script` on the keys of session `id` with the common arguments and `args`; a bare reply
    /// `v` is read as `['ok', v]`.
    pub(crate) async fn eval(
        &self,
        script: &Script,
        id: &SessionId,
        now: Timestamp,
        args: Vec<String>,
    ) -> Result<Reply> {
        let key = self.keys.session(id);
        let (messages, client_keys) = (self.keys.messages(id), self.keys.client_keys(id));
        let cluster = if self.conn.is_cluster() { "1" } else { "0" };
        let build = || {
            let mut cmd = redis::cmd("EVALSHA");
            cmd.arg(script.get_hash()).arg(3).arg(&key).arg(&messages);
            cmd.arg(&client_keys);
            cmd.arg(now.0).arg(self.keys.index_prefix()).arg(cluster);
            for arg in &args {
                cmd.arg(arg);
            }
            Call::Cmd(cmd)
        };
        let items = self.script_call(script, &key, build).await.map(items)?;
        Ok(Reply::new(key, items))
    }

    /// Runs `call()` within the timeouts; on `NOSCRIPT` (a restarted server) loads `script` and
    /// runs `call()` once more.
    pub(crate) async fn script_call(
        &self,
        script: &Script,
        key: &str,
        call: impl Fn() -> Call,
    ) -> Result<Value> {
        let limit = self.config.response_timeout + self.config.connect_timeout;
        let answer = tokio::time::timeout(limit, async {
            match self.send(call()).await {
                Err(e) if e.kind() == ErrorKind::Server(ServerErrorKind::NoScript) => {
                    script
                        .prepare_invoke()
                        .load_async(&mut self.conn.clone())
                        .await?;
                    self.send(call()).await
                }
                answer => answer,
            }
        })
        .await
        .map_err(|_| timed_out("a script"))?;
        answer.map_err(redis_err(key))
    }

    /// Sends one call: through the auto-pipelining queue when there is one.
    async fn send(&self, call: Call) -> RedisResult<Value> {
        match &self.pipeline {
            Some(pipeline) => pipeline.run(call).await,
            None => {
                let mut conn = self.conn.clone();
                let cmd = call.command(self.keys.index_prefix(), self.conn.is_cluster());
                conn.req_packed_command(&cmd)
                    .await
                    .and_then(Value::extract_error)
            }
        }
    }

    /// Runs one command about `key`.
    pub(crate) async fn query<T: FromRedisValue>(&self, cmd: Cmd, key: &str) -> Result<T> {
        let mut conn = self.conn.clone();
        let limit = self.config.response_timeout + self.config.connect_timeout;
        let answer = tokio::time::timeout(limit, cmd.query_async(&mut conn))
            .await
            .map_err(|_| timed_out("a command"))?;
        answer.map_err(redis_err(key))
    }
}

impl RedisStore {
    /// Runs a pipeline about `key` (one round trip).
    pub(crate) async fn query_pipe<T: FromRedisValue>(
        &self,
        pipe: redis::Pipeline,
        key: &str,
    ) -> Result<T> {
        let mut conn = self.conn.clone();
        let limit = self.config.response_timeout + self.config.connect_timeout;
        let answer = tokio::time::timeout(limit, pipe.query_async(&mut conn))
            .await
            .map_err(|_| timed_out("a pipeline"))?;
        answer.map_err(redis_err(key))
    }
}

impl std::fmt::Debug for RedisStore {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("RedisStore")
            .field("url", &self.url)
            .field("prefix", &self.config.prefix)
            .finish()
    }
}
