//! `SessionStore` for `MemoryStore`.

use async_trait::async_trait;

use super::{MemoryStore, StoredSession, live};
use crate::cursor::list_page;
use crate::error::{Error, Result};
use crate::id::SessionId;
use crate::new_session::NewSession;
use crate::patch::SessionPatch;
use crate::query::{Page, SessionQuery};
use crate::session::Session;
use crate::store::SessionStore;

#[async_trait]
impl SessionStore for MemoryStore {
    async fn create_session(&self, new: NewSession) -> Result<Session> {
        self.config.limits.check_new_session(&new)?;
        let now = self.now();
        let mut entries = self.lock();
        if live(&mut entries, &new.id, now).is_ok() {
            return Err(Error::AlreadyExists { id: new.id });
        }
        let session = Session::create(new, now);
        let entry = StoredSession {
            session: session.clone(),
            messages: Vec::new(),
        };
        entries.insert(session.id.clone(), entry);
        Ok(session)
    }

    async fn get_session(&self, id: &SessionId) -> Result<Option<Session>> {
        let now = self.now();
        let mut entries = self.lock();
        Ok(live(&mut entries, id, now).ok().map(|e| e.session.clone()))
    }

    async fn update_session(&self, id: &SessionId, patch: SessionPatch) -> Result<Session> {
        self.config.limits.check_patch(&patch)?;
        let now = self.now();
        let mut entries = self.lock();
        let entry = live(&mut entries, id, now)?;
        let mut session = entry.session.clone();
        session.apply_patch(patch, now)?;
        entry.session = session.clone();
        Ok(session)
    }

    async fn delete_session(&self, id: &SessionId) -> Result<bool> {
        let now = self.now();
        let mut entries = self.lock();
        let existed = live(&mut entries, id, now).is_ok();
        entries.remove(id);
        drop(entries);
        self.changes.touch(id);
        Ok(existed)
    }

    async fn list_sessions(&self, query: SessionQuery) -> Result<Page<Session>> {
        let cursor = self.config.limits.check_list(&query)?;
        let now = self.now();
        let entries = self.lock();
        Ok(list_page(
            entries.values().map(|e| &e.session),
            &query,
            cursor.as_ref(),
            now,
        ))
    }

    async fn purge_expired(&self) -> Result<u64> {
        let now = self.now();
        let mut entries = self.lock();
        let before = entries.len();
        entries.retain(|_, e| !e.session.is_expired(now));
        Ok((before - entries.len()) as u64)
    }
}
