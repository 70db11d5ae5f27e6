//! The session hash and the message stream entries, to and from the model.

use std::collections::HashMap;

use multichat_core::backend::{Counters, Times};
use multichat_core::{
    Error, Expiry, Message, Metadata, NewMessage, NewSession, Result, Role, Session, SessionId,
    Timestamp,
};
use serde_json::json;

/// The fields of a session hash: JSON for `title`, `participants`, `metadata`; integers as text;
/// `ttl`/`deadline` hold the expiry policy and `expires_at` its deadline (`""` for none).
pub fn session_fields(s: &Session) -> Vec<String> {
    let opt = |t: Option<i64>| t.map(|v| v.to_string()).unwrap_or_default();
    let (ttl, deadline) = match s.expiry {
        Some(Expiry::IdleMs(ms)) => (ms.to_string(), String::new()),
        Some(Expiry::At(t)) => (String::new(), t.0.to_string()),
        None => (String::new(), String::new()),
    };
    // The counters first: a small hash is a listpack, searched from its start, and every append
    // reads and writes these (measured: `docs/benchmarks.md`, "Design decisions").
    let pairs = [
        ("version", s.version.to_string()),
        ("last_seq", s.last_seq.to_string()),
        ("message_count", s.message_count.to_string()),
        ("updated_at", s.updated_at.0.to_string()),
        ("expires_at", opt(s.expires_at.map(|t| t.0))),
        ("ttl", ttl),
        ("deadline", deadline),
        ("id", s.id.to_string()),
        ("created_at", s.created_at.0.to_string()),
        ("title", json!(s.title).to_string()),
        ("participants", json!(s.participants).to_string()),
        ("metadata", json!(s.metadata).to_string()),
    ];
    pairs
        .into_iter()
        .flat_map(|(k, v)| [k.to_owned(), v])
        .collect()
}

/// Decodes a session hash read from `key`; missing or malformed fields are `Corrupt`.
pub fn session(hash: &HashMap<String, String>, key: &str) -> Result<Session> {
    let bad = |what: &str| {
        Error::corrupt(
            format!("redis key {key}"),
            format!("bad session field: {what}"),
        )
    };
    let text = |name: &str| hash.get(name).map_or("\u{0}", String::as_str);
    let num = |name: &str| text(name).parse::<i64>().ok();
    let nums = [
        "created_at",
        "updated_at",
        "version",
        "last_seq",
        "message_count",
    ]
    .map(num);
    let [
        Some(created),
        Some(updated),
        Some(version),
        Some(last),
        Some(count),
    ] = nums
    else {
        return Err(bad("times or counters"));
    };
    let id = SessionId::new(text("id")).map_err(|_| bad("id"))?;
    let (title, participants, metadata) =
        json_fields(hash).ok_or_else(|| bad("title, participants or metadata"))?;
    let mut new = NewSession::new(id);
    (new.title, new.participants, new.metadata) = (title, participants, metadata);
    new.expiry = num("ttl")
        .map(|ms| Expiry::IdleMs(ms as u64))
        .or(num("deadline").map(|t| Expiry::At(Timestamp(t))));
    let times = Times {
        created_at: Timestamp(created),
        updated_at: Timestamp(updated),
        expires_at: num("expires_at").map(Timestamp),
    };
    let counters = Counters {
        version: version as u64,
        last_seq: last as u64,
        message_count: count as u64,
    };
    Ok(Session::from_parts(new, times, counters))
}

fn json_fields(hash: &HashMap<String, String>) -> Option<(Option<String>, Vec<String>, Metadata)> {
    let title = serde_json::from_str(hash.get("title")?).ok()?;
    let participants = serde_json::from_str(hash.get("participants")?).ok()?;
    let metadata = serde_json::from_str(hash.get("metadata")?).ok()?;
    Some((title, participants, metadata))
}

/// The stream value of a message: its JSON without the seq (the entry id is `<seq>-0`).
/// Keys in alphabetical order, as older versions wrote them through `json!`.
pub fn message_json(m: &NewMessage, created_at: Timestamp) -> String {
    let entry = StreamEntry {
        content: &m.content,
        created_at: created_at.0,
        key: m.key.as_deref(),
        metadata: &m.metadata,
        role: &m.role,
        sender: m.sender.as_deref(),
        tokens: m.tokens,
    };
    serde_json::to_string(&entry).expect("a message always serializes")
}

/// The JSON of a stream entry, written.
#[derive(serde::Serialize)]
struct StreamEntry<'a> {
    content: &'a str,
    created_at: i64,
    #[serde(skip_serializing_if = "Option::is_none")]
    key: Option<&'a str>,
    metadata: &'a Metadata,
    role: &'a Role,
    sender: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    tokens: Option<u32>,
}

/// The JSON of a stream entry, read. The role is borrowed from the reply (no allocation for the
/// four built-in roles).
#[derive(serde::Deserialize)]
struct Stored<'a> {
    #[serde(borrow)]
    role: std::borrow::Cow<'a, str>,
    sender: Option<String>,
    content: String,
    metadata: Metadata,
    created_at: i64,
    #[serde(default)]
    key: Option<String>,
    #[serde(default)]
    tokens: Option<u32>,
}

/// Decodes a stream entry `(id, json)` of `key`.
pub fn message(entry_id: &str, value: &[u8], key: &str) -> Result<Message> {
    let bad = |what: String| Error::corrupt(format!("redis key {key} entry {entry_id}"), what);
    let seq = entry_id
        .split('-')
        .next()
        .and_then(|s| s.parse().ok())
        .ok_or_else(|| bad("entry id".into()))?;
    let stored: Stored = serde_json::from_slice(value).map_err(|e| bad(e.to_string()))?;
    let mut new = NewMessage::new(Role::from(stored.role.as_ref()), stored.content);
    (new.sender, new.metadata, new.key) = (stored.sender, stored.metadata, stored.key);
    new.tokens = stored.tokens;
    Ok(Message::from_new(new, seq, Timestamp(stored.created_at)))
}
