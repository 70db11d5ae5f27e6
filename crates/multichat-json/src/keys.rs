//! The client keys of each session's log (retry-safe appends), indexed in memory on the first
//! keyed append that needs them and kept up by later appends. An index is valid for the state it
//! was built or last kept for — log length, `last_seq`, creation time —, so a pop, a clear, a
//! restore or a session made again under the same id (each changes one of them) makes the next
//! keyed append read the log once more instead of trusting an index that no longer holds.
//! Sessions never appended to with a key cost nothing; an index costs its keys.

use std::collections::HashMap;
use std::fs::File;

use multichat_core::{Error, Message, Result, SessionId};

use crate::codec::decode_line;
use crate::error::io_at;
use crate::recover::SessionState;
use crate::state::Locked;
use crate::{scan, tail};

/// The state an index matches: log length, `last_seq`, `created_at`.
pub type Mark = (u64, u64, i64);

/// The seq of each keyed message of one session's log, for the state `mark`.
#[derive(Debug)]
pub struct KeyIndex {
    mark: Mark,
    seqs: HashMap<String, u64>,
}

/// The key indexes of the sessions that have one.
pub type KeyIndexes = std::sync::Mutex<HashMap<SessionId, KeyIndex>>;

/// The state of `entry` an index is checked against.
pub fn mark(entry: &SessionState) -> Mark {
    let s = &entry.session;
    (entry.log_len, s.last_seq, s.created_at.0)
}

/// The stored messages of session `ctx.id` (in state `entry`) holding one of the keys `wanted`,
/// by key; reads the log to index it when no valid index is held. Nothing is read for no keys.
pub fn held<'k>(
    ctx: &Locked<'_>,
    entry: &SessionState,
    wanted: impl IntoIterator<Item = Option<&'k str>>,
) -> Result<HashMap<String, Message>> {
    let wanted: Vec<&str> = wanted.into_iter().flatten().collect();
    if wanted.is_empty() {
        return Ok(HashMap::new());
    }
    let lock = || ctx.shared.keys.lock().unwrap_or_else(|p| p.into_inner());
    let valid = lock()
        .get(ctx.id)
        .is_some_and(|index| index.mark == mark(entry));
    if !valid {
        // Read without holding the store-wide map, which every append of every session takes;
        // the session's own lock (held by `ctx`) keeps its log as `entry` says meanwhile.
        let built = build(ctx, entry)?;
        lock().insert(ctx.id.clone(), built);
    }
    let seqs: Vec<(String, u64)> = {
        let indexes = lock();
        let seqs = indexes.get(ctx.id).map(|index| &index.seqs);
        let found = wanted
            .iter()
            .filter_map(|k| Some((k.to_string(), *seqs?.get(*k)?)));
        found.collect()
    };
    let mut held = HashMap::with_capacity(seqs.len());
    for (key, seq) in seqs {
        if let Some(m) = scan::one(ctx, entry.log_len, seq)? {
            held.insert(key, m);
        }
    }
    Ok(held)
}

/// Keeps the index of `ctx.id` up after an append of `stored` took the session from state
/// `before` ([`mark`]) to `after`; an index that did not match `before` is left to be rebuilt.
pub fn appended(ctx: &Locked<'_>, before: Mark, after: &SessionState, stored: &[Message]) {
    let mut indexes = ctx.shared.keys.lock().unwrap_or_else(|p| p.into_inner());
    let Some(index) = indexes.get_mut(ctx.id).filter(|i| i.mark == before) else {
        return;
    };
    for m in stored {
        if let Some(key) = &m.key {
            index.seqs.insert(key.clone(), m.seq);
        }
    }
    index.mark = mark(after);
}

/// Refuses restored `messages` of which one carries a key a stored message of the session holds.
pub fn check_restored(ctx: &Locked<'_>, entry: &SessionState, messages: &[Message]) -> Result<()> {
    let held = held(ctx, entry, messages.iter().map(|m| m.key.as_deref()))?;
    match held.into_iter().next() {
        Some((key, m)) => Err(Error::invalid(
            "key",
            format!(
                "message {} of session {} holds key {key:?} already",
                m.seq, ctx.id
            ),
        )),
        None => Ok(()),
    }
}

/// Indexes the keyed lines of the log of `ctx.id` up to `entry.log_len`. Only a line holding
/// the text `"key":` is decoded (an escaped quote in a content cannot form it).
fn build(ctx: &Locked<'_>, entry: &SessionState) -> Result<KeyIndex> {
    let mut seqs = HashMap::new();
    if entry.log_len > 0 {
        let log = ctx.shared.layout.log(ctx.id.as_str());
        let mut file = File::open(&log).map_err(io_at(&log))?;
        let mut failed = None;
        tail::forwards(&mut file, 0, entry.log_len, |line, start| {
            if !line.windows(6).any(|w| w == b"\"key\":") {
                return true;
            }
            match decode_line(line, || format!("{} at byte {start}", log.display())) {
                Ok(line) => {
                    if let Some(key) = line.message.key {
                        seqs.insert(key, line.message.seq);
                    }
                    true
                }
                Err(e) => {
                    failed = Some(e);
                    false
                }
            }
        })
        .map_err(io_at(&log))?;
        failed.map_or(Ok(()), Err)?;
    }
    Ok(KeyIndex {
        mark: mark(entry),
        seqs,
    })
}
