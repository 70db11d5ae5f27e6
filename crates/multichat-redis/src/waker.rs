//! Watches woken by the session streams. One connection per store — not the shared, multiplexed
//! one: a blocking read holds its connection — runs `XREAD BLOCK` over the message streams of
//! every session watched in this process and wakes the watches of each stream that got an entry,
//! whichever process appended. In a Cluster a stream read cannot span slots, so instead the
//! append script publishes each appended session's id (`PUBLISH`, which the Cluster delivers on
//! every node) and the store subscribes on one node. It starts with the first watch, connects
//! again (every second) after a lost connection and then wakes every watch, and stops when the
//! store is dropped.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use futures_util::StreamExt;
use multichat_core::{Changes, Message, SessionId};
use redis::AsyncConnectionConfig;
use redis::streams::StreamReadReply;
use tokio::task::JoinHandle;

use crate::codec::message;
use crate::keys::Keys;

/// How many entries of each stream one `XREAD` returns (a watch's page).
const COUNT: usize = 100;

/// How long one `XREAD` blocks: a session watched meanwhile joins the next one.
const BLOCK: Duration = Duration::from_millis(250);

/// The watches of one store, and the task that wakes them.
#[derive(Debug, Default)]
pub struct Waker {
    /// The watched sessions' signals (this store's own appends touch them too).
    pub changes: Arc<Changes>,
    task: Mutex<Option<JoinHandle<()>>>,
}

impl Waker {
    /// Starts reading the watched streams of `keys` through `client` unless it already does.
    pub fn start(&self, client: redis::Client, keys: Keys) {
        let mut task = self.task.lock().unwrap_or_else(|p| p.into_inner());
        if task.is_none() {
            let changes = Arc::clone(&self.changes);
            *task = Some(tokio::spawn(wake(client, keys, changes)));
        }
    }

    /// In a Cluster: starts listening, on one of `nodes` at a time, to the channel on which the
    /// append script of `keys` publishes the id of each session appended to, unless it already
    /// does.
    pub fn start_cluster(&self, nodes: Vec<String>, keys: &Keys) {
        let mut task = self.task.lock().unwrap_or_else(|p| p.into_inner());
        if task.is_none() {
            // The channel `scripts/append.lua` publishes on.
            let channel = format!("{}appended", keys.index_prefix());
            let changes = Arc::clone(&self.changes);
            *task = Some(tokio::spawn(listen_cluster(nodes, channel, changes)));
        }
    }
}

impl Drop for Waker {
    fn drop(&mut self) {
        let task = self.task.get_mut().unwrap_or_else(|p| p.into_inner());
        if let Some(task) = task.take() {
            task.abort();
        }
    }
}

/// Reads the watched streams for ever, connecting again after a lost connection.
async fn wake(client: redis::Client, keys: Keys, changes: Arc<Changes>) {
    let settings = AsyncConnectionConfig::new().set_response_timeout(Some(BLOCK * 8));
    loop {
        if let Ok(mut conn) = client
            .get_multiplexed_async_connection_with_config(&settings)
            .await
        {
            // Whatever was appended while this was away was not heard: read again.
            changes.touch_all();
            let mut last: HashMap<String, String> = HashMap::new();
            while read_once(&mut conn, &keys, &changes, &mut last)
                .await
                .is_ok()
            {}
        }
        tokio::time::sleep(Duration::from_secs(1)).await;
    }
}

