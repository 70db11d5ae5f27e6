//! The cache protocol on the fast store, through the ordinary traits. The fast store holds, per
//! session, a cache session of the same id whose **last message** is either a snapshot (the
//! durable session record and its most recent messages) or a tombstone. Writers append a
//! tombstone after their durable write; fillers append a snapshot with a compare-and-append on
//! the cache session's `last_seq` read *before* they read the durable store, so a fill can never
//! overwrite a newer invalidation (the classic read-fill race).

use multichat_core::{
    ChatStore, Error, Message, MessageQuery, NewMessage, NewSession, Result, Session, SessionId,
};
use serde::{Deserialize, Serialize};

use crate::HybridStore;

/// The content of a cache message.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(tag = "t", rename_all = "snake_case")]
pub enum Cached {
    /// The durable state when it was cached.
    Snapshot {
        /// The session record.
        record: Session,
        /// Its most recent messages, ascending.
        window: Vec<Message>,
    },
    /// Invalidated: read the durable store.
    Stale,
}

/// What a lookup found.
pub enum Lookup {
    /// A current snapshot.
    Hit(Session, Vec<Message>),
    /// No usable snapshot; `Some(last_seq)` of the cache session to compare against when filling
    /// (`Some(0)` when it does not exist yet), `None` when the fast store did not answer.
    Miss(Option<u64>),
}

/// Cache messages past this seq are compacted on the next fill.
const COMPACT_AFTER: u64 = 32;

impl<F: ChatStore, D: ChatStore> HybridStore<F, D> {
    /// The snapshot of `id`, unless it is absent, stale, expired or the id is suspect.
    pub(crate) async fn lookup(&self, id: &SessionId) -> Lookup {
        let read = self
            .fast_call("read", self.fast.read(id, MessageQuery::last(1)))
            .await;
        let entry = match read {
            None => return Lookup::Miss(None),
            Some(Err(_)) => return Lookup::Miss(Some(0)),
            Some(Ok(last)) => last.into_iter().next(),
        };
        let decoded = entry
            .as_ref()
            .and_then(|m| serde_json::from_str::<Cached>(&m.content).ok());
        match decoded {
            Some(Cached::Snapshot { record, window }) if self.usable(id, &record) => {
                Lookup::Hit(record, window)
            }
            _ => Lookup::Miss(self.cache_last_seq(id, entry.as_ref()).await),
        }
    }

    async fn cache_last_seq(&self, id: &SessionId, last: Option<&Message>) -> Option<u64> {
        if let Some(m) = last {
            return Some(m.seq);
        }
        match self.fast_call("get", self.fast.get_session(id)).await? {
            Ok(Some(s)) => Some(s.last_seq),
            Ok(None) => Some(0),
            Err(_) => None,
        }
    }

    /// Stores a snapshot if the cache session is still at `expected` (0: absent).
    pub(crate) async fn fill(
        &self,
        id: &SessionId,
        expected: u64,
        record: Session,
        window: Vec<Message>,
    ) {
        let entry = Cached::Snapshot { record, window };
        let snapshot = || {
            vec![NewMessage::system(
                serde_json::to_string(&entry).expect("a snapshot serializes"),
            )]
        };
        if expected == 0 && !self.create_cache(id).await {
            return;
        }
        let appended = self
            .fast_call("fill", self.fast.append(id, snapshot(), Some(expected)))
            .await;
        let Some(Ok(seqs)) = appended else { return };
        self.forget_suspect(id);
        if seqs[0] > COMPACT_AFTER
            && self
                .fast_call("compact", self.fast.clear(id))
                .await
                .is_some()
        {
            let _ = self
                .fast_call("refill", self.fast.append(id, snapshot(), Some(seqs[0])))
                .await;
        }
    }

    /// Creates the cache session for a first fill; false if it exists (someone else got there).
    async fn create_cache(&self, id: &SessionId) -> bool {
        let created = self
            .fast_call(
                "create",
                self.fast.create_session(NewSession::new(id.clone())),
            )
            .await;
        matches!(created, Some(Ok(_)))
    }

    /// Marks the cache entry of `id` stale after a durable write. If the fast store does not
    /// answer, the id is suspect: this instance will not trust its cache entry until a later
    /// invalidation or fill reaches the fast store.
    pub(crate) async fn invalidate(&self, id: &SessionId) {
        let stale = || {
            vec![NewMessage::system(
                serde_json::to_string(&Cached::Stale).expect("json"),
            )]
        };
        let mut outcome = self
            .fast_call("invalidate", self.fast.append(id, stale(), None))
            .await;
        if matches!(outcome, Some(Err(Error::NotFound { .. }))) {
            let _ = self
                .fast_call(
                    "create",
                    self.fast.create_session(NewSession::new(id.clone())),
                )
                .await;
            outcome = self
                .fast_call("invalidate", self.fast.append(id, stale(), None))
                .await;
        }
        match outcome {
            Some(Ok(_)) => self.forget_suspect(id),
            _ => self.mark_suspect(id),
        }
    }

    /// A cached record is usable if it has not expired and the id is not suspect.
    fn usable(&self, id: &SessionId, record: &Session) -> bool {
        !record.is_expired(self.config.clock.now()) && !self.is_suspect(id)
    }

    /// Reads the durable state of `id` (record, then window, then record again) and fills the
    /// cache if nothing changed in between; the window is `None` if something did.
    pub(crate) async fn load(
        &self,
        id: &SessionId,
        expected: Option<u64>,
    ) -> Result<Option<(Session, Option<Vec<Message>>)>> {
        let Some(before) = self.durable.get_session(id).await? else {
            return Ok(None);
        };
        let window = self
            .durable
            .read(id, MessageQuery::last(self.config.window))
            .await?;
        let Some(after) = self.durable.get_session(id).await? else {
            return Ok(None);
        };
        if after.version != before.version {
            return Ok(Some((after, None)));
        }
        if let Some(expected) = expected {
            self.fill(id, expected, before.clone(), window.clone())
                .await;
        }
        Ok(Some((before, Some(window))))
    }
}
