//! A server of the test's own, killed and stalled under the store: no acknowledged append is
//! lost, calls during an outage fail fast with a transient error, a stalled server gives a
//! timeout and never a hang, and the same store works again afterwards without being reopened.

use std::sync::Arc;
use std::time::Duration;

use multichat_core::{MessageQuery, MessageStore, NewMessage, NewSession, SessionId, SessionStore};
use multichat_postgres::{PostgresConfig, PostgresStore};
use multichat_testkit::PostgresServer;

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

/// Appends `text` until it is acknowledged: at most 50 tries, each bounded (a store that stays
/// broken after its server is back fails the test).
async fn append_eventually(store: &PostgresStore, id: &SessionId, text: &str) -> u64 {
    for _ in 0..50 {
        let tried = bounded(store.append(id, vec![NewMessage::user(text)], None)).await;
        if let Ok(seqs) = tried {
            return seqs[0];
        }
        tokio::task::yield_now().await;
    }
    panic!("the store never worked again");
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

/// An append whose caller stops waiting (here: while another connection holds the session's row
/// lock) gives its connection up instead of returning it to the pool mid-transaction: once the
/// other connection lets go, nothing holds the row, and the store goes on with the same pool.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_cancelled_append_leaves_no_transaction_behind() {
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
    let (raw, connection) = tokio_postgres::connect(&server.url(), tokio_postgres::NoTls)
        .await
        .expect("raw");
    tokio::spawn(connection);
    let lock = "SELECT 1 FROM cancel.sessions WHERE id = 's' FOR UPDATE";
    raw.batch_execute(&format!("BEGIN; {lock}"))
        .await
        .expect("hold the row");
    let waiting = store.append(&id, vec![NewMessage::user("cancelled")], None);
    let cut = tokio::time::timeout(Duration::from_millis(200), waiting).await;
    assert!(cut.is_err(), "the append waits for the row lock");
    raw.batch_execute("ROLLBACK").await.expect("let go");
    assert!(
        bounded(store.get_session(&id))
            .await
            .expect("get")
            .is_some()
    );
    raw.batch_execute(&format!("SET lock_timeout = '5s'; BEGIN; {lock}; ROLLBACK"))
        .await
        .expect("no connection of the pool still holds the row");
    let seq = append_eventually(&store, &id, "after").await;
    let read = store.read(&id, MessageQuery::last(5)).await.expect("read");
    let contents: Vec<_> = read.iter().map(|m| m.content.as_str()).collect();
    assert_eq!(
        (seq, contents),
        (1, vec!["after"]),
        "the cancelled append left nothing"
    );
}
