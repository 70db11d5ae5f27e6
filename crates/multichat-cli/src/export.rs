//! `export`: JSON Lines of the core types, streamed page by page.

use std::io::{BufWriter, Write};
use std::path::Path;

use multichat_core::{
    ChatStore, Error, Message, MessageQuery, Result, Session, SessionId, SessionQuery,
};
use serde::{Deserialize, Serialize};

use crate::output::progress;

/// Messages per page when streaming.
pub const PAGE: usize = 1000;

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

/// Every session of `store`, in listing order, page by page.
pub async fn each_session(
    store: &dyn ChatStore,
    mut visit: impl AsyncFnMut(Session) -> Result<()>,
) -> Result<()> {
    let mut cursor = None;
    loop {
        let page = store
            .list_sessions(SessionQuery::new(PAGE).cursor(cursor))
            .await?;
        for session in page.items {
            visit(session).await?;
        }
        cursor = page.next_cursor;
        if cursor.is_none() {
            return Ok(());
        }
    }
}

/// Every message of session `id`, page by page.
pub async fn each_page(
    store: &dyn ChatStore,
    id: &SessionId,
    mut visit: impl AsyncFnMut(Vec<Message>) -> Result<()>,
) -> Result<()> {
    let mut after = 0;
    loop {
        let page = store.read(id, MessageQuery::after(after, PAGE)).await?;
        let Some(last) = page.last() else {
            return Ok(());
        };
        after = last.seq;
        visit(page).await?;
    }
}

/// Writes every session and message of `store` as JSON Lines to `output` (or stdout).
pub async fn export(store: &dyn ChatStore, output: Option<&Path>) -> Result<()> {
    let sink: Box<dyn Write> = match output {
        Some(path) => Box::new(std::fs::File::create(path).map_err(|e| io(path, e))?),
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

fn write_line(out: &mut impl Write, line: &Line) -> Result<()> {
    serde_json::to_writer(&mut *out, line).map_err(|e| Error::invalid("export", e.to_string()))?;
    out.write_all(b"\n").map_err(|e| io(Path::new("output"), e))
}

/// An I/O error on `path`.
pub fn io(path: &Path, e: std::io::Error) -> Error {
    Error::Backend {
        backend: "file",
        source: format!("{}: {e}", path.display()).into(),
    }
}
