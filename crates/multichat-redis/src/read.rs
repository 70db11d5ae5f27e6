//! Reads of a session's messages: one pipeline of `HMGET` (is the session live, how many messages
//! does it hold) and one range command on the stream, O(log n + count).
//!
//! The pipeline is not wrapped in `MULTI`/`EXEC` (two more commands; its cost is in
//! `docs/benchmarks.md`, "Design decisions"), so in principle another client's write could land between its two
//! commands. What the read returns is still a state the session really had:
//! - the session is missing or expired at the `HMGET`: `NotFound`, true at that moment;
//! - the range returned entries: the stream existed with them at the range command, and a stream
//!   exists only while its session does (both keys are created, deleted and expired together);
//! - the range came back empty although the `HMGET` counted messages that it should have found
//!   (the session may have been deleted or cleared in between): the read is repeated atomically.

use multichat_core::{Error, Message, MessageQuery, Result, SessionId, Timestamp};
use redis::Value;

use crate::RedisStore;
use crate::codec::message;
use crate::error::unexpected;

/// What a query asks the stream for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Form {
    /// The last `limit` messages.
    Last,
    /// Up to `limit` messages after `seq`.
    After,
    /// Up to `limit` messages before `seq`.
    Before,
    /// Nothing can match (a zero limit, after the largest seq, before seq 1).
    Nothing,
}

/// What a query asks the stream for: the form, the seq it is relative to, and at most how many.
#[derive(Debug, Clone, Copy)]
struct Range {
    form: Form,
    seq: u64,
    limit: usize,
}

/// The session fields a read needs: `version` (present iff the session exists), `expires_at`,
/// `message_count`, `last_seq`.
type Head = Vec<Option<String>>;

impl RedisStore {
    /// The messages `query` selects from the live session `id`.
    pub(crate) async fn read_messages(
        &self,
        id: &SessionId,
        query: MessageQuery,
    ) -> Result<Vec<Message>> {
        self.config.limits.check_read(&query)?;
        let range = range_of(query);
        let (key, stream) = (self.keys.session(id), self.keys.messages(id));
        let mut reply = self.read_once(&key, &stream, range, false).await?;
        if matches!(&reply.1, Value::Array(items) if items.is_empty())
            && might_hold(&reply.0, range)
        {
            reply = self.read_once(&key, &stream, range, true).await?;
        }
        let (head, entries) = reply;
        if !live(&head, self.now()) {
            return Err(Error::not_found(id));
        }
        decode(range.form, &entries, &stream)
    }

    /// One round trip on the session hash `key` and its stream: the head of the session and the
    /// range (atomic with `MULTI`/`EXEC` when `atomic`).
    async fn read_once(
        &self,
        key: &str,
        stream: &str,
        range: Range,
        atomic: bool,
    ) -> Result<(Head, Value)> {
        let Range { form, seq, limit } = range;
        let mut pipe = redis::pipe();
        if atomic {
            pipe.atomic();
        }
        pipe.cmd("HMGET").arg(key).arg(&HEAD_FIELDS);
        let from = || format!("({seq}-0");
        match form {
            Form::Last => pipe.cmd("XREVRANGE").arg(stream).arg("+").arg("-"),
            Form::After => pipe.cmd("XRANGE").arg(stream).arg(from()).arg("+"),
            Form::Before => pipe.cmd("XREVRANGE").arg(stream).arg(from()).arg("-"),
            Form::Nothing => pipe.cmd("XLEN").arg(stream),
        };
        if form != Form::Nothing {
            pipe.arg("COUNT").arg(limit);
        }
        self.query_pipe(pipe, key).await
    }
}

/// The hash fields a read loads.
const HEAD_FIELDS: [&str; 4] = ["version", "expires_at", "message_count", "last_seq"];

/// Whether an empty range contradicts `head`: the session held messages the query should have
/// found (for `After`, only if messages were appended after `seq`).
fn might_hold(head: &Head, range: Range) -> bool {
    let Range { form, seq, .. } = range;
    let number = |i: usize| -> u64 {
        let field = head.get(i).cloned().flatten();
        field.and_then(|v| v.parse().ok()).unwrap_or_default()
    };
    let (count, last_seq) = (number(2), number(3));
    count > 0 && form != Form::Nothing && (form != Form::After || last_seq > seq)
}

/// The range of the stream `query` selects.
fn range_of(query: MessageQuery) -> Range {
    let (form, seq, limit) = match query {
        MessageQuery::Last { n } | MessageQuery::Budget { limit: n, .. } => (Form::Last, 0, n),
        MessageQuery::After { seq, limit } if seq < u64::MAX => (Form::After, seq, limit),
        MessageQuery::Before { seq, limit } if seq > 1 => (Form::Before, seq, limit),
        _ => (Form::Nothing, 0, 0),
    };
    match limit {
        0 => Range {
            form: Form::Nothing,
            seq: 0,
            limit: 0,
        },
        _ => Range { form, seq, limit },
    }
}

/// Whether `head` is a live session at `now`.
fn live(head: &Head, now: Timestamp) -> bool {
    let exists = head.first().is_some_and(Option::is_some);
    let expires = head.get(1).cloned().flatten().unwrap_or_default();
    exists && (expires.is_empty() || expires.parse::<i64>().is_ok_and(|t| now.0 < t))
}

/// The messages of a range reply of `key`, oldest first.
fn decode(form: Form, entries: &Value, key: &str) -> Result<Vec<Message>> {
    let mut found = match (form, entries) {
        (Form::Nothing, _) => Vec::new(),
        (_, Value::Array(items)) => items
            .iter()
            .map(|item| entry(item, key))
            .collect::<Result<_>>()?,
        _ => return Err(unexpected(key, "stream entries")),
    };
    if form != Form::After {
        found.reverse();
    }
    Ok(found)
}

/// One stream entry `[id, ['j', json]]` of `key`, decoded straight from the reply.
fn entry(item: &Value, key: &str) -> Result<Message> {
    if let Value::Array(pair) = item
        && let [Value::BulkString(entry_id), Value::Array(fields)] = pair.as_slice()
        && let [_, Value::BulkString(json)] = fields.as_slice()
    {
        return message(&String::from_utf8_lossy(entry_id), json, key);
    }
    Err(unexpected(key, "stream entry"))
}
