//! Loading a session from its record and its log, repairing what a crash can leave behind:
//! a torn last line, a batch written only in part, a pop or clear whose truncation did not happen.

use std::fs::File;
use std::path::Path;

use multichat_core::{Error, Result, Session};

use crate::codec::{LogLine, decode_line, decode_record};
use crate::error::io_at;
use crate::fs::FileSystem;
use crate::layout::Layout;
use crate::tail;

/// A session's current state: its record as of now, and the length of its log.
#[derive(Debug, Clone)]
pub struct SessionState {
    /// The session.
    pub session: Session,
    /// Bytes of its log (always a line boundary).
    pub log_len: u64,
}

impl AsRef<Session> for SessionState {
    fn as_ref(&self) -> &Session {
        &self.session
    }
}

/// Loads the session whose record is at `record_path`, reconciled with its log.
pub fn load(fs: &dyn FileSystem, layout: &Layout, record_path: &Path) -> Result<SessionState> {
    let name = record_path.display().to_string();
    let bytes = std::fs::read(record_path).map_err(io_at(record_path))?;
    let record = decode_record(&bytes, &name)?;
    if layout.record(record.session.id.as_str()) != record_path {
        return Err(Error::corrupt(
            &name,
            format!(
                "holds session {:?}, whose record has another name",
                record.session.id
            ),
        ));
    }
    let log = layout.log(record.session.id.as_str());
    let len = std::fs::metadata(&log).map_or(0, |m| m.len());
    if len < record.log_len {
        return Err(Error::corrupt(
            log.display().to_string(),
            format!("{len} bytes, its record accounts for {}", record.log_len),
        ));
    }
    let entry = SessionState {
        session: record.session,
        log_len: record.log_len,
    };
    if len == entry.log_len {
        return Ok(entry);
    }
    reconcile(fs, &log, entry, len)
}

/// The log is longer than the record says: either appends came after the record (take the state
/// from the last committed batch, cut anything after it) or a pop/clear was interrupted before
/// its truncation (the next line's seq is not above `last_seq`: cut back to the record).
fn reconcile(
    fs: &dyn FileSystem,
    log: &Path,
    mut entry: SessionState,
    len: u64,
) -> Result<SessionState> {
    let mut file = File::open(log).map_err(io_at(log))?;
    let boundary = tail::last_boundary(&mut file, entry.log_len, len).map_err(io_at(log))?;
    let first = first_seq(&mut file, entry.log_len, boundary, log)?;
    let last = match first {
        Some(seq) if seq > entry.session.last_seq => {
            last_committed(&mut file, entry.log_len, boundary, log)?
        }
        _ => None,
    };
    let keep = last.as_ref().map_or(entry.log_len, |(end, _)| *end);
    fs.truncate(log, keep).map_err(io_at(log))?;
    if let Some((end, line)) = last {
        apply(&mut entry.session, &line);
        entry.log_len = end;
    }
    Ok(entry)
}

/// The seq of the first complete line at `from`, if any.
fn first_seq(file: &mut File, from: u64, boundary: u64, log: &Path) -> Result<Option<u64>> {
    if boundary <= from {
        return Ok(None);
    }
    let mut first = Vec::new();
    tail::forwards(file, from, boundary, |line, _| {
        first = line.to_vec();
        false
    })
    .map_err(io_at(log))?;
    let where_ = || format!("{} at byte {from}", log.display());
    Ok(Some(decode_line(&first, where_)?.message.seq))
}

/// The end offset and line of the last line in `[from, boundary)` that closes a batch.
fn last_committed(
    file: &mut File,
    from: u64,
    boundary: u64,
    log: &Path,
) -> Result<Option<(u64, LogLine)>> {
    let mut found: Result<Option<(u64, LogLine)>> = Ok(None);
    let mut end = boundary;
    tail::backwards(file, boundary, |bytes, start| {
        if start < from {
            return false;
        }
        let decoded = decode_line(bytes, || format!("{} at byte {start}", log.display()));
        let keep_going = matches!(&decoded, Ok(line) if line.batch_left > 0);
        found = decoded.map(|line| (line.batch_left == 0).then_some((end, line)));
        end = start;
        keep_going
    })
    .map_err(io_at(log))?;
    found
}

/// The session's counters after the batch that `line` closes.
pub fn apply(session: &mut Session, line: &LogLine) {
    session.last_seq = line.message.seq;
    session.version = line.version;
    session.updated_at = line.updated_at;
    session.message_count = line.message_count;
    session.expires_at = session.expiry.map(|e| e.deadline(line.updated_at));
}
