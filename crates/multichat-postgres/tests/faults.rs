//! A server of the test's own, killed and stalled under the store: no acknowledged append is
//! lost, calls during an outage fail fast with a transient error, a stalled server gives a
//! timeout and never a hang, and the same store works again afterwards without being reopened.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::time::Duration;

use multichat_core::{
    History, MessageQuery, MessageStore, NewMessage, NewSession, SessionId, SessionStore,
};
use multichat_postgres::{PostgresConfig, PostgresStore};
use multichat_testkit::PostgresServer;
use multichat_testkit::recovering::append_eventually;

fn config() -> PostgresConfig {
    PostgresConfig::default()
        .pool_size(4)
        .connect_timeout(Duration::from_secs(2))
        .statement_timeout(Duration::from_secs(1))
}

/// `call`, which must answer within 10 s (a hang fails the test instead of stalling it).
async fn bounded<T>(call: impl Future<Output = T>) -> T {
    tokio::time::timeout(Duration::from_secs(10), call)
        .await
        .expect("the call answered within 10 s")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_killed_server_loses_no_acknowledged_append_and_the_store_recovers() {
    let Some(mut server) = PostgresServer::start() else {
        return;
    };
    let store = PostgresStore::connect(&server.url(), config())
        .await
        .expect("connect");
    let id = SessionId::new("crash").expect("id");
    store
        .create_session(NewSession::new(id.clone()))
        .await
        .expect("create");
    let mut acked = Vec::new();
    for i in 0..20 {
        let seqs = store
            .append(&id, vec![NewMessage::user(format!("m{i}"))], None)
            .await;
        acked.push((seqs.expect("append")[0], format!("m{i}")));
    }
    server.kill();
    let during = bounded(store.append(&id, vec![NewMessage::user("lost")], None)).await;
    let error = during.expect_err("the server is down");
    assert!(error.is_transient(), "a down server is transient: {error}");
    server.restart();
    let seq = append_eventually(&store, &id, "after").await;
    acked.push((seq, "after".into()));
    let stored: Vec<(u64, String)> = store
        .read(&id, MessageQuery::last(100))
        .await
        .expect("read")
        .into_iter()
        .map(|m| (m.seq, m.content))
        .collect();
    assert_eq!(
        stored, acked,
        "every acknowledged append, once, and nothing else"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_stalled_server_gives_a_timeout_not_a_hang() {
    let Some(server) = PostgresServer::start() else {
        return;
    };
    let store = Arc::new(
        PostgresStore::connect(&server.url(), config())
            .await
            .expect("connect"),
    );
    let id = SessionId::new("stall").expect("id");
    store
        .create_session(NewSession::new(id.clone()))
        .await
        .expect("create");
    server.pause();
    let stalled = bounded(store.get_session(&id)).await;
    server.resume();
    let error = stalled.expect_err("a stopped server cannot answer");
    assert!(error.is_transient(), "{error}");
    assert!(error.to_string().contains("unavailable"), "{error}");
    let seq = append_eventually(&store, &id, "resumed").await;
    assert_eq!(seq, 1);
}

/// A write whose caller stops waiting (here: while another connection holds the session's row
/// lock) gives its connection up instead of returning it to the pool mid-transaction: once the
/// other connection lets go, nothing holds the row, nothing of the write is stored, and the store
/// goes on with the same pool. Each write kind in turn: append, pop, clear, update.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_cancelled_write_leaves_no_transaction_behind() {
    let Some(server) = PostgresServer::start() else {
        return;
    };
    let store = PostgresStore::connect(&server.url(), config().pool_size(1).schema("cancel"))
        .await
        .expect("connect");
    let id = SessionId::new("s").expect("id");
    store
        .create_session(NewSession::new(id.clone()))
        .await
        .expect("create");
    store
        .append(&id, vec![NewMessage::user("kept")], None)
        .await
        .expect("append");
    let (raw, connection) = tokio_postgres::connect(&server.url(), tokio_postgres::NoTls)
        .await
        .expect("raw");
    tokio::spawn(connection);
    let lock = "SELECT 1 FROM cancel.sessions WHERE id = 's' FOR UPDATE";
    for write in ["append", "pop", "clear", "update"] {
        raw.batch_execute(&format!("BEGIN; {lock}"))
            .await
            .expect("hold the row");
        let waiting: std::pin::Pin<Box<dyn Future<Output = ()> + Send>> = match write {
            "append" => Box::pin(async {
                let _ = store.append(&id, vec![NewMessage::user("cut")], None).await;
            }),
            "pop" => Box::pin(async {
                let _ = store.pop(&id).await;
            }),
            "clear" => Box::pin(async {
                let _ = store.clear(&id).await;
            }),
            _ => Box::pin(async {
                let patch = multichat_core::SessionPatch::new().title(Some("cut".into()));
                let _ = store.update_session(&id, patch).await;
            }),
        };
        let cut = tokio::time::timeout(Duration::from_millis(200), waiting).await;
        assert!(cut.is_err(), "the {write} waits for the row lock");
        raw.batch_execute("ROLLBACK").await.expect("let go");
        let s = bounded(store.get_session(&id)).await.expect("get");
        let s = s.expect("the session is there");
        assert_eq!(
            (s.version, s.title),
            (2, None),
            "the cut {write} changed nothing"
        );
        raw.batch_execute(&format!("SET lock_timeout = '5s'; BEGIN; {lock}; ROLLBACK"))
            .await
            .unwrap_or_else(|e| panic!("after the cut {write}, no connection holds the row: {e}"));
        let read = store.read(&id, MessageQuery::last(5)).await.expect("read");
        let contents: Vec<_> = read.iter().map(|m| m.content.as_str()).collect();
        assert_eq!(contents, ["kept"], "the cut {write} left nothing");
    }
    let seq = append_eventually(&store, &id, "after").await;
    assert_eq!(seq, 2, "the same pool works");
}

/// Appends to `id` as writer `writer` until `stop`, each call bounded; the acknowledged `(seq, content)`s and the
/// contents of the calls that failed (maybe applied). Every failure must be transient.
async fn write_until(
    store: Arc<PostgresStore>,
    id: SessionId,
    writer: usize,
    stop: Arc<AtomicBool>,
    acks: Arc<AtomicUsize>,
) -> (Vec<(u64, String)>, Vec<String>) {
    let (mut acked, mut failed) = (Vec::new(), Vec::new());
    for n in 0.. {
        if stop.load(Ordering::Relaxed) {
            break;
        }
        let text = format!("{id} w{writer} #{n}");
        match bounded(store.append(&id, vec![NewMessage::user(text.as_str())], None)).await {
            Ok(seqs) => {
                acked.push((seqs[0], text));
                acks.fetch_add(1, Ordering::Relaxed);
            }
            Err(e) => {
                assert!(e.is_transient(), "a failure during the outage: {e}");
                failed.push(text);
                // The retry policy of a writer: back off while the server is down.
                tokio::time::sleep(Duration::from_millis(20)).await;
            }
        }
    }
    (acked, failed)
}

/// Waits (at most 30 s) until `acks` reaches `n`.
async fn until_acked(acks: &AtomicUsize, n: usize) {
    let wait = async {
        while acks.load(Ordering::Relaxed) < n {
            tokio::time::sleep(Duration::from_millis(5)).await;
        }
    };
    tokio::time::timeout(Duration::from_secs(30), wait)
        .await
        .unwrap_or_else(|_| panic!("{n} appends acknowledged within 30 s"));
}

/// Eight writers on four sessions (two per session, so they contend for its row lock) while the
/// server is SIGKILLed and restarted: every acknowledged append is stored once with its seq,
/// nothing is stored that no call tried, the seqs have no duplicate, and the writers go on with
/// the same store once the server is back.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_server_killed_under_concurrent_appends_loses_nothing_acknowledged() {
    let Some(mut server) = PostgresServer::start() else {
        return;
    };
    let store = PostgresStore::connect(&server.url(), config().schema("load"))
        .await
        .expect("connect");
    let store = Arc::new(store);
    let ids: Vec<SessionId> = (0..4)
        .map(|i| SessionId::new(format!("load{i}")).unwrap())
        .collect();
    for id in &ids {
        store
            .create_session(NewSession::new(id.clone()))
            .await
            .expect("create");
    }
    let (stop, acks) = (
        Arc::new(AtomicBool::new(false)),
        Arc::new(AtomicUsize::new(0)),
    );
    let writers: Vec<_> = (0..8)
        .map(|w| {
            let (store, id) = (Arc::clone(&store), ids[w % 4].clone());
            tokio::spawn(write_until(
                store,
                id,
                w,
                Arc::clone(&stop),
                Arc::clone(&acks),
            ))
        })
        .collect();
    until_acked(&acks, 80).await;
    server.kill();
    let at_kill = acks.load(Ordering::Relaxed);
    server.restart();
    until_acked(&acks, at_kill + 80).await;
    stop.store(true, Ordering::Relaxed);
    let (mut acked, mut tried) = (Vec::new(), std::collections::HashSet::new());
    for writer in writers {
        let (ok, failed) = writer.await.expect("writer");
        tried.extend(
            ok.iter()
                .map(|(_, text)| text.clone())
                .chain(failed.clone()),
        );
        acked.extend(ok);
    }
    let failures = tried.len() - acked.len();
    assert!(failures > 0, "the kill hit the writers while they wrote");
    let mut stored = std::collections::HashMap::new();
    for id in &ids {
        let all = History::new(Arc::clone(&store) as _, id.clone(), 500)
            .collect()
            .await;
        let all = all.expect("read back");
        let seqs: Vec<u64> = all.iter().map(|m| m.seq).collect();
        assert!(seqs.windows(2).all(|w| w[0] < w[1]), "{id}: no seq twice");
        for m in all {
            assert!(
                tried.contains(&m.content),
                "{id}: {} was never appended",
                m.content
            );
            assert!(stored.insert(m.content, m.seq).is_none(), "stored once");
        }
    }
    for (seq, text) in &acked {
        assert_eq!(
            stored.get(text),
            Some(seq),
            "acknowledged {text} at {seq} is stored"
        );
    }
}
