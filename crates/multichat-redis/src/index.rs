//! The sorted-set indexes: by `updated_at` (listing), by participant, by expiry. One server
//! updates them inside each script; a Cluster keeps them on other slots, so the client updates
//! them after the session's script, and listing skips and repairs stale entries. The session's
//! script is the commit: an index write that fails after it (a node failing over, a key of
//! another type) is logged and never turns a committed call into an error, so a caller's retry
//! cannot store the same message twice. The next write of that session brings its entries up to
//! date again.

use multichat_core::{Result, SessionId};

use crate::RedisStore;
use crate::replies::Indexed;

impl RedisStore {
    /// Cluster mode: brings the indexes in line with a write that left the session `indexed`
    /// (and, if its participants changed, formerly with `old_parts`). A failure is logged, never
    /// returned: the write it follows has committed.
    pub(crate) async fn reindex(&self, id: &SessionId, indexed: Option<&Indexed>, old_parts: &str) {
        let Some(indexed) = indexed.filter(|_| self.conn.is_cluster()) else {
            return;
        };
        lagging(id, self.move_entries(id, indexed, old_parts).await);
    }

    async fn move_entries(&self, id: &SessionId, indexed: &Indexed, old_parts: &str) -> Result<()> {
        let parts: Vec<String> = serde_json::from_str(&indexed.parts).unwrap_or_default();
        let old: Vec<String> = serde_json::from_str(old_parts).unwrap_or_default();
        for gone in old.iter().filter(|p| !parts.contains(p)) {
            self.zrem(&self.keys.participant(gone), id).await?;
        }
        let score = format!("-{}", indexed.updated);
        for key in parts
            .iter()
            .map(|p| self.keys.participant(p))
            .chain([self.keys.updated()])
        {
            let cmd = redis::cmd("ZADD")
                .arg(&key)
                .arg("LT")
                .arg(&score)
                .arg(id.as_str())
                .clone();
            self.query::<()>(cmd, &key).await?;
        }
        let key = self.keys.expiry();
        match indexed.expires.as_str() {
            "" if !indexed.was_expiring => Ok(()),
            "" => self.zrem(&key, id).await,
            at => {
                let cmd = redis::cmd("ZADD")
                    .arg(&key)
                    .arg(at)
                    .arg(id.as_str())
                    .clone();
                self.query(cmd, &key).await
            }
        }
    }

    /// Cluster mode: removes a deleted session from every index it was in (an entry left
    /// behind is skipped and removed by listing and purging).
    pub(crate) async fn unindex(&self, id: &SessionId, parts: &str) {
        if !self.conn.is_cluster() {
            return;
        }
        let parts: Vec<String> = serde_json::from_str(parts).unwrap_or_default();
        for key in parts
            .iter()
            .map(|p| self.keys.participant(p))
            .chain([self.keys.updated(), self.keys.expiry()])
        {
            lagging(id, self.zrem(&key, id).await);
        }
    }

    /// Removes `id` from the index `key`.
    pub(crate) async fn zrem(&self, key: &str, id: &SessionId) -> Result<()> {
        self.query(redis::cmd("ZREM").arg(key).arg(id.as_str()).clone(), key)
            .await
    }
}

/// Logs an index write that failed after its session's write committed.
fn lagging(id: &SessionId, done: Result<()>) {
    if let Err(e) = done {
        tracing::warn!(session = %id, error = %e, "index update after a committed write failed; the next write of this session retries it");
    }
}
