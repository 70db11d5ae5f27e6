//! Session writes: create, update, delete; and the record write protocol (temp file, fsync,
//! rename, fsync of the directory).

use std::path::Path;

use multichat_core::{Error, NewSession, Result, Session, SessionId, SessionPatch};

use crate::codec::{FORMAT_VERSION, Record};
use crate::error::io_at;
use crate::inner::{After, Ctx, Inner, live};
use crate::recover::Entry;

/// Creates the session; an expired one with the same id is replaced.
pub fn create(ctx: Ctx<'_>, new: NewSession) -> Result<(Session, After)> {
    if let Some(old) = &ctx.current {
        if !old.session.is_expired(ctx.now) {
            return Err(Error::AlreadyExists { id: new.id });
        }
        remove_files(ctx.inner, ctx.id)?;
    }
    let log = ctx.inner.layout.log(ctx.id.as_str());
    ctx.inner.fs().write_new(&log, b"").map_err(io_at(&log))?;
    let session = Session::create(new, ctx.now);
    write_record(ctx.inner, &session, 0)?;
    Ok((
        session.clone(),
        After::Set(Entry {
            session,
            log_len: 0,
        }),
    ))
}

/// Applies a validated patch.
pub fn update(ctx: Ctx<'_>, patch: SessionPatch) -> Result<(Session, After)> {
    let mut entry = live(&ctx)?;
    entry.session.apply_patch(patch, ctx.now)?;
    write_record(ctx.inner, &entry.session, entry.log_len)?;
    Ok((entry.session.clone(), After::Set(entry)))
}

/// Deletes the session's files; returns whether it was live.
pub fn delete(ctx: Ctx<'_>) -> Result<(bool, After)> {
    let Some(entry) = &ctx.current else {
        return Ok((false, After::Keep));
    };
    remove_files(ctx.inner, ctx.id)?;
    Ok((!entry.session.is_expired(ctx.now), After::Remove))
}

/// Writes the record of `session` covering `log_len` bytes of its log: to a temp file, fsync,
/// rename over the record, fsync of the directory. A crash leaves the old or the new record.
pub fn write_record(inner: &Inner, session: &Session, log_len: u64) -> Result<()> {
    let (tmp, path) = (
        inner.layout.record_tmp(session.id.as_str()),
        inner.layout.record(session.id.as_str()),
    );
    let record = Record {
        format: FORMAT_VERSION,
        session: session.clone(),
        log_len,
    };
    let mut data = serde_json::to_vec_pretty(&record).expect("a record serializes");
    data.push(b'\n');
    let fs = inner.fs();
    fs.write_new(&tmp, &data).map_err(io_at(&tmp))?;
    fs.sync(&tmp).map_err(io_at(&tmp))?;
    fs.rename(&tmp, &path).map_err(io_at(&path))?;
    sync_parent(inner, &path)
}

/// Removes the record (the session is gone from then on), then the log.
fn remove_files(inner: &Inner, id: &SessionId) -> Result<()> {
    let (record, log) = (
        inner.layout.record(id.as_str()),
        inner.layout.log(id.as_str()),
    );
    inner.fs().remove(&record).map_err(io_at(&record))?;
    sync_parent(inner, &record)?;
    inner.fs().remove(&log).map_err(io_at(&log))
}

fn sync_parent(inner: &Inner, path: &Path) -> Result<()> {
    let dir = path.parent().unwrap_or(inner.layout.root());
    inner.fs().sync(dir).map_err(io_at(dir))
}
