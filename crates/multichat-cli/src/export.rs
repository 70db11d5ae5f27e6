//! `export`: JSON Lines of the core types, streamed page by page.

use std::io::{BufWriter, Write};
use std::path::Path;

use multichat_core::{ChatStore, Context, Error, Message, Result, Session, SessionId};
use serde::{Deserialize, Serialize};

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

/// Writes every session and message of `store` as JSON Lines to `output` (or stdout).
pub async fn export(store: &dyn ChatStore, output: Option<&Path>) -> Result<()> {
    let sink: Box<dyn Write> = match output {
        Some(path) => Box::new(private_file(path).map_err(|e| io(path, e))?),
        None => Box::new(std::io::stdout().lock()),
    };
    let mut out = BufWriter::new(sink);
    let bar = if output.is_some() {
        progress(0, "exporting")
    } else {
        indicatif::ProgressBar::hidden()
    };
    each_session(store, async |session| {
        let id = session.id.clone();
        write_line(&mut out, &Line::Session { session })?;
        each_page(store, &id, async |page| {
            page.into_iter().try_for_each(|message| {
                write_line(
                    &mut out,
                    &Line::Message {
                        session_id: id.clone(),
                        message,
                    },
                )
            })
        })
        .await?;
        bar.inc(1);
        Ok(())
    })
    .await?;
    bar.finish_and_clear();
    out.flush()
        .map_err(|e| io(output.unwrap_or(Path::new("stdout")), e))
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
