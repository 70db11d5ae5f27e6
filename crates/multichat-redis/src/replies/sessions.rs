//! The answers of the session scripts: create, write and restore ([`Written`]) and delete
//! ([`Deleted`], run in a [`DeleteMode`]).

use multichat_core::Result;

use super::{Indexed, Reply};

/// The answer of `create.lua`, `write.lua` and `restore.lua`.
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum Written {
    /// Stored: the indexed state, and the participants the session had before (`[]` if none).
    Done { indexed: Indexed, old_parts: String },
    /// `create`: a live session has this id.
    Exists,
    /// `write`: the version changed since it was read; read again and retry.
    Retry,
    /// `write`: no live session.
    NotFound,
}

impl Written {
    pub(crate) fn decode(reply: &Reply) -> Result<Self> {
        match reply.status()?.as_str() {
            "ok" => Ok(Self::Done {
                indexed: reply.state(1)?,
                old_parts: reply.text(4)?,
            }),
            "exists" => Ok(Self::Exists),
            "retry" => Ok(Self::Retry),
            "not_found" => Ok(Self::NotFound),
            other => Err(reply.unknown(other)),
        }
    }
}

/// What `delete.lua` removes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum DeleteMode {
    /// The session, live or expired (`delete_session`).
    Any,
    /// The session only if it has expired (`purge_expired`).
    ExpiredOnly,
}

impl DeleteMode {
    /// The script's argument for this mode.
    pub(crate) fn arg(self) -> &'static str {
        match self {
            Self::Any => "",
            Self::ExpiredOnly => "expired-only",
        }
    }
}

/// The answer of `delete.lua`.
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum Deleted {
    /// No session hash under the id (never written, or Redis expired it by itself).
    Absent,
    /// [`DeleteMode::ExpiredOnly`] met a live session and kept it.
    Kept,
    /// Removed: whether it was live, and its participants (for the Cluster indexes).
    Removed { was_live: bool, parts: String },
}

impl Deleted {
    pub(crate) fn decode(reply: &Reply) -> Result<Self> {
        let status = reply.status()?;
        match status.as_str() {
            "absent" => Ok(Self::Absent),
            "kept" => Ok(Self::Kept),
            "live" | "expired" => Ok(Self::Removed {
                was_live: status == "live",
                parts: reply.text(1)?,
            }),
            other => Err(reply.unknown(other)),
        }
    }
}
