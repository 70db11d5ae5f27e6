//! The answers of the message scripts: append, pop, clear and restore of messages.

use multichat_core::Result;

use super::{Indexed, Reply};

/// The answer of `append.lua` for one session (a bare number when the script ran for several
/// sessions at once: the first seq, without the indexed state).
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum Appended {
    /// Appended from seq `first` on.
    Done {
        first: u64,
        indexed: Option<Indexed>,
    },
    /// No live session.
    NotFound,
    /// The expected `last_seq` was not `actual`.
    Conflict { actual: u64 },
    /// An entry is stored at or past the next seq (`seq`): not this store's.
    Corrupt { seq: String },
}

impl Appended {
    pub(crate) fn decode(reply: &Reply) -> Result<Self> {
        match reply.status()?.as_str() {
            "ok" => Ok(Self::Done {
                first: reply.number(1)?,
                indexed: reply.indexed(2)?,
            }),
            "not_found" => Ok(Self::NotFound),
            "conflict" => Ok(Self::Conflict {
                actual: reply.number(1)?,
            }),
            "corrupt" => Ok(Self::Corrupt {
                seq: reply.text(1)?,
            }),
            other => Err(reply.unknown(other)),
        }
    }
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
}

impl RestoredMessages {
    pub(crate) fn decode(reply: &Reply) -> Result<Self> {
        match reply.status()?.as_str() {
            "ok" => Ok(Self::Done),
            "not_found" => Ok(Self::NotFound),
            "beyond" => Ok(Self::Beyond(reply.text(1)?)),
            "order" => Ok(Self::Order(reply.text(1)?)),
            other => Err(reply.unknown(other)),
        }
    }
}