/// One `XREAD BLOCK` over the watched streams (after the last entry seen of each; a stream
/// watched since the last read starts at its newest entry, see [`start_fresh`]); wakes the watches of the streams that got entries, handing them the messages (or, if
/// an entry does not decode, leaving them to read the store, which reports it).
async fn read_once(
    conn: &mut redis::aio::MultiplexedConnection,
    keys: &Keys,
    changes: &Changes,
    last: &mut HashMap<String, String>,
) -> redis::RedisResult<()> {
    let watched: HashMap<String, SessionId> = changes
        .watched()
        .into_iter()
        .map(|id| (keys.messages(&id), id))
        .collect();
    if watched.is_empty() {
        tokio::time::sleep(BLOCK).await;
        return Ok(());
    }
    last.retain(|key, _| watched.contains_key(key));
    start_fresh(conn, &watched, changes, last).await?;
    let mut cmd = redis::cmd("XREAD");
    cmd.arg("COUNT")
        .arg(COUNT)
        .arg("BLOCK")
        .arg(BLOCK.as_millis() as u64);
    cmd.arg("STREAMS").arg(watched.keys().collect::<Vec<_>>());
    for key in watched.keys() {
        cmd.arg(last.get(key).map_or("0-0", String::as_str));
    }
    let reply: Option<StreamReadReply> = cmd.query_async(conn).await?;
    for stream in reply.map(|r| r.keys).unwrap_or_default() {
        if let (Some(entry), Some(id)) = (stream.ids.last(), watched.get(&stream.key)) {
            last.insert(stream.key.clone(), entry.id.clone());
            match decoded(&stream.key, &stream.ids) {
                Some(messages) => changes.appended(id, &messages),
                None => changes.touch(id),
            }
        }
    }
    Ok(())
}

/// The messages of stream entries of `key` as the store's reads decode them; `None` if one
/// does not decode.
fn decoded(key: &str, entries: &[redis::streams::StreamId]) -> Option<Vec<Message>> {
    let json = |e: &redis::streams::StreamId| match e.map.get("j") {
        Some(redis::Value::BulkString(bytes)) => message(&e.id, bytes, key).ok(),
        _ => None,
    };
    entries.iter().map(json).collect()
}

/// Starts reading the streams watched since the last read from their newest entry now, then
/// wakes their watches to read the store: whatever was appended before that entry, they read;
/// whatever after, the next `XREAD` returns. No append falls between the two.
async fn start_fresh(
    conn: &mut redis::aio::MultiplexedConnection,
    watched: &HashMap<String, SessionId>,
    changes: &Changes,
    last: &mut HashMap<String, String>,
) -> redis::RedisResult<()> {
    let fresh: Vec<&String> = watched.keys().filter(|k| !last.contains_key(*k)).collect();
    if fresh.is_empty() {
        return Ok(());
    }
    let mut pipe = redis::pipe();
    for key in &fresh {
        pipe.cmd("XREVRANGE")
            .arg(key)
            .arg("+")
            .arg("-")
            .arg("COUNT")
            .arg(1);
    }
    let newest: Vec<redis::streams::StreamRangeReply> = pipe.query_async(conn).await?;
    for (key, reply) in fresh.into_iter().zip(newest) {
        let id = reply
            .ids
            .first()
            .map_or_else(|| "0-0".to_owned(), |e| e.id.clone());
        last.insert(key.clone(), id);
        changes.touch(&watched[key]);
    }
    Ok(())
}

/// Listens to `channel` for ever, on each of `nodes` in turn after a lost connection (a Cluster
/// delivers a published message on every node); once subscribed it wakes every watch, which read
/// after their last delivered seq, so nothing published while it was away is skipped.
async fn listen_cluster(nodes: Vec<String>, channel: String, changes: Arc<Changes>) {
    for node in nodes.iter().cycle() {
        if let Ok(client) = redis::Client::open(node.as_str())
            && let Ok(mut pubsub) = client.get_async_pubsub().await
            && pubsub.subscribe(&channel).await.is_ok()
        {
            changes.touch_all();
            let mut heard = pubsub.on_message();
            while let Some(message) = heard.next().await {
                let id = message.get_payload::<String>().ok();
                match id.and_then(|id| SessionId::new(id).ok()) {
                    Some(id) => changes.touch(&id),
                    None => changes.touch_all(),
                }
            }
        }
        tokio::time::sleep(Duration::from_secs(1)).await;
    }
}
