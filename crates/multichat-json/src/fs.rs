//! The narrow file-system seam: every change the store makes to disk goes through
//! [`FileSystem`], so tests can fail or cut short any single write, fsync or rename.

use std::fmt;
use std::fs::{self, File, OpenOptions};
use std::io::{self, Write};
#[cfg(unix)]
use std::os::unix::fs::{DirBuilderExt, OpenOptionsExt};
use std::path::Path;

/// The mutating file operations of the JSON store. Reads use `std::fs` directly.
pub trait FileSystem: Send + Sync + fmt::Debug {
    /// Creates or truncates `path` (and its parent directories) and writes `data` to it.
    fn write_new(&self, path: &Path, data: &[u8]) -> io::Result<()>;
    /// Appends `data` to `path` in one write (creating it and its parents if needed).
    fn append(&self, path: &Path, data: &[u8]) -> io::Result<()>;
    /// Flushes a file or a directory to stable storage (`fsync`).
    fn sync(&self, path: &Path) -> io::Result<()>;
    /// Atomically replaces `to` with `from`.
    fn rename(&self, from: &Path, to: &Path) -> io::Result<()>;
    /// Cuts `path` to `len` bytes.
    fn truncate(&self, path: &Path, len: u64) -> io::Result<()>;
    /// Removes a file; a missing file is not an error.
    fn remove(&self, path: &Path) -> io::Result<()>;
}

/// The real file system. Files are created `0600` and directories `0700` on Unix.
#[derive(Debug, Default, Clone, Copy)]
pub struct StdFs;

impl FileSystem for StdFs {
    fn write_new(&self, path: &Path, data: &[u8]) -> io::Result<()> {
        open(
            path,
            OpenOptions::new().write(true).create(true).truncate(true),
        )?
        .write_all(data)
    }

    fn append(&self, path: &Path, data: &[u8]) -> io::Result<()> {
        open(path, OpenOptions::new().append(true).create(true))?.write_all(data)
    }

    fn sync(&self, path: &Path) -> io::Result<()> {
        File::open(path)?.sync_all()
    }

    fn rename(&self, from: &Path, to: &Path) -> io::Result<()> {
        fs::rename(from, to)
    }

    fn truncate(&self, path: &Path, len: u64) -> io::Result<()> {
        OpenOptions::new().write(true).open(path)?.set_len(len)
    }

    fn remove(&self, path: &Path) -> io::Result<()> {
        match fs::remove_file(path) {
            Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(()),
            other => other,
        }
    }
}

/// Opens `path` with owner-only permissions, creating its parent directories.
fn open(path: &Path, options: &mut OpenOptions) -> io::Result<File> {
    if let Some(parent) = path.parent() {
        create_dirs(parent)?;
    }
    #[cfg(unix)]
    options.mode(0o600);
    options.open(path)
}

/// Creates `dir` and its parents with owner-only permissions.
pub fn create_dirs(dir: &Path) -> io::Result<()> {
    let mut builder = fs::DirBuilder::new();
    builder.recursive(true);
    #[cfg(unix)]
    builder.mode(0o700);
    builder.create(dir)
}
