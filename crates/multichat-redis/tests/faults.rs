//! A dead server, a restarted server, several clients, a wrong password, a foreign key, URLs
//! with passwords. Every test here starts its own server.

use multichat_core::ErrorKind;
use std::sync::Arc;
use std::time::Duration;

use multichat_core::{
    ChatStore, Error, MessageQuery, MessageStore, NewMessage, NewSession, SessionId, SessionStore,
};
use multichat_redis::{RedisConfig, RedisStore, redact};
use multichat_testkit::RedisServer;

fn config() -> RedisConfig {
    RedisConfig::default()
        .connect_timeout(Duration::from_millis(300))
        .response_timeout(Duration::from_millis(300))
}

fn id(name: &str) -> SessionId {
    SessionId::new(name).expect("id")
}

/// Every call returns within this bound; a hang would fail the test here, not block it forever.
async fn bounded<T>(call: impl std::future::Future<Output = T>) -> T {
    tokio::time::timeout(Duration::from_secs(10), call)
        .await
        .expect("the call hung")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_dead_server_is_unavailable_and_a_restarted_one_is_used_again() {
    let Some(mut server) = RedisServer::start() else {
        return;
    };
    let store = RedisStore::connect(&server.url(), config())
        .await
        .expect("connect");
    store
        .create_session(NewSession::new(id("s")))
        .await
        .expect("create");
    server.stop();
    for _ in 0..3 {
        let err = bounded(store.append(&id("s"), vec![NewMessage::user("lost")], None))
            .await
            .expect_err("down");
        assert_eq!(err.kind(), ErrorKind::Unavailable, "{err:?}");
        assert!(err.is_transient());
    }
    server.restart();
    let mut recovered = None;
    for _ in 0..100 {
        match bounded(store.create_session(NewSession::new(id("after")))).await {
            Ok(session) => {
                recovered = Some(session);
                break;
            }
            Err(e) => assert!(
                e.is_transient(),
                "only transient errors while reconnecting: {e:?}"
            ),
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    assert!(
        recovered.is_some(),
        "the same store object works again after the restart"
    );
    let seqs = store
        .append(&id("after"), vec![NewMessage::user("back")], None)
        .await
        .expect("append");
    assert_eq!(seqs, [1]);
}

#[tokio::test]
async fn connecting_to_nothing_is_unavailable() {
    let port = multichat_testkit::redis_server::free_port();
    let err = bounded(RedisStore::connect(
        &format!("redis://127.0.0.1:{port}/"),
        config(),
    ))
    .await
    .expect_err("nothing there");
    assert_eq!(err.kind(), ErrorKind::Unavailable, "{err:?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn several_clients_appending_to_one_session_lose_nothing() {
    let Some(server) = RedisServer::start() else {
        return;
    };
    let mut stores: Vec<Arc<dyn ChatStore>> = Vec::new();
    for _ in 0..4 {
        stores.push(Arc::new(
            RedisStore::connect(&server.url(), config())
                .await
                .expect("connect"),
        ));
    }
    stores[0]
        .create_session(NewSession::new(id("shared")))
        .await
        .expect("create");
    let tasks: Vec<_> = stores
        .iter()
        .enumerate()
        .map(|(n, store)| {
            let store = Arc::clone(store);
            tokio::spawn(async move {
                let mut mine = Vec::new();
                for i in 0..50 {
                    let m = NewMessage::user(format!("{n}-{i}"));
                    mine.extend(
                        store
                            .append(&id("shared"), vec![m], None)
                            .await
                            .expect("append"),
                    );
                }
                mine
            })
        })
        .collect();
    let mut all = Vec::new();
    for task in tasks {
        all.extend(task.await.expect("task"));
    }
    all.sort_unstable();
    assert_eq!(all, (1..=200).collect::<Vec<u64>>());
    let stored = stores[3]
        .read(&id("shared"), MessageQuery::last(1000))
        .await
        .expect("read");
    assert_eq!(stored.len(), 200);
}

#[tokio::test]
async fn a_wrong_password_is_a_clear_error_that_never_shows_the_password() {
    let Some(server) = RedisServer::start_with_password("s3cret-pw") else {
        return;
    };
    let wrong = format!("redis://:not-the-pw@127.0.0.1:{}/", server.port());
    let err = bounded(RedisStore::connect(&wrong, config()))
        .await
        .expect_err("wrong password");
    let shown = format!(
        "{err} / {err:?} / {}",
        std::error::Error::source(&err)
            .map(ToString::to_string)
            .unwrap_or_default()
    );
    assert!(shown.to_lowercase().contains("auth"), "{shown}");
    assert!(!shown.contains("not-the-pw"), "{shown}");
    let store = RedisStore::connect(&server.url(), config())
        .await
        .expect("right password");
    assert!(!format!("{store:?} {}", store.url()).contains("s3cret-pw"));
    assert_eq!(
        redact("redis://user:pw@host:1/"),
        "redis://user:***@host:1/"
    );
    store
        .create_session(NewSession::new(id("ok")))
        .await
        .expect("works with the right password");
}

#[tokio::test]
async fn a_foreign_key_of_the_wrong_type_is_corrupt_and_nothing_else_is_damaged() {
    let Some(server) = RedisServer::start() else {
        return;
    };
    let store = RedisStore::connect(&server.url(), config())
        .await
        .expect("connect");
    store
        .create_session(NewSession::new(id("fine")))
        .await
        .expect("create");
    let client = redis::Client::open(server.url()).expect("client");
    let mut raw = client
        .get_multiplexed_async_connection()
        .await
        .expect("raw connection");
    let _: () = redis::cmd("SET")
        .arg("mc:{victim}:s")
        .arg("not a hash")
        .query_async(&mut raw)
        .await
        .expect("set");
    for result in [
        store.get_session(&id("victim")).await.map(drop),
        store
            .append(&id("victim"), vec![NewMessage::user("x")], None)
            .await
            .map(drop),
        store
            .create_session(NewSession::new(id("victim")))
            .await
            .map(drop),
    ] {
        match result {
            Err(Error::Corrupt { location, .. }) => {
                assert!(location.contains("mc:{victim}:s"), "{location}")
            }
            other => panic!("expected Corrupt, got {other:?}"),
        }
    }
    let value: String = redis::cmd("GET")
        .arg("mc:{victim}:s")
        .query_async(&mut raw)
        .await
        .expect("get");
    assert_eq!(value, "not a hash", "the foreign key is untouched");
    assert_eq!(
        store
            .append(&id("fine"), vec![NewMessage::user("ok")], None)
            .await
            .expect("append"),
        [1]
    );
    assert_eq!(
        store
            .list_sessions(multichat_core::SessionQuery::new(10))
            .await
            .expect("list")
            .items
            .len(),
        1
    );
}

#[tokio::test]
async fn bad_urls_and_prefixes_are_invalid_input() {
    assert_eq!(
        RedisStore::connect("http://127.0.0.1:1/", config())
            .await
            .expect_err("scheme")
            .kind(),
        ErrorKind::InvalidInput
    );
    let braces = config().prefix("a{b}");
    assert_eq!(
        RedisStore::connect("redis://127.0.0.1:1/", braces)
            .await
            .expect_err("prefix")
            .kind(),
        ErrorKind::InvalidInput
    );
}

#[tokio::test]
async fn restores_write_sessions_and_messages_exactly() {
    let Some(server) = RedisServer::start() else {
        return;
    };
    let clock = multichat_testkit::ManualClock::new();
    let store = RedisStore::connect(&server.url(), config().clock(Arc::new(clock.clone())))
        .await
        .expect("connect");
    multichat_testkit::restore::check(&store, &clock).await;
    multichat_testkit::restore::check_whole(&store, &clock, false).await;
    multichat_testkit::transitions::check(&store, &clock).await;
}

/// `close` gives the store's connections back: the server's client count returns to what it
/// was (polled until then, for at most 5 s: the server notices a closed socket on its own time).
#[tokio::test]
async fn close_releases_the_connections() {
    let Some(server) = RedisServer::start() else {
        return;
    };
    let client = redis::Client::open(server.url()).expect("client");
    let mut raw = client
        .get_multiplexed_async_connection()
        .await
        .expect("raw");
    let clients = async |raw: &mut redis::aio::MultiplexedConnection| -> usize {
        let list: String = redis::cmd("CLIENT")
            .arg("LIST")
            .query_async(raw)
            .await
            .expect("client list");
        list.lines().count()
    };
    let before = clients(&mut raw).await;
    let store = RedisStore::connect(&server.url(), config())
        .await
        .expect("connect");
    assert!(clients(&mut raw).await > before, "the store is connected");
    store.close().await.expect("close");
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(5);
    while clients(&mut raw).await > before {
        assert!(
            std::time::Instant::now() < deadline,
            "connections left open"
        );
        tokio::task::yield_now().await;
    }
}

/// With `confirm_replicas(1, …)` an append is acknowledged once the replica has it; with the
/// replica gone it is `Unconfirmed` — and written on the primary all the same (maybe applied).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn appends_wait_for_the_replica_and_say_when_it_did_not_confirm() {
    let Some(primary) = RedisServer::start() else {
        return;
    };
    let port = primary.port().to_string();
    let mut replica =
        RedisServer::start_with(None, &["--replicaof", "127.0.0.1", &port]).expect("replica");
    let client = redis::Client::open(primary.url()).expect("client");
    let mut raw = client
        .get_multiplexed_async_connection()
        .await
        .expect("raw");
    let deadline = std::time::Instant::now() + Duration::from_secs(10);
    loop {
        let info: String = redis::cmd("INFO")
            .arg("replication")
            .query_async(&mut raw)
            .await
            .expect("info");
        if info.contains("state=online") {
            break;
        }
        assert!(
            std::time::Instant::now() < deadline,
            "the replica never came online: {info}"
        );
        tokio::task::yield_now().await;
    }
    let waiting = config().confirm_replicas(1, Duration::from_millis(500));
    let store = RedisStore::connect(&primary.url(), waiting)
        .await
        .expect("connect");
    let s = id("replicated");
    store
        .create_session(NewSession::new(s.clone()))
        .await
        .expect("create");
    let first = store
        .append(&s, vec![NewMessage::user("confirmed")], None)
        .await;
    assert_eq!(first.expect("the replica confirms"), [1]);
    replica.stop();
    let second = bounded(store.append(&s, vec![NewMessage::user("unconfirmed")], None)).await;
    match second {
        Err(Error::Unconfirmed {
            wanted: 1,
            confirmed: 0,
            ..
        }) => {}
        other => panic!("expected Unconfirmed, got {other:?}"),
    }
    let stored = store.read(&s, MessageQuery::last(5)).await.expect("read");
    let contents: Vec<_> = stored.iter().map(|m| m.content.as_str()).collect();
    assert_eq!(
        contents,
        ["confirmed", "unconfirmed"],
        "maybe applied: here, applied"
    );
}
