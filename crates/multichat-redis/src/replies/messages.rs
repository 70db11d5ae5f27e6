//! The answers of the message scripts: append, pop, clear and restore of messages.

use multichat_core::Result;

use super::{Indexed, Reply};

/// The answer of `append.lua` for one session (a bare number when the script ran for several
/// sessions at once: the first seq, without the indexed state).
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum Appended {
    /// Appended from seq `first` on; for a batch with client keys, `seqs` holds the seq of
    /// each of its messages (a retried one keeps its own, below `first`).
    Done {
        first: u64,
        seqs: Option<Vec<u64>>,
        indexed: Option<Indexed>,
    },
    /// No live session.
    NotFound,
    /// The expected `last_seq` was not `actual`.
    Conflict { actual: u64 },
    /// Client key `key` is held by stored message `seq`, of other content.
    KeyConflict { key: String, seq: u64 },
    /// An entry is stored at or past the next seq (`seq`): not this store's.
    Corrupt { seq: String },
}

impl Appended {
    pub(crate) fn decode(reply: &Reply) -> Result<Self> {
        match reply.status()?.as_str() {
            "ok" => Self::done(reply, false),
            "keyed" => Self::done(reply, true),
            "not_found" => Ok(Self::NotFound),
            other => Self::refused(reply, other),
        }
    }

    /// An append that went through: `{'ok', first, indexed…}` or `{'keyed', first, seqs,
    /// indexed…}`.
    fn done(reply: &Reply, keyed: bool) -> Result<Self> {
        let (seqs, at) = match keyed {
            true => (Some(seq_list(reply, 2)?), 3),
            false => (None, 2),
        };
        Ok(Self::Done {
            first: reply.number(1)?,
            seqs,
            indexed: reply.indexed(at)?,
        })
    }

    /// An append refused (nothing written), by its status.
    fn refused(reply: &Reply, status: &str) -> Result<Self> {
        match status {
            "conflict" => Ok(Self::Conflict {
                actual: reply.number(1)?,
            }),
            "key_conflict" => Ok(Self::KeyConflict {
                key: reply.text(1)?,
                seq: reply.number(2)?,
            }),
            "corrupt" => Ok(Self::Corrupt {
                seq: reply.text(1)?,
            }),
            other => Err(reply.unknown(other)),
        }
    }
}

/// Element `n` of `reply`: seqs separated by commas.
fn seq_list(reply: &Reply, n: usize) -> Result<Vec<u64>> {
    let text = reply.text(n)?;
    let seqs: std::result::Result<Vec<u64>, _> = text.split(',').map(str::parse).collect();
    seqs.map_err(|_| reply.unknown(&format!("a list of seqs: {text}")))
}

/// The answer of `pop.lua`.
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum Popped {
    /// Removed the stream entry `entry` holding `fields` (the message's JSON).
    Done {
        entry: String,
        fields: String,
        indexed: Indexed,
    },
    /// The session has no messages.
    Empty,
    /// No live session.
    NotFound,
    /// The last entry cannot be popped, and why.
    Corrupt { entry: String, reason: String },
}

impl Popped {
    pub(crate) fn decode(reply: &Reply) -> Result<Self> {
        match reply.status()?.as_str() {
            "ok" => {
                let [entry, fields] = reply.texts(1)?;
                let indexed = reply.state(3)?;
                Ok(Self::Done {
                    entry,
                    fields,
                    indexed,
                })
            }
            "empty" => Ok(Self::Empty),
            "not_found" => Ok(Self::NotFound),
            "corrupt" => {
                let [entry, reason] = reply.texts(1)?;
                Ok(Self::Corrupt { entry, reason })
            }
            other => Err(reply.unknown(other)),
        }
    }
}

/// The answer of `clear.lua`.
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum Cleared {
    /// Removed `removed` messages (the state only when there were any).
    Done {
        removed: u64,
        indexed: Option<Indexed>,
    },
    /// No live session.
    NotFound,
}

impl Cleared {
    pub(crate) fn decode(reply: &Reply) -> Result<Self> {
        match reply.status()?.as_str() {
            "ok" => Ok(Self::Done {
                removed: reply.number(1)?,
                indexed: reply.indexed(2)?,
            }),
            "not_found" => Ok(Self::NotFound),
            other => Err(reply.unknown(other)),
        }
    }
}

/// The answer of `restore_messages.lua`.
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum RestoredMessages {
    /// All stored.
    Done,
    /// No session.
    NotFound,
    /// A seq is past the session's `last_seq` (given).
    Beyond(String),
    /// The first seq does not exceed the stored messages' last one (given).
    Order(String),
    /// A stored message holds this client key already.
    KeyTaken(String),
}

impl RestoredMessages {
    pub(crate) fn decode(reply: &Reply) -> Result<Self> {
        match reply.status()?.as_str() {
            "ok" => Ok(Self::Done),
            "not_found" => Ok(Self::NotFound),
            "beyond" => Ok(Self::Beyond(reply.text(1)?)),
            "order" => Ok(Self::Order(reply.text(1)?)),
            "key_taken" => Ok(Self::KeyTaken(reply.text(1)?)),
            other => Err(reply.unknown(other)),
        }
    }
}
