//! A ledger of append calls and its check against what a store holds afterwards: what fault
//! tests use to say that nothing acknowledged was lost, nothing was stored twice or out of order,
//! and nothing appeared that no call tried.
//!
//! Each call's content must be unique. A call that failed is *maybe applied*: its message may
//! or may not be stored, once. Acknowledgements of one session are expected in ledger order (one
//! writer per session, as the fault tests run).
//!
//! ```
//! # tokio::runtime::Runtime::new().unwrap().block_on(async {
//! use std::sync::Arc;
//! use multichat_core::{ChatStore, MemoryStore, MessageStore, NewMessage, NewSession, SessionId, SessionStore};
//! use multichat_testkit::Ledger;
//!
//! let store: Arc<dyn ChatStore> = Arc::new(MemoryStore::new());
//! let id = SessionId::new("s")?;
//! store.create_session(NewSession::new(id.clone())).await?;
//! let ledger = Ledger::default();
//! let seqs = store.append(&id, vec![NewMessage::user("a")], None).await?;
//! ledger.acked(&id, "a", seqs[0]);
//! let found = ledger.check(&store).await?;
//! assert!(found.is_clean(), "{found:?}");
//! # Ok::<(), multichat_core::Error>(())
//! # }).unwrap();
//! ```

use std::collections::{BTreeMap, HashMap};
use std::sync::{Arc, Mutex};

use multichat_core::{ChatStore, History, Message, Result, Session, SessionId};

/// The append calls of a test, as they ended.
#[derive(Debug, Default)]
pub struct Ledger {
    calls: Mutex<BTreeMap<SessionId, Vec<Call>>>,
}

/// One append call: its content, and the seq it was acknowledged at (`None`: it failed).
#[derive(Debug, Clone)]
struct Call {
    content: String,
    acked: Option<u64>,
}

/// What a check found; every list names the contents (or sessions) concerned.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Anomalies {
    /// Appends acknowledged.
    pub acknowledged: usize,
    /// Acknowledged, not stored.
    pub lost: Vec<String>,
    /// Stored more than once.
    pub duplicated: Vec<String>,
    /// Stored, never tried.
    pub phantom: Vec<String>,
    /// Stored at another seq than the one acknowledged.
    pub misplaced: Vec<String>,
    /// Stored in another order than acknowledged.
    pub reordered: Vec<String>,
    /// Sessions whose record disagrees with their messages (`last_seq`, `message_count`, seqs
    /// not increasing), or that are gone.
    pub counters: Vec<String>,
}

impl Anomalies {
    /// Nothing found.
    pub fn is_clean(&self) -> bool {
        self.lost.is_empty() && self.is_clean_but_lost()
    }

    /// Nothing found but lost appends (what asynchronous replication allows).
    pub fn is_clean_but_lost(&self) -> bool {
        [
            &self.duplicated,
            &self.phantom,
            &self.misplaced,
            &self.reordered,
            &self.counters,
        ]
        .iter()
        .all(|found| found.is_empty())
    }
}

impl Ledger {
    /// Records an append of `content` to `id` acknowledged at `seq`.
    pub fn acked(&self, id: &SessionId, content: &str, seq: u64) {
        self.record(id, content, Some(seq));
    }

    /// Records an append of `content` to `id` that failed (maybe applied).
    pub fn failed(&self, id: &SessionId, content: &str) {
        self.record(id, content, None);
    }

    fn record(&self, id: &SessionId, content: &str, seq: Option<u64>) {
        let mut calls = self.calls.lock().unwrap_or_else(|p| p.into_inner());
        let session = calls.entry(id.clone()).or_default();
        session.push(Call {
            content: content.to_owned(),
            acked: seq,
        });
    }

    /// Reads every session of the ledger back from `store` and checks it.
    pub async fn check(&self, store: &Arc<dyn ChatStore>) -> Result<Anomalies> {
        let calls = self.calls.lock().unwrap_or_else(|p| p.into_inner()).clone();
        let mut found = Anomalies::default();
        for (id, calls) in calls {
            let session = store.get_session(&id).await?;
            let stored = History::new(Arc::clone(store), id.clone(), 500).collect();
            let stored = if session.is_some() {
                stored.await?
            } else {
                Vec::new()
            };
            check_session(&calls, &stored, session.as_ref(), &mut found);
            if session.is_none() {
                found.counters.push(format!("{id}: gone"));
            }
        }
        Ok(found)
    }
}

/// Checks one session's calls against its stored messages and record.
fn check_session(
    calls: &[Call],
    stored: &[Message],
    session: Option<&Session>,
    found: &mut Anomalies,
) {
    let at = check_stored(calls, stored, found);
    let mut previous = 0;
    for call in calls.iter().filter(|c| c.acked.is_some()) {
        found.acknowledged += 1;
        match at.get(call.content.as_str()) {
            None => found.lost.push(call.content.clone()),
            Some(&seq) if seq < previous => found.reordered.push(call.content.clone()),
            Some(&seq) => previous = seq,
        }
    }
    if let Some(s) = session {
        check_counters(s, stored, found);
    }
}

/// Each stored message was tried, at the seq acknowledged, once; where each content is stored.
fn check_stored<'a>(
    calls: &[Call],
    stored: &'a [Message],
    found: &mut Anomalies,
) -> HashMap<&'a str, u64> {
    let tried: HashMap<&str, Option<u64>> = calls
        .iter()
        .map(|c| (c.content.as_str(), c.acked))
        .collect();
    let mut at = HashMap::new();
    for m in stored {
        match tried.get(m.content.as_str()) {
            None => found.phantom.push(m.content.clone()),
            Some(Some(seq)) if *seq != m.seq => found.misplaced.push(m.content.clone()),
            Some(_) => {}
        }
        if at.insert(m.content.as_str(), m.seq).is_some() {
            found.duplicated.push(m.content.clone());
        }
    }
    at
}

/// The record of `s` agrees with its messages: seqs increase, none past `last_seq`, as many as
/// `message_count` says.
fn check_counters(s: &Session, stored: &[Message], found: &mut Anomalies) {
    let increasing = stored.windows(2).all(|w| w[0].seq < w[1].seq);
    let top = stored.last().map_or(0, |m| m.seq);
    if !increasing || top > s.last_seq || stored.len() as u64 != s.message_count {
        found.counters.push(format!(
            "{}: last_seq {}, message_count {}, {} stored up to seq {top}{}",
            s.id,
            s.last_seq,
            s.message_count,
            stored.len(),
            if increasing { "" } else { ", out of order" }
        ));
    }
}
