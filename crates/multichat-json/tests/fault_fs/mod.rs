//! A file system that fails (or cuts short) one chosen mutating operation.

use std::io;
use std::path::Path;
use std::sync::atomic::{AtomicUsize, Ordering};

use multichat_json::{FileSystem, StdFs};

/// How the chosen operation fails.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Fault {
    /// It returns an I/O error.
    Error,
    /// A write or append first writes half of its data, then returns an I/O error.
    Short,
    /// It panics (a bug inside the store's blocking task).
    Panic,
}

/// Fails the `fail_at`-th mutating operation (1-based) as `fault` says.
#[derive(Debug)]
pub struct FaultFs {
    /// Mutating operations seen so far.
    pub count: AtomicUsize,
    fail_at: usize,
    fault: Fault,
}

impl FaultFs {
    /// Fails operation `fail_at` (1-based); `usize::MAX` never fails.
    pub fn new(fail_at: usize, fault: Fault) -> Self {
        Self {
            count: AtomicUsize::new(0),
            fail_at,
            fault,
        }
    }

    /// Whether this operation fails; `data` is written in part first when cutting short.
    fn gate(&self, path: &Path, data: Option<(&[u8], bool)>) -> io::Result<()> {
        if self.count.fetch_add(1, Ordering::SeqCst) + 1 != self.fail_at {
            return Ok(());
        }
        if self.fault == Fault::Panic {
            panic!("injected panic");
        }
        if let (Fault::Short, Some((data, append))) = (self.fault, data) {
            let half = &data[..data.len() / 2];
            let _ = if append {
                StdFs.append(path, half)
            } else {
                StdFs.write_new(path, half)
            };
        }
        Err(io::Error::other("injected fault"))
    }
}

impl FileSystem for FaultFs {
    fn write_new(&self, path: &Path, data: &[u8]) -> io::Result<()> {
        self.gate(path, Some((data, false)))?;
        StdFs.write_new(path, data)
    }

    fn append(&self, path: &Path, data: &[u8]) -> io::Result<()> {
        self.gate(path, Some((data, true)))?;
        StdFs.append(path, data)
    }

    fn sync(&self, path: &Path) -> io::Result<()> {
        self.gate(path, None)?;
        StdFs.sync(path)
    }

    fn rename(&self, from: &Path, to: &Path) -> io::Result<()> {
        self.gate(to, None)?;
        StdFs.rename(from, to)
    }

    fn truncate(&self, path: &Path, len: u64) -> io::Result<()> {
        self.gate(path, None)?;
        StdFs.truncate(path, len)
    }

    fn remove(&self, path: &Path) -> io::Result<()> {
        self.gate(path, None)?;
        StdFs.remove(path)
    }
}
