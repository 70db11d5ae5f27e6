//! Acknowledging an append only once replicas have it: `WAIT n timeout` after the append's
//! script, on the same connection (so it covers that write). Redis replicates asynchronously; a
//! primary that fails over before its replica saw a write loses it, and this is the way out the
//! store offers (issue #18 measured `WAIT 1 100` removing every loss of a stalled primary, at
//! about half the throughput).

use multichat_core::{Error, Result};

use crate::RedisStore;
use crate::error::{BACKEND, redis, timed_out};

impl RedisStore {
    /// Waits for `config.confirm_replicas` replicas to confirm every write made so far on this
    /// store's connection; `Unconfirmed` (written, maybe applied) when fewer do in time.
    pub(crate) async fn confirm_on_replicas(&self, key: &str) -> Result<()> {
        let wanted = self.config.confirm_replicas;
        if wanted == 0 {
            return Ok(());
        }
        let wait = self.config.confirm_timeout;
        let cmd = redis::cmd("WAIT")
            .arg(wanted)
            .arg(wait.as_millis().max(1) as u64)
            .clone();
        // The server answers `WAIT` after up to `wait`: the reply may take that much longer than
        // an ordinary one.
        let mut conn = self.conn.clone();
        let limit = self.config.answer_timeout();
        let answer = tokio::time::timeout(limit, cmd.query_async::<u32>(&mut conn))
            .await
            .map_err(|_| timed_out("WAIT"))?;
        let confirmed = answer.map_err(redis(key))?;
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
