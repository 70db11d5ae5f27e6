//! `SessionStore` for `MemoryStore`.

use std::collections::HashMap;

use async_trait::async_trait;

use super::{MemoryStore, StoredSession, change_live, live};
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
        if live(&entries, &new.id, now).is_ok() {
            return Err(Error::AlreadyExists { id: new.id });
        }
        let session = Session::create(new, now);
        let entry = StoredSession {
            session: session.clone(),
            messages: Vec::new(),
            keys: HashMap::new(),
        };
        entries.insert(entry);
        Ok(session)
    }

    async fn get_session(&self, id: &SessionId) -> Result<Option<Session>> {
        let now = self.now();
        let entries = self.lock();
        Ok(live(&entries, id, now).ok().map(|e| e.session.clone()))
    }

    async fn update_session(&self, id: &SessionId, patch: SessionPatch) -> Result<Session> {
        self.config.limits.check_patch(&patch)?;
        let now = self.now();
        let mut entries = self.lock();
        change_live(&mut entries, id, now, |entry| {
            let mut session = entry.session.clone();
            session.apply_patch(patch, now)?;
            entry.session = session.clone();
            Ok(session)
        })
    }

    async fn delete_session(&self, id: &SessionId) -> Result<bool> {
        let now = self.now();
        let mut entries = self.lock();
        let existed = live(&entries, id, now).is_ok();
        entries.remove(id);
        drop(entries);
        self.changes.touch(id);
        Ok(existed)
    }

    async fn list_sessions(&self, query: SessionQuery) -> Result<Page<Session>> {
        let cursor = self.config.limits.check_list(&query)?;
        let now = self.now();
        Ok(self.lock().page(&query, cursor.as_ref(), now))
    }

    async fn purge_expired(&self) -> Result<u64> {
        let now = self.now();
        let mut entries = self.lock();
        let expired: Vec<SessionId> = entries
            .values()
            .filter(|e| e.session.is_expired(now))
            .map(|e| e.session.id.clone())
            .collect();
        expired.iter().for_each(|id| drop(entries.remove(id)));
        Ok(expired.len() as u64)
    }
}
