//! `RestoreStore` for `JsonStore` (import, migration): records and log lines written exactly
//! as given, under the session's lock.

use std::fs::File;
use std::sync::atomic::{AtomicBool, Ordering};

use async_trait::async_trait;
use futures_util::StreamExt;
use multichat_core::{Error, Message, RestoreStore, Result, Session, SessionId, WholeSession};

use crate::JsonStore;
use crate::codec::{decode_line, encode_batch};
use crate::error::io_at;
use crate::records::{remove_files, write_record};
use crate::recover::SessionState;
use crate::state::{Change, Locked};
use crate::tail;

/// How many sessions of one `restore_sessions` call are written at once: one per worker thread.
/// Flushes issued together share journal commits (ext4, XFS): 220,000 messages in 20,000
/// sessions imported in 17.6–18.3 s one session at a time, 6.8–8.3 s this way
/// (`docs/benchmarks.md`, "Import").
const RESTORE_PARALLEL: usize = crate::store::WORKERS;

#[async_trait]
impl RestoreStore for JsonStore {
    async fn restore_session(&self, session: Session) -> Result<()> {
        self.shared.config.limits.check_session(&session)?;
        let id = session.id.clone();
        self.run(&id, move |ctx| restore_session(ctx, session))
            .await
    }

    async fn restore_messages(&self, id: &SessionId, messages: Vec<Message>) -> Result<()> {
        self.run(id, move |ctx| restore_messages(ctx, messages))
            .await
    }

    /// Each session whole under its lock, in one step (`restore_whole`): three flushes a
    /// session instead of the seven of the three-step way, and as many sessions at once as the
    /// store has worker threads (16), so their flushes share the file system's journal commits. Not one
    /// transaction: after an error no further session is started, the ones being written are
    /// finished, and the call returns the first error once nothing of it is running any more —
    /// any of its sessions may be written (each whole or as before), which an import run again
    /// redoes or skips.
    async fn restore_sessions(&self, sessions: Vec<WholeSession>) -> Result<()> {
        WholeSession::check_all(&sessions, &self.shared.config.limits)?;
        let failed = AtomicBool::new(false);
        let failed = &failed;
        let writes = sessions.into_iter().map(|whole| async move {
            if failed.load(Ordering::SeqCst) {
                return Ok(());
            }
            let id = whole.session.id.clone();
            let written = async {
                self.shared.remove_damaged(&id)?;
                self.run(&id, move |ctx| restore_whole(ctx, whole)).await
            }
            .await;
            failed.fetch_or(written.is_err(), Ordering::SeqCst);
            written
        });
        let results: Vec<Result<()>> = futures_util::stream::iter(writes)
            .buffer_unordered(RESTORE_PARALLEL)
            .collect()
            .await;
        results.into_iter().collect()
    }
}

/// Replaces the session of `ctx` with `whole`: its old files removed, the log written whole and
/// flushed, then the record (the session exists from the record's rename on, with every
/// message).
fn restore_whole(ctx: Locked<'_>, whole: WholeSession) -> Result<((), Change)> {
    if ctx.current.is_some() {
        remove_files(ctx.shared, ctx.id)?;
    }
    let log = ctx.shared.layout.log(ctx.id.as_str());
    let data = match whole.messages.is_empty() {
        true => Vec::new(),
        false => encode_batch(&whole.session, whole.messages),
    };
    ctx.shared
        .fs()
        .write_new(&log, &data)
        .map_err(io_at(&log))?;
    ctx.shared.fs().sync(&log).map_err(io_at(&log))?;
    let log_len = data.len() as u64;
    write_record(ctx.shared, &whole.session, log_len)?;
    let session = whole.session;
    Ok(((), Change::Set(SessionState { session, log_len })))
}

/// Writes the record of `session`, keeping its log (created empty if new).
fn restore_session(ctx: Locked<'_>, session: Session) -> Result<((), Change)> {
    let log = ctx.shared.layout.log(ctx.id.as_str());
    let log_len = match &ctx.current {
        Some(entry) => entry.log_len,
        None => {
            ctx.shared.fs().write_new(&log, b"").map_err(io_at(&log))?;
            0
        }
    };
    write_record(ctx.shared, &session, log_len)?;
    Ok(((), Change::Set(SessionState { session, log_len })))
}

/// Appends `messages` as one batch, then rewrites the record to cover them.
fn restore_messages(ctx: Locked<'_>, messages: Vec<Message>) -> Result<((), Change)> {
    let mut entry = ctx
        .current
        .clone()
        .ok_or_else(|| Error::not_found(ctx.id))?;
    let log = ctx.shared.layout.log(ctx.id.as_str());
    ctx.shared.config.limits.check_restored(
        &messages,
        last_seq(&log, entry.log_len)?,
        entry.session.last_seq,
    )?;
    if messages.is_empty() {
        return Ok(((), Change::Keep));
    }
    crate::keys::check_restored(&ctx, &entry, &messages)?;
    let data = encode_batch(&entry.session, messages);
    ctx.shared.fs().append(&log, &data).map_err(io_at(&log))?;
    ctx.shared.fs().sync(&log).map_err(io_at(&log))?;
    entry.log_len += data.len() as u64;
    write_record(ctx.shared, &entry.session, entry.log_len)?;
    Ok(((), Change::Set(entry)))
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
