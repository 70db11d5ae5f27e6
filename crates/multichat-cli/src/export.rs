//! `export`: JSON Lines of the core types, streamed page by page.

use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};

use multichat_core::{ChatStore, Context, Error, Message, Result, Session, SessionId};
use serde::{Deserialize, Serialize};

use indicatif::ProgressBar;

use crate::output::progress;
use crate::pages::{each_page, each_session};

/// One line of an export: a session record, or one of its messages (after its session line).
#[derive(Debug, Serialize, Deserialize)]
#[serde(untagged)]
pub enum Line {
    /// `{"session": <Session>}`
    Session {
        /// The record.
        session: Session,
    },
    /// `{"session_id": "...", "message": <Message>}`
    Message {
        /// Its session.
        session_id: SessionId,
        /// The message.
        message: Message,
    },
}

/// What `export` writes, and where.
#[derive(Debug, Default)]
pub struct ExportOptions {
    /// The file to write (stdout if absent).
    pub output: Option<PathBuf>,
    /// Only these sessions (every session if empty); a missing one is `NotFound`, before
    /// anything is written.
    pub sessions: Vec<String>,
    /// Only sessions with this participant.
    pub participant: Option<String>,
}

/// Writes the sessions `options` selects, each followed by its messages, as JSON Lines;
/// returns how many sessions it wrote.
pub async fn export(store: &dyn ChatStore, options: &ExportOptions) -> Result<u64> {
    let output = options.output.as_deref();
    let (mut out, bar) = sink(output)?;
    let mut written = 0;
    let mut write = async |session: Session| {
        write_session(&mut out, store, session).await?;
        bar.inc(1);
        written += 1;
        Ok(())
    };
    if options.sessions.is_empty() {
        each_session(store, options.participant.as_deref(), &mut write).await?;
    } else {
        for session in chosen(store, &options.sessions).await? {
            write(session).await?;
        }
    }
    bar.finish_and_clear();
    out.flush()
        .map_err(|e| io(output.unwrap_or(Path::new("stdout")), e))?;
    Ok(written)
}

/// Where the lines go, buffered, and a progress bar (shown only when writing a file).
fn sink(output: Option<&Path>) -> Result<(BufWriter<Box<dyn Write>>, ProgressBar)> {
    let Some(path) = output else {
        let out: Box<dyn Write> = Box::new(std::io::stdout().lock());
        return Ok((BufWriter::new(out), ProgressBar::hidden()));
    };
    let out: Box<dyn Write> = Box::new(private_file(path).map_err(|e| io(path, e))?);
    Ok((BufWriter::new(out), progress(0, "exporting")))
}

/// The sessions named by `ids` (each once, in the order first named), every one of them there.
async fn chosen(store: &dyn ChatStore, ids: &[String]) -> Result<Vec<Session>> {
    let mut sessions: Vec<Session> = Vec::new();
    for id in ids {
        let id = SessionId::new(id.as_str())?;
        if sessions.iter().any(|s| s.id == id) {
            continue;
        }
        let session = store.get_session(&id).await?;
        sessions.push(session.ok_or_else(|| Error::not_found(&id))?);
    }
    Ok(sessions)
}

/// One session's line, then one line per message.
async fn write_session(
    out: &mut impl Write,
    store: &dyn ChatStore,
    session: Session,
) -> Result<()> {
    let id = session.id.clone();
    write_line(out, &Line::Session { session })?;
    each_page(store, &id, async |page| {
        page.into_iter().try_for_each(|message| {
            let session_id = id.clone();
            write_line(
                out,
                &Line::Message {
                    session_id,
                    message,
                },
            )
        })
    })
    .await
}

/// Creates (or truncates) `path`, readable by its owner only where the system has modes: an
/// export holds every chat.
fn private_file(path: &Path) -> std::io::Result<std::fs::File> {
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create(true).truncate(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    options.open(path)
}

fn write_line(out: &mut impl Write, line: &Line) -> Result<()> {
    serde_json::to_writer(&mut *out, line).map_err(|e| Error::Backend {
        backend: "file",
        source: Context::new("writing the export", e).into(),
    })?;
    out.write_all(b"\n").map_err(|e| io(Path::new("output"), e))
}

/// An I/O error on `path`.
pub fn io(path: &Path, e: std::io::Error) -> Error {
    Error::Backend {
        backend: "file",
        source: Context::new(path.display().to_string(), e).into(),
    }
}
