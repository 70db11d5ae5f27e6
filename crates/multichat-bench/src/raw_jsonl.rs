//! The raw JSON Lines baseline: append one serialized line to a file (and `fsync` it), as a
//! program without multichat would.

use std::fs::{File, OpenOptions};
use std::io::Write;

use tempfile::TempDir;

/// An append-only file.
pub struct RawJsonl {
    file: File,
    _dir: TempDir,
}

impl RawJsonl {
    /// A fresh empty file.
    pub fn open() -> Self {
        let dir = tempfile::tempdir().expect("temp dir");
        let file = OpenOptions::new()
            .create(true)
            .append(true)
            .open(dir.path().join("raw.jsonl"))
            .expect("open");
        Self { file, _dir: dir }
    }

    /// Appends `value` as one line and fsyncs the file.
    pub fn append(&mut self, value: &serde_json::Value) {
        self.write(value);
        self.file.sync_all().expect("fsync");
    }

    /// Appends `value` as one line, one `write`, without `fsync` (the baseline of the JSON store
    /// with `Durability::Flush`).
    pub fn write(&mut self, value: &serde_json::Value) {
        let mut line = serde_json::to_vec(value).expect("json");
        line.push(b'\n');
        self.file.write_all(&line).expect("write");
    }
}
