//! `SessionStore` for `JsonStore`: writes run under the session's lock (create writes an empty
//! log and the record; update rewrites the record; delete removes both); reads of sessions come
//! from the in-memory state, which mirrors the files exactly.

use async_trait::async_trait;
use multichat_core::{
    Error, NewSession, Page, Result, Session, SessionId, SessionPatch, SessionQuery, SessionStore,
};

use crate::JsonStore;
use crate::error::io_at;
use crate::records::{remove_files, write_record};
use crate::recover::SessionState;
use crate::state::{Change, Locked, live};

#[async_trait]
impl SessionStore for JsonStore {
    async fn create_session(&self, new: NewSession) -> Result<Session> {
        self.shared.config.limits.check_new_session(&new)?;
        let id = new.id.clone();
        self.run(&id, move |ctx| create(ctx, new)).await
    }

    async fn get_session(&self, id: &SessionId) -> Result<Option<Session>> {
        self.reload_marked().await?;
        self.shared.check_damage(id)?;
        let now = self.shared.config.clock.now();
        let map = self.shared.map();
        Ok(map
            .get(id)
            .map(|e| e.session.clone())
            .filter(|s| !s.is_expired(now)))
    }

    async fn update_session(&self, id: &SessionId, patch: SessionPatch) -> Result<Session> {
        self.shared.config.limits.check_patch(&patch)?;
        self.run(id, move |ctx| update(ctx, patch)).await
    }

    async fn delete_session(&self, id: &SessionId) -> Result<bool> {
        if self.shared.remove_damaged(id)? {
            return Ok(true);
        }
        let deleted = self.run(id, delete).await?;
        self.shared.changes.touch(id);
        Ok(deleted)
    }

    /// Listing walks the in-memory listing index: O(page · log sessions) per page.
    async fn list_sessions(&self, query: SessionQuery) -> Result<Page<Session>> {
        let cursor = self.shared.config.limits.check_list(&query)?;
        self.reload_marked().await?;
        let now = self.shared.config.clock.now();
        Ok(self.shared.map().page(&query, cursor.as_ref(), now))
    }

    async fn purge_expired(&self) -> Result<u64> {
        self.reload_marked().await?;
        let now = self.shared.config.clock.now();
        let expired: Vec<SessionId> = self
            .shared
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
                    delete(ctx).map(|(_, after)| (true, after))
                } else {
                    Ok((false, crate::state::Change::Keep))
                }
            });
            removed += u64::from(gone.await?);
        }
        Ok(removed)
    }
}

/// Creates the session; an expired one with the same id is replaced.
fn create(ctx: Locked<'_>, new: NewSession) -> Result<(Session, Change)> {
    if let Some(old) = &ctx.current {
        if !old.session.is_expired(ctx.now) {
            return Err(Error::AlreadyExists { id: new.id });
        }
        remove_files(ctx.shared, ctx.id)?;
    }
    let log = ctx.shared.layout.log(ctx.id.as_str());
    ctx.shared.fs().write_new(&log, b"").map_err(io_at(&log))?;
    let session = Session::create(new, ctx.now);
    write_record(ctx.shared, &session, 0)?;
    Ok((
        session.clone(),
        Change::Set(SessionState {
            session,
            log_len: 0,
        }),
    ))
}

/// Applies a validated patch.
fn update(ctx: Locked<'_>, patch: SessionPatch) -> Result<(Session, Change)> {
    let mut entry = live(&ctx)?;
    entry.session.apply_patch(patch, ctx.now)?;
    write_record(ctx.shared, &entry.session, entry.log_len)?;
    Ok((entry.session.clone(), Change::Set(entry)))
}

/// Deletes the session's files; returns whether it was live.
fn delete(ctx: Locked<'_>) -> Result<(bool, Change)> {
    let Some(entry) = &ctx.current else {
        return Ok((false, Change::Keep));
    };
    remove_files(ctx.shared, ctx.id)?;
    Ok((!entry.session.is_expired(ctx.now), Change::Remove))
}
