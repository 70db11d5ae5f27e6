//! Restores (import, migration): records and log lines written exactly as given.

use std::fs::File;

use multichat_core::{Error, Message, Result, Session};

use crate::codec::{decode_line, encode_batch};
use crate::error::io_at;
use crate::inner::{After, Ctx};
use crate::ops_sessions::write_record;
use crate::recover::Entry;
use crate::tail;

/// Writes the record of `session`, keeping its log (created empty if new).
pub fn restore_session(ctx: Ctx<'_>, session: Session) -> Result<((), After)> {
    let log = ctx.inner.layout.log(ctx.id.as_str());
    let log_len = match &ctx.current {
        Some(entry) => entry.log_len,
        None => {
            ctx.inner.fs().write_new(&log, b"").map_err(io_at(&log))?;
            0
        }
    };
    write_record(ctx.inner, &session, log_len)?;
    Ok(((), After::Set(Entry { session, log_len })))
}

/// Appends `messages` as one batch, then rewrites the record to cover them.
pub fn restore_messages(ctx: Ctx<'_>, messages: Vec<Message>) -> Result<((), After)> {
    let mut entry = ctx
        .current
        .clone()
        .ok_or_else(|| Error::not_found(ctx.id))?;
    let log = ctx.inner.layout.log(ctx.id.as_str());
    ctx.inner.config.limits.check_restored(
        &messages,
        last_seq(&log, entry.log_len)?,
        entry.session.last_seq,
    )?;
    if messages.is_empty() {
        return Ok(((), After::Keep));
    }
    let data = encode_batch(&entry.session, messages);
    ctx.inner.fs().append(&log, &data).map_err(io_at(&log))?;
    ctx.inner.fs().sync(&log).map_err(io_at(&log))?;
    entry.log_len += data.len() as u64;
    write_record(ctx.inner, &entry.session, entry.log_len)?;
    Ok(((), After::Set(entry)))
}

/// The seq of the last line of the log (0 if empty).
fn last_seq(log: &std::path::Path, len: u64) -> Result<u64> {
    if len == 0 {
        return Ok(0);
    }
    let mut file = File::open(log).map_err(io_at(log))?;
    let mut last = Vec::new();
    tail::backwards(&mut file, len, |line, _| {
        last = line.to_vec();
        false
    })
    .map_err(io_at(log))?;
    Ok(
        decode_line(&last, || format!("{} (last line)", log.display()))?
            .message
            .seq,
    )
}
