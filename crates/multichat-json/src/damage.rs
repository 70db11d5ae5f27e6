//! Damaged sessions: a record that cannot be loaded (undecodable, or contradicting its log) is
//! set aside when the store opens instead of refusing the whole store. That session answers
//! [`Error::Corrupt`] naming its file (and line, where the decoder says) on every call but
//! `delete_session`, which removes its files so the id can be used again; the others work.

use std::collections::HashMap;
use std::path::Path;

use multichat_core::backend::Listed;
use multichat_core::{Error, Result, SessionId};

use crate::config::JsonConfig;
use crate::error::io_at;
use crate::layout::Layout;
use crate::recover::{self, SessionState};
use crate::state::Shared;

/// Where and why a session could not be loaded.
pub type Damage = (String, String);

/// Loads every session under `layout`; damaged ones are returned apart. A record file whose
/// name is not one the store writes is not a session of it: its damage refuses the store.
pub fn load_all(
    config: &JsonConfig,
    layout: &Layout,
    files: Vec<std::path::PathBuf>,
) -> Result<(Listed<SessionState>, HashMap<SessionId, Damage>)> {
    let (mut sessions, mut damaged) = (Listed::default(), HashMap::new());
    for path in files {
        match recover::load(config.fs.as_ref(), layout, &path) {
            Ok(entry) => drop(sessions.insert(entry)),
            Err(Error::Corrupt { location, reason }) => {
                let id = id_of(layout, &path).ok_or_else(|| Error::corrupt(&location, &reason))?;
                damaged.insert(id, (location, reason));
            }
            Err(other) => return Err(other),
        }
    }
    Ok((sessions, damaged))
}

/// The session id whose record is at `path`, if the name is one [`crate::layout::encode`] makes.
fn id_of(layout: &Layout, path: &Path) -> Option<SessionId> {
    let relative = path.strip_prefix(layout.sessions_dir()).ok()?.to_str()?;
    let flat = relative.strip_suffix(".json")?.replace('/', "");
    let id = SessionId::new(String::from_utf8(unescape(&flat)?).ok()?).ok()?;
    (layout.record(id.as_str()) == path).then_some(id)
}

/// The bytes of an encoded name: `%XX` becomes byte `XX`.
fn unescape(flat: &str) -> Option<Vec<u8>> {
    let mut bytes = Vec::with_capacity(flat.len());
    let mut rest = flat.as_bytes();
    while let Some((&first, tail)) = rest.split_first() {
        if first == b'%' {
            let hex = std::str::from_utf8(tail.get(..2)?).ok()?;
            bytes.push(u8::from_str_radix(hex, 16).ok()?);
            rest = &tail[2..];
        } else {
            bytes.push(first);
            rest = tail;
        }
    }
    Some(bytes)
}

impl Shared {
    /// `Corrupt` if session `id` was found damaged.
    pub fn check_damage(&self, id: &SessionId) -> Result<()> {
        let damaged = self.damaged.lock().unwrap_or_else(|p| p.into_inner());
        match damaged.get(id) {
            Some((location, reason)) => Err(Error::corrupt(location, reason)),
            None => Ok(()),
        }
    }

    /// Removes the files of the damaged session `id`; false when it is not damaged.
    pub fn remove_damaged(&self, id: &SessionId) -> Result<bool> {
        let mut damaged = self.damaged.lock().unwrap_or_else(|p| p.into_inner());
        if !damaged.contains_key(id) {
            return Ok(false);
        }
        for path in [
            self.layout.record(id.as_str()),
            self.layout.log(id.as_str()),
        ] {
            self.fs().remove(&path).map_err(io_at(&path))?;
        }
        damaged.remove(id);
        Ok(true)
    }
}
