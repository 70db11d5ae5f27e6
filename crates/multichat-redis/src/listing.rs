//! Listing sessions: a page walks the index (`updated_at` or a participant's) from the cursor,
//! reads each candidate session and skips (and removes) entries whose session is gone, expired
//! or no longer has the participant.

use std::sync::Arc;

use multichat_core::backend::{listing_order, page_of};
use multichat_core::{ListCursor, Page, Result, Session, SessionId, SessionQuery, Timestamp};

use crate::RedisStore;

impl RedisStore {
    /// The page of `query` after `cursor`, as of `now`.
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
        let listing = Arc::new(Listing {
            store: self.clone(),
            key,
            query: query.clone(),
            cursor,
            now,
        });
        let (mut found, mut offset) = (Vec::new(), 0);
        while found.len() <= query.limit {
            let cmd = redis::cmd("ZRANGE")
                .arg(&listing.key)
                .arg(&min)
                .arg("+inf")
                .arg("BYSCORE")
                .arg("LIMIT")
                .arg(offset)
                .arg(query.limit + 1)
                .clone();
            let ids: Vec<String> = self.query(cmd, &listing.key).await?;
            offset += ids.len();
            found.extend(listing.candidates(&ids).await?);
            if ids.len() <= query.limit {
                break;
            }
        }
        found.sort_by(|a, b| listing_order((a.updated_at, &a.id), (b.updated_at, &b.id)));
        found.truncate(query.limit + 1);
        Ok(page_of(found, query.limit))
    }
}

/// One page being listed: the index walked, the query, where the page starts, and the time.
struct Listing {
    store: RedisStore,
    key: String,
    query: SessionQuery,
    cursor: Option<ListCursor>,
    now: Timestamp,
}

impl Listing {
    /// The sessions of `ids` that belong on this page, read concurrently (the connection
    /// pipelines them), in the order of `ids`.
    async fn candidates(self: &Arc<Self>, ids: &[String]) -> Result<Vec<Session>> {
        let mut tasks = tokio::task::JoinSet::new();
        for (n, id) in ids
            .iter()
            .filter_map(|i| SessionId::new(i.as_str()).ok())
            .enumerate()
        {
            let listing = Arc::clone(self);
            tasks.spawn(async move { (n, listing.candidate(&id).await) });
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

    /// The session `id` if it belongs on this page; removes its entry from the index if it is
    /// gone or no longer has the participant.
    async fn candidate(&self, id: &SessionId) -> Result<Option<Session>> {
        let Some(session) = self.store.load(id).await? else {
            self.store.zrem(&self.key, id).await?;
            return Ok(None);
        };
        let wrong_participant = self
            .query
            .participant
            .as_ref()
            .is_some_and(|p| !session.participants.contains(p));
        if wrong_participant {
            self.store.zrem(&self.key, id).await?;
        }
        let after_cursor = self
            .cursor
            .as_ref()
            .is_none_or(|c| c.precedes(session.updated_at, &session.id));
        Ok(
            (!wrong_participant && after_cursor && !session.is_expired(self.now))
                .then_some(session),
        )
    }
}
