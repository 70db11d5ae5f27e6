//! Watches on one Redis server, woken by `XREAD BLOCK`: a watch in one store (with a poll of an
//! hour, so only the stream read can wake it in time) delivers what another store — what another
//! process is: its own connections — appends, in order, each once.

use std::sync::Arc;
use std::time::Duration;

use futures_util::StreamExt;
use multichat_core::{
    MessageQuery, MessageStore, NewMessage, NewSession, SessionId, SessionStore, WatchConfig,
};
use multichat_redis::{RedisConfig, RedisStore};
use multichat_testkit::RedisServer;
use multichat_testkit::cases::watch::next_message;
use multichat_testkit::recovering::append_eventually;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn another_stores_appends_wake_a_waiting_watch() {
    let Some(server) = RedisServer::start() else {
        return;
    };
    let mut hour = RedisConfig::default().prefix("w");
    hour.watch = WatchConfig {
        poll: Duration::from_secs(3600),
        ..WatchConfig::default()
    };
    let watcher = Arc::new(
        RedisStore::connect(&server.url(), hour)
            .await
            .expect("connect"),
    );
    let url = server.url();
    let writer = RedisStore::connect(&url, RedisConfig::default().prefix("w"));
    let writer = writer.await.expect("connect");
    let id = SessionId::new("w").expect("id");
    writer
        .create_session(NewSession::new(id.clone()))
        .await
        .expect("create");
    let mut watch = Arc::clone(&watcher).watch(id.clone(), 0);
    let early = tokio::time::timeout(Duration::from_millis(300), watch.next()).await;
    assert!(early.is_err(), "nothing to deliver yet");
    for (n, text) in ["a", "b", "c"].into_iter().enumerate() {
        writer
            .append(&id, vec![NewMessage::user(text)], None)
            .await
            .expect("append");
        assert_eq!(
            seq_and_content(next_message(&mut watch).await),
            (n as u64 + 1, text.to_owned())
        );
    }
    let burst: Vec<NewMessage> = (0..5).map(|i| NewMessage::user(format!("x{i}"))).collect();
    writer.append(&id, burst, None).await.expect("append");
    for seq in 4..=8 {
        assert_eq!(
            seq_and_content(next_message(&mut watch).await).0,
            seq,
            "a batch, each once, in order"
        );
    }
}

/// A message's seq and content, to compare.
fn seq_and_content(m: multichat_core::Message) -> (u64, String) {
    (m.seq, m.content)
}

/// A Redis killed (SIGKILL) and restarted from its append-only file during a watch: the store's
/// stream reader reconnects and wakes the watch, which delivers what was appended after the
/// restart, every message once, in order, nothing skipped (its poll is an hour).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_watch_goes_on_through_a_server_restart() {
    let persistent = ["--appendonly", "yes", "--appendfsync", "always"];
    let Some(mut server) = RedisServer::start_with(None, &persistent) else {
        return;
    };
    let mut hour = RedisConfig::default().prefix("r");
    hour.watch = WatchConfig {
        poll: Duration::from_secs(3600),
        ..WatchConfig::default()
    };
    let url = server.url();
    let watcher = Arc::new(RedisStore::connect(&url, hour).await.expect("connect"));
    let writer = RedisStore::connect(&url, RedisConfig::default().prefix("r"));
    let writer = writer.await.expect("connect");
    let id = SessionId::new("r").expect("id");
    writer
        .create_session(NewSession::new(id.clone()))
        .await
        .expect("create");
    let mut watch = Arc::clone(&watcher).watch(id.clone(), 0);
    let mut delivered = Vec::new();
    for text in ["a", "b"] {
        writer
            .append(&id, vec![NewMessage::user(text)], None)
            .await
            .expect("append");
        delivered.push(seq_and_content(next_message(&mut watch).await));
    }
    server.stop();
    server.restart();
    for text in ["c", "d", "e"] {
        append_eventually(&writer, &id, text).await;
    }
    for _ in 0..3 {
        delivered.push(seq_and_content(next_message(&mut watch).await));
    }
    let stored = writer.read(&id, MessageQuery::last(100)).await;
    let stored: Vec<(u64, String)> = stored
        .expect("read")
        .into_iter()
        .map(seq_and_content)
        .collect();
    assert_eq!(delivered, stored, "every stored message, once, in order");
    assert_eq!(stored.len(), 5);
}

/// An append made right as a watch starts — before the store's stream reader reads that stream
/// for the first time — still reaches the watch at once: the reader starts a new stream at its
/// newest entry and has the watch read the store first (its poll is an hour). Twenty sessions,
/// each appended to straight after its watch started.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_append_racing_a_new_watch_is_not_missed() {
    let Some(server) = RedisServer::start() else {
        return;
    };
    let mut hour = RedisConfig::default().prefix("n");
    hour.watch = WatchConfig {
        poll: Duration::from_secs(3600),
        recheck: Duration::from_secs(3600),
        ..WatchConfig::default()
    };
    let url = server.url();
    let watcher = Arc::new(RedisStore::connect(&url, hour).await.expect("connect"));
    let writer = RedisStore::connect(&url, RedisConfig::default().prefix("n"));
    let writer = writer.await.expect("connect");
    for i in 0..20 {
        let id = SessionId::new(format!("n{i}")).expect("id");
        writer
            .create_session(NewSession::new(id.clone()))
            .await
            .expect("create");
        let mut watch = Arc::clone(&watcher).watch(id.clone(), 0);
        let next = tokio::spawn(async move { next_message(&mut watch).await });
        writer
            .append(&id, vec![NewMessage::user("right away")], None)
            .await
            .expect("append");
        let got = next.await.expect("the watch delivers within 10 s");
        assert_eq!(got.content, "right away");
    }
}
