//! `MessageStore` for `JsonStore`, each call under the session's lock: append (one write and
//! one fsync of the log), pop and clear (the record first, then the truncation, so an
//! interrupted truncation is finished on the next load), reads (the `scan` module).

use std::fs::File;
use std::sync::Arc;

use async_trait::async_trait;
use multichat_core::backend::KeyedBatch;
use multichat_core::{
    Message, MessageQuery, MessageStore, MessageStream, NewMessage, Result, SessionId,
};

use crate::JsonStore;
use crate::codec::{decode_line, encode_batch};
use crate::config::Durability;
use crate::error::io_at;
use crate::records::write_record;
use crate::state::{Change, Locked, live};
use crate::{keys, scan, tail, window};

#[async_trait]
impl MessageStore for JsonStore {
    async fn append(
        &self,
        id: &SessionId,
        messages: Vec<NewMessage>,
        expected_last_seq: Option<u64>,
    ) -> Result<Vec<u64>> {
        self.shared.config.limits.check_batch(&messages)?;
        // A copy to hand to the watches only when there are some.
        let handed = self.shared.changes.is_watched(id);
        let (seqs, stored) = self
            .run(id, move |ctx| {
                append(ctx, messages, expected_last_seq, handed)
            })
            .await?;
        match stored {
            Some(stored) => self.shared.changes.appended(id, &stored),
            None => self.shared.changes.touch(id),
        }
        Ok(seqs)
    }

    async fn read(&self, id: &SessionId, query: MessageQuery) -> Result<Vec<Message>> {
        self.shared.config.limits.check_read(&query)?;
        match query {
            MessageQuery::Budget { .. } => self.run(id, move |ctx| window::read(ctx, query)).await,
            _ => self.run(id, move |ctx| scan::read(ctx, query)).await,
        }
    }

    async fn pop(&self, id: &SessionId) -> Result<Option<Message>> {
        self.run(id, pop).await
    }

    async fn clear(&self, id: &SessionId) -> Result<u64> {
        self.run(id, clear).await
    }

    /// Woken at once by this store's appends and deletes.
    fn watch(self: Arc<Self>, id: SessionId, after_seq: u64) -> MessageStream {
        // One process holds a JSON store: every write is this one's and wakes the watches, which
        // only recheck (for an expiry).
        let config = self.shared.config.watch.rechecking();
        let changes = Arc::clone(&self.shared.changes);
        changes.follow(self, id, after_seq, config)
    }
}

/// An append's seqs, and its messages when they are handed to watches.
type Handed = (Vec<u64>, Option<Vec<Message>>);

/// Appends a validated batch; the batch's last line commits it. Returns the seqs and, when
/// `handed`, the stored messages.
fn append(
    ctx: Locked<'_>,
    batch: Vec<NewMessage>,
    expected_last_seq: Option<u64>,
    handed: bool,
) -> Result<(Handed, Change)> {
    let mut entry = live(&ctx)?;
    let before = keys::mark(&entry);
    let found = keys::held(&ctx, &entry, batch.iter().map(|m| m.key.as_deref()))?;
    let keyed = KeyedBatch::resolve(ctx.id, batch, |k| Ok(found.get(k).cloned()))?;
    let (messages, seqs) = entry
        .session
        .append_keyed(keyed, expected_last_seq, ctx.now)?;
    if messages.is_empty() {
        return Ok(((seqs, None), Change::Keep));
    }
    let kept = handed.then(|| messages.clone());
    let keyed: Vec<Message> = match messages.iter().any(|m| m.key.is_some()) {
        true => messages.clone(),
        false => Vec::new(),
    };
    let data = encode_batch(&entry.session, messages);
    let log = ctx.shared.layout.log(ctx.id.as_str());
    ctx.shared.fs().append(&log, &data).map_err(io_at(&log))?;
    if ctx.shared.config.durability == Durability::Fsync {
        ctx.shared.fs().sync(&log).map_err(io_at(&log))?;
    }
    entry.log_len += data.len() as u64;
    keys::appended(&ctx, before, &entry, &keyed);
    Ok(((seqs, kept), Change::Set(entry)))
}

/// Removes and returns the last message.
fn pop(ctx: Locked<'_>) -> Result<(Option<Message>, Change)> {
    let mut entry = live(&ctx)?;
    if entry.session.message_count == 0 {
        return Ok((None, Change::Keep));
    }
    let log = ctx.shared.layout.log(ctx.id.as_str());
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
    Ok((Some(line.message), Change::Set(entry)))
}

/// Removes every message; returns how many.
fn clear(ctx: Locked<'_>) -> Result<(u64, Change)> {
    let mut entry = live(&ctx)?;
    let removed = entry.session.message_count;
    if removed == 0 && entry.log_len == 0 {
        return Ok((0, Change::Keep));
    }
    let highest = entry.session.last_seq;
    entry.session.record_clear(removed, highest, ctx.now)?;
    truncate(&ctx, &mut entry, 0)?;
    Ok((removed, Change::Set(entry)))
}

/// Writes the record (which now covers only `len` bytes), then cuts the log to `len`.
fn truncate(ctx: &Locked<'_>, entry: &mut crate::recover::SessionState, len: u64) -> Result<()> {
    write_record(ctx.shared, &entry.session, len)?;
    let log = ctx.shared.layout.log(ctx.id.as_str());
    ctx.shared.fs().truncate(&log, len).map_err(io_at(&log))?;
    if ctx.shared.config.durability == Durability::Fsync {
        ctx.shared.fs().sync(&log).map_err(io_at(&log))?;
    }
    entry.log_len = len;
    Ok(())
}
