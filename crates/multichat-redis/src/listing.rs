//! Listing sessions: a page walks the index (`updated_at` or a participant's) from the cursor,
//! reads each candidate session and skips (and removes) entries whose session is gone, expired
//! or no longer has the participant.

use std::collections::HashMap;

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
        let listing = Listing {
            store: self.clone(),
            key,
            query: query.clone(),
            cursor,
            now,
        };
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
    /// The sessions of `ids` that belong on this page, in the order of `ids`. One server: their
    /// hashes in one pipeline. A Cluster: read at once on the calling task (the keys live on
    /// several nodes; the connection pipelines what goes to each).
    async fn candidates(&self, ids: &[String]) -> Result<Vec<Session>> {
        let ids: Vec<SessionId> = ids
            .iter()
            .filter_map(|i| SessionId::new(i.as_str()).ok())
            .collect();
        let loaded = if self.store.conn.is_cluster() {
            let loads = ids.iter().map(|id| self.store.load(id));
            futures_util::future::try_join_all(loads).await?
        } else {
            self.load_all(&ids).await?
        };
        let mut found = Vec::new();
        for (id, session) in ids.iter().zip(loaded) {
            found.extend(self.judge(id, session).await?);
        }
        Ok(found)
    }

    /// The sessions `ids` in one pipeline of `HGETALL`s (one server only), in order; `None` for
    /// each that is gone.
    async fn load_all(&self, ids: &[SessionId]) -> Result<Vec<Option<Session>>> {
        if ids.is_empty() {
            return Ok(Vec::new());
        }
        let keys: Vec<String> = ids.iter().map(|id| self.store.keys.session(id)).collect();
        let mut pipe = redis::pipe();
        for key in &keys {
            pipe.cmd("HGETALL").arg(key);
        }
        let first = keys.first().map_or("", String::as_str);
        let hashes: Vec<HashMap<String, String>> = self.store.query_pipe(pipe, first).await?;
        let decode = |(key, hash): (&String, HashMap<String, String>)| {
            if hash.is_empty() {
                return Ok(None);
            }
            crate::codec::session(&hash, key).map(Some)
        };
        keys.iter().zip(hashes).map(decode).collect()
    }

    /// The session `id` (as loaded: `None` if gone) if it belongs on this page; removes its
    /// entry from the index if it is gone or no longer has the participant.
    async fn judge(&self, id: &SessionId, session: Option<Session>) -> Result<Option<Session>> {
        let Some(session) = session else {
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
