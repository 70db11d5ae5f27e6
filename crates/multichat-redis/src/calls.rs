//! What the auto-pipelining queue sends: plain commands, and appends, which it merges into one
//! call of the append script for all the sessions queued together (`scripts/append.lua` takes
//! one or more sessions; each keeps its own checks, seqs and reply).

use std::sync::Arc;

use redis::aio::{ConnectionLike, ConnectionManager};
use redis::{Cmd, RedisResult, Value};
use tokio::sync::oneshot;

use crate::scripts;

pub(crate) type Reply = RedisResult<Value>;

/// One session's part of a call of the append script.
#[derive(Debug)]
pub(crate) struct AppendCall {
    /// The session hash, the message stream and the client keys.
    pub(crate) keys: [String; 3],
    /// Now (ms), the expected last seq or `""`, the session id, the number of messages, the
    /// messages.
    pub(crate) args: Vec<String>,
}

/// A command for the queue.
pub(crate) enum Call {
    /// Sent as it is.
    Cmd(Cmd),
    /// Merged with the other appends of the same pipeline.
    Append(Arc<AppendCall>),
}

impl Call {
    /// The command sending this call alone.
    pub(crate) fn command(self, index_prefix: &str, cluster: bool) -> Cmd {
        match self {
            Self::Cmd(cmd) => cmd,
            Self::Append(call) => append_command(&[call], index_prefix, cluster),
        }
    }
}

/// One queued call and where its reply goes.
pub(crate) struct Job {
    pub(crate) call: Call,
    pub(crate) reply: oneshot::Sender<Reply>,
}

/// The `EVALSHA` of the append script for `calls`, in this order.
pub(crate) fn append_command(calls: &[Arc<AppendCall>], index_prefix: &str, cluster: bool) -> Cmd {
    let mut cmd = redis::cmd("EVALSHA");
    cmd.arg(scripts::APPEND.get_hash()).arg(3 * calls.len());
    for call in calls {
        cmd.arg(&call.keys[0]).arg(&call.keys[1]).arg(&call.keys[2]);
    }
    cmd.arg(index_prefix).arg(if cluster { "1" } else { "0" });
    for call in calls {
        for arg in &call.args {
            cmd.arg(arg);
        }
    }
    cmd
}

/// At most this many sessions' appends go into one script call, so a burst of appends never
/// holds the server in one script for long (well under a millisecond for 64).
const MERGED: usize = 64;

/// Sends `jobs` as one pipeline (their appends merged into script calls of up to [`MERGED`]
/// sessions, first) and hands each its reply; a server error in a reply is handed out as `Err`.
pub(crate) async fn deliver(mut conn: ConnectionManager, jobs: Vec<Job>, index_prefix: &str) {
    let (mut appends, mut appended, mut cmds, mut others) = (vec![], vec![], vec![], vec![]);
    for job in jobs {
        match job.call {
            Call::Append(call) => {
                appends.push(call);
                appended.push(job.reply);
            }
            Call::Cmd(cmd) => {
                cmds.push(cmd);
                others.push(job.reply);
            }
        }
    }
    let merged = appends.len().div_ceil(MERGED);
    let mut pipe = redis::pipe();
    for chunk in appends.chunks(MERGED) {
        pipe.add_command(append_command(chunk, index_prefix, false));
    }
    for cmd in cmds {
        pipe.add_command(cmd);
    }
    match conn
        .req_packed_commands(&pipe, 0, merged + others.len())
        .await
    {
        Ok(mut values) => {
            let rest = values.split_off(merged.min(values.len()));
            let mut appended = appended.into_iter();
            for value in values {
                hand_out(appended.by_ref().take(MERGED).collect(), value);
            }
            for (reply, value) in others.into_iter().zip(rest) {
                let _ = reply.send(value.extract_error());
            }
        }
        Err(e) => {
            for reply in appended.into_iter().chain(others) {
                let _ = reply.send(Err(e.clone()));
            }
        }
    }
}

/// Hands out the reply of a merged append: one session's reply as it is, several sessions' as
/// the array of their replies; an error of the whole call (`NOSCRIPT`) goes to each.
fn hand_out(replies: Vec<oneshot::Sender<Reply>>, value: Value) {
    match value {
        Value::Array(values) if replies.len() > 1 => {
            for (reply, value) in replies.into_iter().zip(values) {
                let _ = reply.send(value.extract_error());
            }
        }
        value if replies.len() == 1 => {
            let _ = replies
                .into_iter()
                .next()
                .map(|r| r.send(value.extract_error()));
        }
        value => {
            let error = value.extract_error().err();
            for reply in replies {
                let _ = reply.send(Err(error.clone().unwrap_or_else(unexpected)));
            }
        }
    }
}

/// A script's reply as a list: a bare reply `v` as `['ok', v]`.
pub(crate) fn items(reply: Value) -> Vec<Value> {
    match reply {
        Value::Array(items) => items,
        bare => vec![Value::SimpleString("ok".into()), bare],
    }
}

fn unexpected() -> redis::RedisError {
    redis::RedisError::from((
        redis::ErrorKind::Parse,
        "the append script answered several sessions with something else than an array",
    ))
}
