//! Acknowledging an append only once replicas have it: the append's script and `WAIT n timeout`
//! go out back to back in one pipeline on the connection to the node that holds the session
//! (its master's slot in a Cluster), so the `WAIT` covers that write whatever else the
//! connection carries, and a failover between the two cannot make it count another node's
//! replicas. Redis replicates asynchronously; a master that fails over before its replica saw a
//! write loses it, and this is the way out the store offers (issue #18 measured `WAIT 1 100`
//! removing every loss of a stalled primary, at about half the throughput).

use multichat_core::{Error, Result};
use redis::{ErrorKind, RedisResult, ServerErrorKind, Value};

use crate::RedisStore;
use crate::calls::Call;
use crate::error::{BACKEND, redis as redis_err, timed_out};
use crate::scripts;

impl RedisStore {
    /// Runs the append `call()` and its `WAIT` (see the module docs), within the timeouts; on
    /// `NOSCRIPT` (a restarted server) loads the script and runs both once more. The append's
    /// reply, and how many replicas confirmed it.
    pub(crate) async fn confirmed_call(
        &self,
        key: &str,
        call: impl Fn() -> Call,
    ) -> Result<(Value, u32)> {
        let limit = self.config.answer_timeout() + self.config.connect_timeout;
        let answer = tokio::time::timeout(limit, async {
            match self.append_and_wait(key, call()).await {
                Err(e) if e.kind() == ErrorKind::Server(ServerErrorKind::NoScript) => {
                    let script = scripts::APPEND.prepare_invoke();
                    script.load_async(&mut self.conn.clone()).await?;
                    self.append_and_wait(key, call()).await
                }
                answer => answer,
            }
        })
        .await
        .map_err(|_| timed_out("a confirmed append"))?;
        answer.map_err(redis_err(key))
    }

    async fn append_and_wait(&self, key: &str, call: Call) -> RedisResult<(Value, u32)> {
        let mut pipe = redis::pipe();
        pipe.add_command(call.command(self.keys.index_prefix(), self.conn.is_cluster()));
        let wait = self.config.confirm_timeout.as_millis().max(1) as u64;
        pipe.cmd("WAIT").arg(self.config.confirm_replicas).arg(wait);
        let mut conn = self.conn.clone();
        let mut values = conn.pipeline_to(key, &pipe).await?.into_iter();
        let reply = values.next().unwrap_or(Value::Nil).extract_error()?;
        let confirmed = values.next().unwrap_or(Value::Nil).extract_error()?;
        Ok((reply, redis::from_redis_value(confirmed)?))
    }

    /// `Unconfirmed` (written, maybe applied) when fewer than `config.confirm_replicas` replicas
    /// confirmed an append.
    pub(crate) fn check_confirmed(&self, confirmed: u32) -> Result<()> {
        let wanted = self.config.confirm_replicas;
        if confirmed < wanted {
            return Err(Error::Unconfirmed {
                backend: BACKEND,
                wanted,
                confirmed,
            });
        }
        Ok(())
    }
}
