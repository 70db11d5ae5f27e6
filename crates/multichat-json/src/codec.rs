//! The JSON documents: the format marker, session records and message log lines.

use multichat_core::{Error, Message, Result, Session, Timestamp};
use serde::{Deserialize, Serialize};

/// The version of the files this build writes.
pub const FORMAT_VERSION: u32 = 1;

/// `multichat-json.json` at the root.
#[derive(Debug, Serialize, Deserialize)]
pub struct Marker {
    /// Always `"multichat-json"`.
    pub format: String,
    /// The layout version.
    pub version: u32,
}

/// A session record: a snapshot of the session and the length of its log that the snapshot
/// accounts for. Lines past `log_len` with a seq above `session.last_seq` are later appends.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Record {
    /// The record format version.
    pub format: u32,
    /// The session as of this snapshot.
    pub session: Session,
    /// Bytes of the log covered by this snapshot.
    pub log_len: u64,
}

/// One line of a message log: a complete message, plus the session's counters after the batch
/// it belongs to, and how many lines of that batch follow it (0 on the batch's last line, which
/// commits the batch).
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct LogLine {
    /// The message.
    #[serde(flatten)]
    pub message: Message,
    /// Lines of the same batch after this one.
    pub batch_left: u64,
    /// The session's version after the batch.
    pub version: u64,
    /// The session's `updated_at` after the batch.
    pub updated_at: Timestamp,
    /// The session's `message_count` after the batch.
    pub message_count: u64,
}

/// The log lines of one batch, each ending in `\n`, written with one write.
pub fn encode_batch(session: &Session, messages: Vec<Message>) -> Vec<u8> {
    let total = messages.len() as u64;
    let mut out = Vec::with_capacity(256 * messages.len());
    for (i, message) in messages.into_iter().enumerate() {
        let line = LogLine {
            message,
            batch_left: total - 1 - i as u64,
            version: session.version,
            updated_at: session.updated_at,
            message_count: session.message_count,
        };
        serde_json::to_writer(&mut out, &line).expect("a log line serializes");
        out.push(b'\n');
    }
    out
}

/// Decodes one log line (without its `\n`); `where_` names the file and line on error.
pub fn decode_line(bytes: &[u8], where_: impl FnOnce() -> String) -> Result<LogLine> {
    serde_json::from_slice(bytes)
        .map_err(|e| Error::corrupt(where_(), format!("not a message line: {e}")))
}

/// Decodes a record file's bytes.
pub fn decode_record(bytes: &[u8], file: &str) -> Result<Record> {
    let value: serde_json::Value = serde_json::from_slice(bytes)
        .map_err(|e| Error::corrupt(file, format!("not a session record: {e}")))?;
    let format = value
        .get("format")
        .and_then(serde_json::Value::as_u64)
        .unwrap_or(0);
    if format > u64::from(FORMAT_VERSION) {
        return Err(Error::Incompatible {
            what: format!("JSON session record {file}"),
            found: format.to_string(),
            supported: FORMAT_VERSION.to_string(),
        });
    }
    serde_json::from_value(value)
        .map_err(|e| Error::corrupt(file, format!("not a session record: {e}")))
}
