//! Where everything lives under the store's root, and the injective encoding of session ids into
//! file names.
//!
//! ```text
//! root/multichat-json.json          format marker {"format":"multichat-json","version":1}
//! root/lock                         advisory lock held by the process that has the store open
//! root/sessions/<name>.json         session record (snapshot)
//! root/messages/<name>.jsonl        append-only message log
//! ```

use std::path::{Path, PathBuf};

/// Longest path component the encoding produces (file systems allow 255 bytes).
const MAX_COMPONENT: usize = 240;

/// The paths of one store.
#[derive(Debug, Clone)]
pub struct Layout {
    root: PathBuf,
}

impl Layout {
    /// The layout under `root`.
    pub fn new(root: impl Into<PathBuf>) -> Self {
        Self { root: root.into() }
    }

    /// The root directory.
    pub fn root(&self) -> &Path {
        &self.root
    }

    /// The format marker file.
    pub fn marker(&self) -> PathBuf {
        self.root.join("multichat-json.json")
    }

    /// The directory of session records.
    pub fn sessions_dir(&self) -> PathBuf {
        self.root.join("sessions")
    }

    /// The record of session `id`.
    pub fn record(&self, id: &str) -> PathBuf {
        self.sessions_dir().join(encode(id) + ".json")
    }

    /// The temporary file a record is written to before it is renamed over the record.
    pub fn record_tmp(&self, id: &str) -> PathBuf {
        self.sessions_dir().join(encode(id) + ".json.tmp")
    }

    /// The message log of session `id`.
    pub fn log(&self, id: &str) -> PathBuf {
        self.root.join("messages").join(encode(id) + ".jsonl")
    }
}

/// Encodes an id into a relative path: `[a-z0-9_-]` stay as they are, every other byte of the
/// UTF-8 becomes `%XX` (upper-case hex), so no two ids map to names that differ only in case,
/// no name contains `.` or `/`, and the mapping is injective; names longer than 240 bytes are
/// split into directories of 240 bytes (a directory never ends in `.json`, so no directory can
/// collide with a file).
pub fn encode(id: &str) -> String {
    let mut flat = String::with_capacity(id.len());
    for byte in id.bytes() {
        match byte {
            b'a'..=b'z' | b'0'..=b'9' | b'_' | b'-' => flat.push(char::from(byte)),
            other => flat.push_str(&format!("%{other:02X}")),
        }
    }
    let chunks: Vec<&str> = flat
        .as_bytes()
        .chunks(MAX_COMPONENT)
        .map(|c| std::str::from_utf8(c).unwrap_or(""))
        .collect();
    chunks.join("/")
}
