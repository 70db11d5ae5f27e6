//! The record write protocol: a session record is written to a temp file, synced, renamed
//! over the old one, and the directory synced, so a crash leaves the old or the new record;
//! removing a session removes its record (synced) before its log.

use std::path::Path;

use multichat_core::{Result, Session, SessionId};

use crate::codec::{FORMAT_VERSION, Record};
use crate::error::io_at;
use crate::state::Shared;

/// Writes the record of `session` covering `log_len` bytes of its log: to a temp file, fsync,
/// rename over the record, fsync of the directory. A crash leaves the old or the new record.
pub fn write_record(shared: &Shared, session: &Session, log_len: u64) -> Result<()> {
    let (tmp, path) = (
        shared.layout.record_tmp(session.id.as_str()),
        shared.layout.record(session.id.as_str()),
    );
    let record = Record {
        format: FORMAT_VERSION,
        session: session.clone(),
        log_len,
    };
    let mut data = serde_json::to_vec_pretty(&record).expect("a record serializes");
    data.push(b'\n');
    let fs = shared.fs();
    fs.write_new(&tmp, &data).map_err(io_at(&tmp))?;
    fs.sync(&tmp).map_err(io_at(&tmp))?;
    fs.rename(&tmp, &path).map_err(io_at(&path))?;
    sync_parent(shared, &path)
}

/// Removes the record (the session is gone from then on), then the log.
pub fn remove_files(shared: &Shared, id: &SessionId) -> Result<()> {
    let (record, log) = (
        shared.layout.record(id.as_str()),
        shared.layout.log(id.as_str()),
    );
    shared.fs().remove(&record).map_err(io_at(&record))?;
    sync_parent(shared, &record)?;
    shared.fs().remove(&log).map_err(io_at(&log))
}

fn sync_parent(shared: &Shared, path: &Path) -> Result<()> {
    let dir = path.parent().unwrap_or(shared.layout.root());
    shared.fs().sync(dir).map_err(io_at(dir))
}
