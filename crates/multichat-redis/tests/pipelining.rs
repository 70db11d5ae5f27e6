//! Auto-pipelining: appends made while others are under way go out together, merged into one
//! call of the append script, each session keeping its own checks, seqs and errors; a cancelled
//! caller never costs another caller its reply. Checked on a server of its own, counting the
//! `EVALSHA` commands it ran (`INFO commandstats`).

mod common;

use multichat_core::ErrorKind;
use std::future::Future;
use std::pin::Pin;
use std::task::Poll;
use std::time::Duration;

use multichat_core::{
    Error, MessageQuery, MessageStore, NewMessage, NewSession, SessionId, SessionStore,
};
use multichat_redis::{RedisConfig, RedisStore};
use multichat_testkit::RedisServer;
use redis::aio::MultiplexedConnection;
use tokio::task::JoinSet;

/// A store on `server` with sessions `s0`..`s{n-1}`, and a plain connection to the server.
async fn setup(
    server: &RedisServer,
    config: RedisConfig,
    n: usize,
) -> (RedisStore, MultiplexedConnection, Vec<SessionId>) {
    let store = RedisStore::connect(&server.url(), config)
        .await
        .expect("connect");
    let mut ids = Vec::new();
    for i in 0..n {
        let id = SessionId::new(format!("s{i}")).expect("id");
        store
            .create_session(NewSession::new(id.clone()).participant("p"))
            .await
            .expect("create");
        ids.push(id);
    }
    let client = redis::Client::open(server.url()).expect("client");
    let conn = client
        .get_multiplexed_async_connection()
        .await
        .expect("conn");
    (store, conn, ids)
}

