//! Message writes: append (one write and one fsync of the log), pop and clear (the record first,
//! then the truncation, so an interrupted truncation is finished on the next load).

use std::fs::File;

use multichat_core::{Message, NewMessage, Result};

use crate::codec::{decode_line, encode_batch};
use crate::config::Durability;
use crate::error::io_at;
use crate::inner::{After, Ctx, live};
use crate::ops_sessions::write_record;
use crate::tail;

/// Appends a validated batch; the batch's last line commits it.
pub fn append(
    ctx: Ctx<'_>,
    batch: Vec<NewMessage>,
    expected_last_seq: Option<u64>,
) -> Result<(Vec<u64>, After)> {
    let mut entry = live(&ctx)?;
    entry.session.check_last_seq(expected_last_seq)?;
    let first = entry.session.record_append(batch.len() as u64, ctx.now)?;
    let seqs: Vec<u64> = (first..first + batch.len() as u64).collect();
    let messages = batch
        .into_iter()
        .zip(&seqs)
        .map(|(m, &seq)| Message::from_new(m, seq, ctx.now))
        .collect();
    let data = encode_batch(&entry.session, messages);
    let log = ctx.inner.layout.log(ctx.id.as_str());
    ctx.inner.fs().append(&log, &data).map_err(io_at(&log))?;
    if ctx.inner.config.durability == Durability::Fsync {
        ctx.inner.fs().sync(&log).map_err(io_at(&log))?;
    }
    entry.log_len += data.len() as u64;
    Ok((seqs, After::Set(entry)))
}

/// Removes and returns the last message.
pub fn pop(ctx: Ctx<'_>) -> Result<(Option<Message>, After)> {
    let mut entry = live(&ctx)?;
    if entry.session.message_count == 0 {
        return Ok((None, After::Keep));
    }
    let log = ctx.inner.layout.log(ctx.id.as_str());
    let mut file = File::open(&log).map_err(io_at(&log))?;
    let mut last = None;
    tail::backwards(&mut file, entry.log_len, |line, start| {
        last = Some((line.to_vec(), start));
        false
    })
    .map_err(io_at(&log))?;
    let (bytes, start) = last.unwrap_or_default();
    let line = decode_line(&bytes, || format!("{} at byte {start}", log.display()))?;
    entry.session.record_removal(1, ctx.now)?;
    truncate(&ctx, &mut entry, start)?;
    Ok((Some(line.message), After::Set(entry)))
}

/// Removes every message; returns how many.
pub fn clear(ctx: Ctx<'_>) -> Result<(u64, After)> {
    let mut entry = live(&ctx)?;
    let removed = entry.session.message_count;
    if removed == 0 && entry.log_len == 0 {
        return Ok((0, After::Keep));
    }
    let highest = entry.session.last_seq;
    entry.session.record_clear(removed, highest, ctx.now)?;
    truncate(&ctx, &mut entry, 0)?;
    Ok((removed, After::Set(entry)))
}

/// Writes the record (which now covers only `len` bytes), then cuts the log to `len`.
fn truncate(ctx: &Ctx<'_>, entry: &mut crate::recover::Entry, len: u64) -> Result<()> {
    write_record(ctx.inner, &entry.session, len)?;
    let log = ctx.inner.layout.log(ctx.id.as_str());
    ctx.inner.fs().truncate(&log, len).map_err(io_at(&log))?;
    if ctx.inner.config.durability == Durability::Fsync {
        ctx.inner.fs().sync(&log).map_err(io_at(&log))?;
    }
    entry.log_len = len;
    Ok(())
}
