//! `SessionStore` for `RedisStore`: create, write and delete are one script each
//! (`scripts/create.lua`, `write.lua`, `delete.lua`); reading a session is one `HGETALL`.

use std::collections::HashMap;

use async_trait::async_trait;
use multichat_core::{
    Error, NewSession, Page, Result, Session, SessionId, SessionPatch, SessionQuery, SessionStore,
};

use crate::codec::{self, session_fields};
use crate::error::BACKEND;
use crate::replies::{DeleteMode, Deleted, Written};
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
        match Written::decode(&reply)? {
            Written::Done { indexed, old_parts } => {
                self.reindex(&session.id, Some(&indexed), &old_parts).await;
                Ok(session)
            }
            Written::Exists => Err(Error::AlreadyExists { id: session.id }),
            _ => Err(reply.unknown("a create answer")),
        }
    }

    async fn get_session(&self, id: &SessionId) -> Result<Option<Session>> {
        let now = self.now();
        Ok(self.load(id).await?.filter(|s| !s.is_expired(now)))
    }

    async fn update_session(&self, id: &SessionId, patch: SessionPatch) -> Result<Session> {
        self.config.limits.check_patch(&patch)?;
        for _ in 0..UPDATE_TRIES {
            if let Some(updated) = self.try_update(id, &patch).await? {
                return Ok(updated);
            }
        }
        Err(Error::Unavailable {
            backend: BACKEND,
            source: format!("session {id} changed {UPDATE_TRIES} times during one update").into(),
        })
    }

    async fn delete_session(&self, id: &SessionId) -> Result<bool> {
        match self.delete(id, DeleteMode::Any).await? {
            Deleted::Removed { was_live, parts } => {
                self.unindex(id, &parts).await;
                Ok(was_live)
            }
            Deleted::Absent | Deleted::Kept => Ok(false),
        }
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
            match self.delete(&id, DeleteMode::ExpiredOnly).await? {
                Deleted::Kept => continue,
                Deleted::Absent => self.unindex_dropped(&id).await?,
                Deleted::Removed { parts, .. } => self.unindex(&id, &parts).await,
            }
            purged += 1;
        }
        Ok(purged)
    }
}

impl RedisStore {
    /// The stored session `id`, expired or not.
    pub(crate) async fn load(&self, id: &SessionId) -> Result<Option<Session>> {
        let key = self.keys.session(id);
        let hash: HashMap<String, String> = self
            .query(redis::cmd("HGETALL").arg(&key).clone(), &key)
            .await?;
        if hash.is_empty() {
            return Ok(None);
        }
        codec::session(&hash, &key).map(Some)
    }

    /// One compare-and-set of `patch` on the session as read now; `None` when another write
    /// changed its version in between (read again and retry).
    async fn try_update(&self, id: &SessionId, patch: &SessionPatch) -> Result<Option<Session>> {
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
        match Written::decode(&reply)? {
            Written::Retry => Ok(None),
            Written::NotFound => Err(Error::not_found(id)),
            Written::Done { indexed, old_parts } => {
                self.reindex(id, Some(&indexed), &old_parts).await;
                Ok(Some(next))
            }
            Written::Exists => Err(reply.unknown("exists")),
        }
    }

    /// Runs `delete.lua` on `id` in `mode`.
    async fn delete(&self, id: &SessionId, mode: DeleteMode) -> Result<Deleted> {
        let args = vec![mode.arg().to_owned()];
        let reply = self.eval(&scripts::DELETE, id, self.now(), args).await?;
        Deleted::decode(&reply)
    }

    /// A session Redis expired by itself: its index entries (participants are unknown by now;
    /// listing removes those when it meets them).
    async fn unindex_dropped(&self, id: &SessionId) -> Result<()> {
        self.zrem(&self.keys.expiry(), id).await?;
        self.zrem(&self.keys.updated(), id).await
    }
}
