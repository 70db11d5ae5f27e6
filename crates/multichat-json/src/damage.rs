//! Damaged sessions: a record that cannot be loaded (undecodable, or contradicting its log) is
//! set aside when the store opens instead of refusing the whole store. That session answers
//! [`Error::Corrupt`] naming its file (and line, where the decoder says) on every call but
//! `delete_session`, which removes its files so the id can be used again; the others work.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

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
    files: Vec<PathBuf>,
) -> Result<(Listed<SessionState>, HashMap<SessionId, Damage>)> {
    let (mut sessions, mut damaged) = (Listed::default(), HashMap::new());
    for (path, loaded) in files.iter().zip(load_parallel(config, layout, &files)) {
        match loaded {
            Ok(entry) => drop(sessions.insert(entry)),
            Err(Error::Corrupt { location, reason }) => {
                let id = id_of(layout, path).ok_or_else(|| Error::corrupt(&location, &reason))?;
                damaged.insert(id, (location, reason));
            }
            Err(other) => return Err(other),
        }
    }
    Ok((sessions, damaged))
}

/// How many threads load the records of a large store (each load is an open, a read and a
/// `stat`: kernel work that runs on every core at once).
const LOADERS: usize = 4;
/// Below this many records, they are loaded on the calling thread.
const PARALLEL_FROM: usize = 2_000;

/// [`recover::load`] of every record of `files`, in their order; by [`LOADERS`] threads, each
/// a contiguous part, for a large store.
fn load_parallel(
    config: &JsonConfig,
    layout: &Layout,
    files: &[PathBuf],
) -> Vec<Result<SessionState>> {
    let load = |part: &[PathBuf]| -> Vec<Result<SessionState>> {
        part.iter()
            .map(|path| recover::load(config.fs.as_ref(), layout, path))
            .collect()
    };
    if files.len() < PARALLEL_FROM {
        return load(files);
    }
    let chunk = files.len().div_ceil(LOADERS);
    std::thread::scope(|scope| {
        let parts: Vec<_> = files
            .chunks(chunk)
            .map(|part| scope.spawn(move || load(part)))
            .collect();
        parts
            .into_iter()
            .flat_map(|part| part.join().unwrap_or_else(|p| std::panic::resume_unwind(p)))
            .collect()
    })
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
