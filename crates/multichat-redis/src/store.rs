//! `SessionStore` for `RedisStore`.

use async_trait::async_trait;
use multichat_core::{
    Error, NewSession, Page, Result, Session, SessionId, SessionPatch, SessionQuery, SessionStore,
};

use crate::codec::session_fields;
use crate::error::{BACKEND, unexpected};
use crate::open::text;
use crate::{RedisStore, scripts};

/// How often an update retries its compare-and-set under contention.
const UPDATE_TRIES: usize = 64;

#[async_trait]
impl SessionStore for RedisStore {
    async fn create_session(&self, new: NewSession) -> Result<Session> {
        self.config.limits.check_new_session(&new)?;
        let now = self.now();
        let session = Session::create(new, now);
        let reply = self
            .eval(&scripts::CREATE, &session.id, now, session_fields(&session))
            .await?;
        match text(&reply[0]).as_str() {
            "exists" => Err(Error::AlreadyExists { id: session.id }),
            "ok" => {
                self.reindex_reply(&session.id, &reply, 1, &text(&reply[4]))
                    .await?;
                Ok(session)
            }
            other => Err(unexpected(&self.keys.session(&session.id), other)),
        }
    }

    async fn get_session(&self, id: &SessionId) -> Result<Option<Session>> {
        let now = self.now();
        Ok(self.load(id).await?.filter(|s| !s.is_expired(now)))
    }

    async fn update_session(&self, id: &SessionId, patch: SessionPatch) -> Result<Session> {
        self.config.limits.check_patch(&patch)?;
        for _ in 0..UPDATE_TRIES {
            let now = self.now();
            let current = self
                .load(id)
                .await?
                .filter(|s| !s.is_expired(now))
                .ok_or_else(|| Error::not_found(id))?;
            let mut next = current.clone();
            next.apply_patch(patch.clone(), now)?;
            let mut args = vec![current.version.to_string()];
            args.extend(session_fields(&next));
            let reply = self.eval(&scripts::WRITE, id, now, args).await?;
            match text(&reply[0]).as_str() {
                "retry" => continue,
                "not_found" => return Err(Error::not_found(id)),
                _ => {}
            }
            self.reindex_reply(id, &reply, 1, &text(&reply[4])).await?;
            return Ok(next);
        }
        Err(Error::Unavailable {
            backend: BACKEND,
            source: format!("session {id} changed {UPDATE_TRIES} times during one update").into(),
        })
    }

    async fn delete_session(&self, id: &SessionId) -> Result<bool> {
        let reply = self
            .eval(&scripts::DELETE, id, self.now(), vec![String::new()])
            .await?;
        let status = text(&reply[0]);
        if status != "absent" {
            self.unindex(id, &text(&reply[1])).await;
        }
        Ok(status == "live")
    }

    async fn list_sessions(&self, query: SessionQuery) -> Result<Page<Session>> {
        let cursor = self.config.limits.check_list(&query)?;
        self.list(&query, cursor, self.now()).await
    }

    async fn purge_expired(&self) -> Result<u64> {
        let now = self.now();
        let key = self.keys.expiry();
        let cmd = redis::cmd("ZRANGE")
            .arg(&key)
            .arg("-inf")
            .arg(now.0)
            .arg("BYSCORE")
            .clone();
        let ids: Vec<String> = self.query(cmd, &key).await?;
        let mut purged = 0;
        for id in ids.iter().filter_map(|i| SessionId::new(i.as_str()).ok()) {
            let reply = self
                .eval(&scripts::DELETE, &id, now, vec!["expired-only".into()])
                .await?;
            match text(&reply[0]).as_str() {
                "kept" => continue,
                "absent" => self.unindex_dropped(&id).await?,
                _ => self.unindex(&id, &text(&reply[1])).await,
            }
            purged += 1;
        }
        Ok(purged)
    }
}

impl RedisStore {
    /// A session Redis expired by itself: its index entries (participants are unknown by now;
    /// listing removes those when it meets them).
    async fn unindex_dropped(&self, id: &SessionId) -> Result<()> {
        self.zrem(&self.keys.expiry(), id).await?;
        self.zrem(&self.keys.updated(), id).await
    }
}
