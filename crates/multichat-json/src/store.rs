//! `SessionStore` for `JsonStore`: writes run under the session's lock; reads of sessions come
//! from the in-memory state, which mirrors the files exactly.

use async_trait::async_trait;
use multichat_core::{
    NewSession, Page, Result, Session, SessionId, SessionPatch, SessionQuery, SessionStore,
    list_page,
};

use crate::JsonStore;
use crate::ops_sessions;

#[async_trait]
impl SessionStore for JsonStore {
    async fn create_session(&self, new: NewSession) -> Result<Session> {
        self.inner.config.limits.check_new_session(&new)?;
        let id = new.id.clone();
        self.run(&id, move |ctx| ops_sessions::create(ctx, new))
            .await
    }

    async fn get_session(&self, id: &SessionId) -> Result<Option<Session>> {
        self.heal().await?;
        self.inner.check_damage(id)?;
        let now = self.inner.config.clock.now();
        let map = self.inner.map();
        Ok(map
            .get(id)
            .map(|e| e.session.clone())
            .filter(|s| !s.is_expired(now)))
    }

    async fn update_session(&self, id: &SessionId, patch: SessionPatch) -> Result<Session> {
        self.inner.config.limits.check_patch(&patch)?;
        self.run(id, move |ctx| ops_sessions::update(ctx, patch))
            .await
    }

    async fn delete_session(&self, id: &SessionId) -> Result<bool> {
        if self.inner.remove_damaged(id)? {
            return Ok(true);
        }
        self.run(id, ops_sessions::delete).await
    }

    /// Listing sorts the in-memory records: O(sessions) per page.
    async fn list_sessions(&self, query: SessionQuery) -> Result<Page<Session>> {
        let cursor = self.inner.config.limits.check_list(&query)?;
        self.heal().await?;
        let now = self.inner.config.clock.now();
        let map = self.inner.map();
        Ok(list_page(
            map.values().map(|e| &e.session),
            &query,
            cursor.as_ref(),
            now,
        ))
    }

    async fn purge_expired(&self) -> Result<u64> {
        self.heal().await?;
        let now = self.inner.config.clock.now();
        let expired: Vec<SessionId> = self
            .inner
            .map()
            .values()
            .filter(|e| e.session.is_expired(now))
            .map(|e| e.session.id.clone())
            .collect();
        let mut removed = 0;
        for id in expired {
            let gone = self.run(&id, move |ctx| {
                let expired = ctx
                    .current
                    .as_ref()
                    .is_some_and(|e| e.session.is_expired(ctx.now));
                if expired {
                    ops_sessions::delete(ctx).map(|(_, after)| (true, after))
                } else {
                    Ok((false, crate::inner::After::Keep))
                }
            });
            removed += u64::from(gone.await?);
        }
        Ok(removed)
    }
}