/// 64 tasks append 5 messages each, one at a time, to 8 sessions; returns the seqs each session
/// handed out, sorted.
async fn append_from_64_tasks(store: &RedisStore, ids: &[SessionId]) -> Vec<Vec<u64>> {
    let mut tasks = JoinSet::new();
    for task in 0..64 {
        let (store, id) = (store.clone(), ids[task % ids.len()].clone());
        tasks.spawn(async move {
            let mut seqs = Vec::new();
            for i in 0..5 {
                let text = format!("t{task} m{i}");
                seqs.extend(
                    store
                        .append(&id, vec![NewMessage::user(text)], None)
                        .await?,
                );
            }
            Ok::<_, Error>((task % 8, seqs))
        });
    }
    let mut per_session = vec![Vec::new(); ids.len()];
    while let Some(done) = tasks.join_next().await {
        let (session, seqs) = done.expect("task").expect("append");
        per_session[session].extend(seqs);
    }
    for seqs in &mut per_session {
        seqs.sort_unstable();
    }
    per_session
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn concurrent_appends_share_script_calls_and_lose_nothing() {
    let Some(server) = RedisServer::start() else {
        return;
    };
    for on in [true, false] {
        let config = RedisConfig::default()
            .prefix(if on { "on" } else { "off" })
            .auto_pipeline(on);
        let (store, mut conn, ids) = setup(&server, config, 8).await;
        let before = common::calls(&mut conn, "evalsha").await;
        let per_session = append_from_64_tasks(&store, &ids).await;
        let calls = common::calls(&mut conn, "evalsha").await - before;
        for (id, seqs) in ids.iter().zip(&per_session) {
            assert_eq!(
                *seqs,
                (1..=40).collect::<Vec<u64>>(),
                "{id}: distinct, no gap"
            );
            let session = store.get_session(id).await.expect("get").expect("exists");
            assert_eq!((session.last_seq, session.message_count), (40, 40));
            let stored = store
                .read(id, MessageQuery::after(0, 1000))
                .await
                .expect("read");
            assert_eq!(stored.len(), 40);
        }
        if on {
            assert!(
                calls < 320,
                "320 appends took {calls} script calls: none merged"
            );
        } else {
            assert_eq!(
                calls, 320,
                "without auto-pipelining each append is one call"
            );
        }
    }
}

#[tokio::test(flavor = "current_thread")]
async fn each_session_of_a_merged_call_keeps_its_own_outcome() {
    let Some(server) = RedisServer::start() else {
        return;
    };
    let (store, mut conn, ids) = setup(&server, RedisConfig::default(), 1).await;
    let _: () = redis::cmd("SET")
        .arg("mc:{victim}:s")
        .arg("not a hash")
        .query_async(&mut conn)
        .await
        .expect("set");
    // Loads the script (a merged call meeting NOSCRIPT is retried call by call).
    store
        .append(&ids[0], vec![NewMessage::user("first")], None)
        .await
        .expect("append");
    let before = common::calls(&mut conn, "evalsha").await;
    let (victim, missing) = (
        SessionId::new("victim").unwrap(),
        SessionId::new("gone").unwrap(),
    );
    let msg = || vec![NewMessage::user("x")];
    let (fine, corrupt, not_found, conflict, fine_again) = tokio::join!(
        store.append(&ids[0], msg(), None),
        store.append(&victim, msg(), None),
        store.append(&missing, msg(), None),
        store.append(&ids[0], msg(), Some(7)),
        store.append(&ids[0], msg(), Some(2)),
    );
    assert!(
        common::calls(&mut conn, "evalsha").await - before < 5,
        "the calls were merged"
    );
    assert_eq!(fine.expect("append"), [2]);
    assert!(
        matches!(&corrupt, Err(Error::Corrupt { location, .. }) if location.contains("mc:{victim}:s")),
        "{corrupt:?}"
    );
    assert!(
        matches!(not_found, Err(Error::NotFound { .. })),
        "{not_found:?}"
    );
    assert!(
        matches!(conflict, Err(Error::Conflict { actual: 2, .. })),
        "{conflict:?}"
    );
    assert_eq!(fine_again.expect("append after seq 2"), [3]);
    let foreign: String = redis::cmd("GET")
        .arg("mc:{victim}:s")
        .query_async(&mut conn)
        .await
        .expect("get");
    assert_eq!(foreign, "not a hash", "the foreign key is untouched");
}

#[tokio::test(flavor = "current_thread")]
async fn a_burst_of_appends_is_split_into_script_calls_of_64_sessions() {
    let Some(server) = RedisServer::start() else {
        return;
    };
    let (store, mut conn, mut ids) = setup(&server, RedisConfig::default(), 152).await;
    let warm = ids.pop().expect("a session");
    // Loads the script (a merged call meeting NOSCRIPT is retried call by call).
    store
        .append(&warm, vec![NewMessage::user("x")], None)
        .await
        .expect("append");
    let _: () = redis::cmd("CONFIG")
        .arg("SET")
        .arg("slowlog-log-slower-than")
        .arg(0)
        .arg("slowlog-max-len")
        .arg(1000)
        .query_async(&mut conn)
        .await
        .expect("config");
    // The first append goes alone; the other 150 join one queue while it is on the wire.
    let mut calls: Vec<_> = ids
        .iter()
        .map(|id| Box::pin(store.append(id, vec![NewMessage::user("x")], None)))
        .collect();
    for call in &mut calls {
        poll_once(call).await;
    }
    for call in calls {
        assert_eq!(call.await.expect("append"), [1]);
    }
    let log: Vec<(u64, u64, u64, Vec<String>, String, String)> = redis::cmd("SLOWLOG")
        .arg("GET")
        .arg(1000)
        .query_async(&mut conn)
        .await
        .expect("slowlog");
    let mut keys: Vec<usize> = log
        .iter()
        .filter(|entry| entry.3[0] == "EVALSHA" && entry.3[3].ends_with(":s"))
        .map(|entry| entry.3[2].parse().expect("numkeys"))
        .collect();
    keys.sort_unstable();
    assert_eq!(
        keys,
        [3, 66, 192, 192],
        "three keys per session, at most 64 sessions a call"
    );
    for id in &ids {
        let session = store.get_session(id).await.expect("get").expect("exists");
        assert_eq!(session.message_count, 1, "{id}");
    }
}

/// Polls `future` once.
async fn poll_once<F: Future + ?Sized>(future: &mut Pin<Box<F>>) {
    std::future::poll_fn(|cx| {
        assert!(future.as_mut().poll(cx).is_pending(), "still waiting");
        Poll::Ready(())
    })
    .await;
}

#[tokio::test(flavor = "current_thread")]
async fn a_dropped_or_unpolled_caller_never_holds_up_another() {
    let Some(server) = RedisServer::start() else {
        return;
    };
    let (store, _conn, ids) = setup(&server, RedisConfig::default(), 1).await;
    let id = &ids[0];
    let msg = |text: &str| vec![NewMessage::user(text)];
    // Loads the script: a dropped call whose merged call met NOSCRIPT is not retried.
    store.append(id, msg("first"), None).await.expect("append");
    let bounded = Duration::from_secs(5);
    // The caller that opened the queue is dropped before the queue is sent (0), dropped after it
    // went out (1), or kept but never polled again until the others are done (2).
    for case in 0..3 {
        let mut alone = Box::pin(store.append(id, msg("alone"), None));
        poll_once(&mut alone).await;
        let mut opener = Box::pin(store.append(id, msg("opener"), None));
        poll_once(&mut opener).await;
        let mut other = Box::pin(store.append(id, msg("other"), None));
        poll_once(&mut other).await;
        if case == 1 {
            // The sending task yields once, then sends.
            tokio::task::yield_now().await;
            tokio::task::yield_now().await;
        }
        let kept = (case == 2).then_some(opener);
        let other = tokio::time::timeout(bounded, other).await.expect("no hang");
        let alone = tokio::time::timeout(bounded, alone).await.expect("no hang");
        assert_eq!(alone.expect("append").len(), 1);
        assert_eq!(other.expect("append").len(), 1);
        if let Some(opener) = kept {
            let opener = tokio::time::timeout(bounded, opener)
                .await
                .expect("no hang");
            assert_eq!(opener.expect("append").len(), 1);
        }
    }
    let all = store
        .read(id, MessageQuery::after(0, 1000))
        .await
        .expect("read");
    let texts: Vec<&str> = all.iter().map(|m| m.content.as_str()).collect();
    assert_eq!(
        texts.len(),
        10,
        "{texts:?}: the dropped appends were queued"
    );
    for text in ["alone", "opener", "other"] {
        assert_eq!(texts.iter().filter(|t| **t == text).count(), 3, "{texts:?}");
    }
    let seqs: Vec<u64> = all.iter().map(|m| m.seq).collect();
    assert_eq!(seqs, (1..=10).collect::<Vec<u64>>());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn merged_appends_reload_the_script_after_a_flush() {
    let Some(server) = RedisServer::start() else {
        return;
    };
    let (store, mut conn, ids) = setup(&server, RedisConfig::default(), 8).await;
    let _: () = redis::cmd("SCRIPT")
        .arg("FLUSH")
        .query_async(&mut conn)
        .await
        .expect("flush");
    let per_session = append_from_64_tasks(&store, &ids).await;
    for seqs in per_session {
        assert_eq!(seqs, (1..=40).collect::<Vec<u64>>());
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn queued_calls_to_a_dead_server_fail_in_time_and_the_queue_works_after_a_restart() {
    let Some(mut server) = RedisServer::start() else {
        return;
    };
    let config = RedisConfig::default()
        .connect_timeout(Duration::from_millis(300))
        .response_timeout(Duration::from_millis(300));
    let (store, _conn, ids) = setup(&server, config, 8).await;
    server.stop();
    let bound = Duration::from_secs(10);
    for result in tokio::time::timeout(bound, append_once_from_32_tasks(&store, &ids))
        .await
        .expect("no call hangs")
    {
        let err = result.expect_err("the server is down");
        assert_eq!(err.kind(), ErrorKind::Unavailable, "{err:?}");
    }
    server.restart();
    // The server kept nothing (`--save ""`): wait until the same store reaches it again.
    let mut back = false;
    for _ in 0..100 {
        if store
            .create_session(NewSession::new(ids[0].clone()))
            .await
            .is_ok()
        {
            back = true;
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    assert!(back, "the store reconnects");
    for id in &ids[1..] {
        store
            .create_session(NewSession::new(id.clone()))
            .await
            .expect("create");
    }
    let mut seqs: Vec<u64> = tokio::time::timeout(bound, append_once_from_32_tasks(&store, &ids))
        .await
        .expect("no call hangs")
        .into_iter()
        .map(|r| r.expect("append")[0])
        .collect();
    seqs.sort_unstable();
    let expected: Vec<u64> = (1..=4).flat_map(|seq| [seq; 8]).collect();
    assert_eq!(seqs, expected, "4 appends to each of the 8 sessions");
}

/// 32 tasks, each appending one message to session `task % 8`; their results.
async fn append_once_from_32_tasks(
    store: &RedisStore,
    ids: &[SessionId],
) -> Vec<Result<Vec<u64>, Error>> {
    let mut tasks = JoinSet::new();
    for task in 0..32 {
        let (store, id) = (store.clone(), ids[task % ids.len()].clone());
        tasks.spawn(async move { store.append(&id, vec![NewMessage::user("m")], None).await });
    }
    let mut results = Vec::new();
    while let Some(done) = tasks.join_next().await {
        results.push(done.expect("task"));
    }
    results
}
