//! The sorted-set indexes: by `updated_at` (listing), by participant, by expiry. One server
//! updates them inside each script; a Cluster keeps them on other slots, so the client updates
//! them after the session's script, and listing skips and repairs stale entries. The session's
//! script is the commit: an index write that fails after it (a node failing over, a key of
//! another type) is logged and never turns a committed call into an error, so a caller's retry
//! cannot store the same message twice. The next write of that session brings its entries up to
//! date again.

use multichat_core::{
    ListCursor, Page, Result, Session, SessionId, SessionQuery, Timestamp, listing_order, page_of,
};

use crate::RedisStore;
use crate::codec;

impl RedisStore {
    /// Cluster mode: brings the indexes in line with a write that left the session at
    /// `updated`/`expires` with `parts` (and, if it changed, formerly `old_parts`).
    pub(crate) async fn reindex(
        &self,
        id: &SessionId,
        (updated, expires): (&str, &str),
        parts: &str,
        old_parts: &str,
    ) -> Result<()> {
        if !self.conn.is_cluster() {
            return Ok(());
        }
        let parts: Vec<String> = serde_json::from_str(parts).unwrap_or_default();
        let old: Vec<String> = serde_json::from_str(old_parts).unwrap_or_default();
        for gone in old.iter().filter(|p| !parts.contains(p)) {
            self.zrem(&self.keys.participant(gone), id).await?;
        }
        let score = format!("-{updated}");
        for key in parts
            .iter()
            .map(|p| self.keys.participant(p))
            .chain([self.keys.updated()])
        {
            self.query::<()>(
                redis::cmd("ZADD")
                    .arg(&key)
                    .arg("LT")
                    .arg(&score)
                    .arg(id.as_str())
                    .clone(),
                &key,
            )
            .await?;
        }
        let key = self.keys.expiry();
        match expires {
            "" => self.zrem(&key, id).await,
            at => {
                self.query(
                    redis::cmd("ZADD")
                        .arg(&key)
                        .arg(at)
                        .arg(id.as_str())
                        .clone(),
                    &key,
                )
                .await
            }
        }
    }

    /// [`RedisStore::reindex`] with the `updated_at`, `expires_at` and participants a script
    /// returned at `reply[at..at + 3]`.
    pub(crate) async fn reindex_reply(
        &self,
        id: &SessionId,
        reply: &[redis::Value],
        at: usize,
        old_parts: &str,
    ) -> Result<()> {
        if !self.conn.is_cluster() {
            return Ok(());
        }
        let field = |n: usize| reply.get(at + n).map(crate::open::text).unwrap_or_default();
        let done = self
            .reindex(id, (&field(0), &field(1)), &field(2), old_parts)
            .await;
        lagging(id, done);
        Ok(())
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

    pub(crate) async fn zrem(&self, key: &str, id: &SessionId) -> Result<()> {
        self.query(redis::cmd("ZREM").arg(key).arg(id.as_str()).clone(), key)
            .await
    }

    /// One page: walks the index from the cursor, reads each candidate, skips (and removes)
    /// entries whose session is gone, expired or no longer has the participant.
    pub(crate) async fn list(
        &self,
        query: &SessionQuery,
        cursor: Option<ListCursor>,
        now: Timestamp,
    ) -> Result<Page<Session>> {
        let key = query
            .participant
            .as_deref()
            .map_or_else(|| self.keys.updated(), |p| self.keys.participant(p));
        let min = cursor
            .as_ref()
            .map_or("-inf".to_owned(), |c| format!("{}", -c.updated_at.0));
        let (mut found, mut offset) = (Vec::new(), 0);
        while found.len() <= query.limit {
            let cmd = redis::cmd("ZRANGE")
                .arg(&key)
                .arg(&min)
                .arg("+inf")
                .arg("BYSCORE")
                .arg("LIMIT")
                .arg(offset)
                .arg(query.limit + 1)
                .clone();
            let ids: Vec<String> = self.query(cmd, &key).await?;
            offset += ids.len();
            found.extend(
                self.candidates(&key, &ids, query, (cursor.as_ref(), now))
                    .await?,
            );
            if ids.len() <= query.limit {
                break;
            }
        }
        found.sort_by(|a, b| listing_order((a.updated_at, &a.id), (b.updated_at, &b.id)));
        found.truncate(query.limit + 1);
        Ok(page_of(found, query.limit))
    }

    /// The sessions of `ids` that belong on this page, read concurrently (the connection
    /// pipelines them), in the order of `ids`.
    async fn candidates(
        &self,
        key: &str,
        ids: &[String],
        query: &SessionQuery,
        (cursor, now): (Option<&ListCursor>, Timestamp),
    ) -> Result<Vec<Session>> {
        let mut tasks = tokio::task::JoinSet::new();
        for (n, id) in ids
            .iter()
            .filter_map(|i| SessionId::new(i.as_str()).ok())
            .enumerate()
        {
            let (store, key, query, cursor) =
                (self.clone(), key.to_owned(), query.clone(), cursor.cloned());
            tasks.spawn(async move {
                (
                    n,
                    store
                        .candidate(&key, &id, &query, (cursor.as_ref(), now))
                        .await,
                )
            });
        }
        let mut found = Vec::new();
        while let Some(done) = tasks.join_next().await {
            let (n, session) = done.map_err(|e| multichat_core::Error::Backend {
                backend: crate::error::BACKEND,
                source: Box::new(e),
            })?;
            found.extend(session?.map(|s| (n, s)));
        }
        found.sort_by_key(|(n, _)| *n);
        Ok(found.into_iter().map(|(_, s)| s).collect())
    }

    /// The session `id` if it belongs on this page; removes its entry from `key` if it is gone.
    async fn candidate(
        &self,
        key: &str,
        id: &SessionId,
        query: &SessionQuery,
        (cursor, now): (Option<&ListCursor>, Timestamp),
    ) -> Result<Option<Session>> {
        let Some(session) = self.load(id).await? else {
            self.zrem(key, id).await?;
            return Ok(None);
        };
        let wrong_participant = query
            .participant
            .as_ref()
            .is_some_and(|p| !session.participants.contains(p));
        if wrong_participant {
            self.zrem(key, id).await?;
        }
        let after_cursor = cursor.is_none_or(|c| c.precedes(session.updated_at, &session.id));
        Ok((!wrong_participant && after_cursor && !session.is_expired(now)).then_some(session))
    }

    /// The stored session `id`, expired or not.
    pub(crate) async fn load(&self, id: &SessionId) -> Result<Option<Session>> {
        let key = self.keys.session(id);
        let hash: std::collections::HashMap<String, String> = self
            .query(redis::cmd("HGETALL").arg(&key).clone(), &key)
            .await?;
        if hash.is_empty() {
            return Ok(None);
        }
        codec::session(&hash, &key).map(Some)
    }
}

/// Logs an index write that failed after its session's write committed.
fn lagging(id: &SessionId, done: Result<()>) {
    if let Err(e) = done {
        tracing::warn!(session = %id, error = %e, "index update after a committed write failed; the next write of this session retries it");
    }
}
