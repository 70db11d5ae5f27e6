//! Copying one session into a `RestoreStore` without destroying what is there: a session that is
//! absent is written, one present and equal is skipped, one that differs is refused unless the
//! user asked to replace it. A copy writes a provisional record (version 0), the messages page by
//! page, then the final record; an interrupted copy leaves version 0 behind, which the next run
//! redoes without asking (no application writes version 0).

use std::collections::HashMap;

use multichat_core::{
    Clock, Error, Message, RestoreStore, Result, Session, SessionId, SystemClock,
};

/// What to do with one session of the source.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Plan {
    /// The target has no such session, or an unfinished copy of it: write it.
    Write,
    /// The target holds the same record: nothing to do.
    Skip,
    /// The session has expired: it reads as absent on every store, so it is not copied (a
    /// store would drop it at once or keep it unreadable until a purge).
    Expired,
    /// The target holds another record and the user asked to replace it.
    Replace,
}

/// Decides what to do with `session`, given the target's record of that id. A differing record
/// is an error naming the session and the newer side unless `replace` is set.
pub fn plan(existing: Option<&Session>, session: &Session, replace: bool) -> Result<Plan> {
    if session.is_expired(SystemClock.now()) {
        return Ok(Plan::Expired);
    }
    let Some(existing) = existing else {
        return Ok(Plan::Write);
    };
    if existing == session {
        return Ok(Plan::Skip);
    }
    if replace || existing.version == 0 {
        return Ok(Plan::Replace);
    }
    let newer = match (existing.version, existing.updated_at, existing.last_seq).cmp(&(
        session.version,
        session.updated_at,
        session.last_seq,
    )) {
        std::cmp::Ordering::Greater => "the target's is newer",
        std::cmp::Ordering::Less => "the imported one is newer",
        std::cmp::Ordering::Equal => "both are at the same version",
    };
    let reason = format!(
        "the target holds a different session {} (version {} there, {} here; {newer}); \
         nothing was written: pass --replace to overwrite it",
        session.id, existing.version, session.version
    );
    Err(Error::invalid(format!("session {}", session.id), reason))
}

/// How many records one read of the target asks for while planning.
const CHUNK: usize = 200;

/// Plans the sessions of a source against the target's records, many ids to a read
/// ([`RestoreStore::existing`]: one call on SQLite and PostgreSQL).
pub struct Planner<'a> {
    target: &'a dyn RestoreStore,
    replace: bool,
    plans: HashMap<SessionId, Plan>,
    pending: Vec<Session>,
}

impl<'a> Planner<'a> {
    /// Plans against `target`, replacing differing sessions when `replace`.
    pub fn new(target: &'a dyn RestoreStore, replace: bool) -> Self {
        Self {
            target,
            replace,
            plans: HashMap::new(),
            pending: Vec::new(),
        }
    }

    /// Plans `session` (read at `place`), now or with the next chunk; an id seen before appears
    /// twice in the source, `InvalidInput` at `place`.
    pub async fn add(&mut self, session: Session, place: String) -> Result<()> {
        let id = &session.id;
        if self.plans.contains_key(id) || self.pending.iter().any(|s| &s.id == id) {
            let reason = format!("session {id} appears a second time");
            return Err(Error::invalid(place, reason));
        }
        self.pending.push(session);
        if self.pending.len() >= CHUNK {
            self.flush().await?;
        }
        Ok(())
    }

    /// Plans the sessions waiting, with one read of the target.
    async fn flush(&mut self) -> Result<()> {
        let pending = std::mem::take(&mut self.pending);
        let ids: Vec<SessionId> = pending.iter().map(|s| s.id.clone()).collect();
        let found = self.target.existing(&ids).await?;
        for (session, existing) in pending.iter().zip(found) {
            let plan = plan(existing.as_ref(), session, self.replace)?;
            self.plans.insert(session.id.clone(), plan);
        }
        Ok(())
    }

    /// The plan of every session added.
    pub async fn finish(mut self) -> Result<HashMap<SessionId, Plan>> {
        self.flush().await?;
        Ok(self.plans)
    }
}

/// A copy in progress.
pub struct SessionCopy<'a> {
    target: &'a dyn RestoreStore,
    session: Session,
}

impl<'a> SessionCopy<'a> {
    /// Starts writing `session` into `target` as `plan` says (`None` for [`Plan::Skip`] and [`Plan::Expired`]).
    pub async fn begin(
        target: &'a dyn RestoreStore,
        session: Session,
        plan: Plan,
    ) -> Result<Option<Self>> {
        if matches!(plan, Plan::Skip | Plan::Expired) {
            return Ok(None);
        }
        // An expired session of the same id reads as absent but may still be stored: gone too.
        target.delete_session(&session.id).await?;
        let mut provisional = session.clone();
        provisional.version = 0;
        target.restore_session(provisional).await?;
        Ok(Some(Self { target, session }))
    }

    /// Adds one page of messages (ascending).
    pub async fn page(&self, messages: Vec<Message>) -> Result<()> {
        if messages.is_empty() {
            return Ok(());
        }
        self.target
            .restore_messages(&self.session.id, messages)
            .await
    }

    /// Writes the final record.
    pub async fn finish(self) -> Result<()> {
        self.target.restore_session(self.session).await
    }
}

/// What a copy did: sessions written, and sessions skipped because the target held them already.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Copied {
    /// Sessions written (new or replaced).
    pub written: u64,
    /// Sessions the target already held, equal.
    pub skipped: u64,
    /// Sessions left out because they had expired.
    pub expired: u64,
}

/// Counts what a copy did from its plans and the sessions it wrote.
pub fn counted(plans: &HashMap<SessionId, Plan>, written: u64) -> Copied {
    let count = |plan: Plan| plans.values().filter(|p| **p == plan).count() as u64;
    Copied {
        written,
        skipped: count(Plan::Skip),
        expired: count(Plan::Expired),
    }
}
