//! Client keys on Redis: the `:k` hash of each session, merged script calls mixing keyed and
//! unkeyed batches of many sessions, the hash's expiry and removal with its session, and a key
//! of the wrong type in its place.

use std::future::Future;
use std::pin::Pin;
use std::task::Poll;

use multichat_core::{
    ErrorKind, Expiry, MessageQuery, MessageStore, NewMessage, NewSession, SessionId, SessionStore,
};
use multichat_redis::{RedisConfig, RedisStore};
use multichat_testkit::RedisServer;
use redis::aio::MultiplexedConnection;

/// A store on `server` and a plain connection to it.
async fn connect(server: &RedisServer) -> (RedisStore, MultiplexedConnection) {
    let url = server.url();
    let store = RedisStore::connect(&url, RedisConfig::default()).await;
    let client = redis::Client::open(url).expect("client");
    let conn = client
        .get_multiplexed_async_connection()
        .await
        .expect("conn");
    (store.expect("connect"), conn)
}

/// Polls `future` once, so that its call joins the store's queue.
async fn poll_once<F: Future + ?Sized>(future: &mut Pin<Box<F>>) {
    std::future::poll_fn(|cx| {
        let _ = future.as_mut().poll(cx);
        Poll::Ready(())
    })
    .await;
}

/// The batch session `i` appends: keyed for even `i`, unkeyed otherwise, of `1 + i % 3` messages.
fn batch(i: usize) -> Vec<NewMessage> {
    (0..1 + i % 3)
        .map(|j| {
            let m = NewMessage::user(format!("{i}.{j}"));
            if i.is_multiple_of(2) {
                m.key(format!("k{j}"))
            } else {
                m
            }
        })
        .collect()
}

#[tokio::test(flavor = "current_thread")]
async fn merged_calls_of_keyed_and_unkeyed_batches_keep_each_sessions_seqs() {
    let Some(server) = RedisServer::start() else {
        return;
    };
    let store = RedisStore::connect(&server.url(), RedisConfig::default())
        .await
        .expect("connect");
    let ids: Vec<SessionId> = (0..40)
        .map(|i| SessionId::new(format!("s{i}")).expect("id"))
        .collect();
    for id in &ids {
        store
            .create_session(NewSession::new(id.clone()))
            .await
            .expect("create");
        store
            .append(id, vec![NewMessage::system("first")], None)
            .await
            .expect("append");
    }
    for round in 0..2 {
        let mut calls: Vec<_> = (0..ids.len())
            .map(|i| Box::pin(store.append(&ids[i], batch(i), Some(1))))
            .collect();
        for call in &mut calls {
            poll_once(call).await;
        }
        for (i, call) in calls.into_iter().enumerate() {
            let want: Vec<u64> = (2..2 + 1 + i as u64 % 3).collect();
            match (round, i % 2) {
                // Unkeyed batches compare against last_seq 1: the second round conflicts.
                (1, 1) => assert_eq!(call.await.expect_err("stale").kind(), ErrorKind::Conflict),
                _ => assert_eq!(
                    call.await.expect("append"),
                    want,
                    "session {i}, round {round}"
                ),
            }
        }
    }
    for (i, id) in ids.iter().enumerate() {
        let read = store.read(id, MessageQuery::last(10)).await.expect("read");
        let contents: Vec<String> = read.iter().skip(1).map(|m| m.content.clone()).collect();
        let want: Vec<String> = batch(i).into_iter().map(|m| m.content).collect();
        assert_eq!(contents, want, "session {i}: each message once");
    }
}

#[tokio::test]
async fn the_keys_hash_expires_and_goes_with_its_session() {
    let Some(server) = RedisServer::start() else {
        return;
    };
    let (store, mut conn) = connect(&server).await;
    let id = SessionId::new("e").expect("id");
    let idle = NewSession::new(id.clone()).expiry(Expiry::IdleMs(600_000));
    store.create_session(idle).await.expect("create");
    store
        .append(&id, vec![NewMessage::user("a").key("k")], None)
        .await
        .expect("append");
    let ttl: i64 = redis::cmd("PTTL")
        .arg("mc:{e}:k")
        .query_async(&mut conn)
        .await
        .expect("pttl");
    assert!(
        ttl > 590_000 && ttl <= 600_000,
        "the keys hash expires with the session: {ttl}"
    );
    let seq: String = redis::cmd("HGET")
        .arg("mc:{e}:k")
        .arg("k")
        .query_async(&mut conn)
        .await
        .expect("hget");
    assert_eq!(seq, "1");
    store.delete_session(&id).await.expect("delete");
    let exists: i64 = redis::cmd("EXISTS")
        .arg("mc:{e}:k")
        .query_async(&mut conn)
        .await
        .expect("exists");
    assert_eq!(exists, 0, "deleted with its session");
}

#[tokio::test]
async fn a_foreign_key_in_place_of_the_keys_hash_fails_keyed_appends_alone() {
    let Some(server) = RedisServer::start() else {
        return;
    };
    let (store, mut conn) = connect(&server).await;
    let id = SessionId::new("f").expect("id");
    store
        .create_session(NewSession::new(id.clone()))
        .await
        .expect("create");
    let _: () = redis::cmd("SET")
        .arg("mc:{f}:k")
        .arg("not a hash")
        .query_async(&mut conn)
        .await
        .expect("set");
    let before = store.get_session(&id).await.expect("get");
    let keyed = store
        .append(&id, vec![NewMessage::user("a").key("k")], None)
        .await;
    assert!(keyed.is_err(), "{keyed:?}");
    assert_eq!(
        store.get_session(&id).await.expect("get"),
        before,
        "nothing written"
    );
    assert_eq!(
        store
            .append(&id, vec![NewMessage::user("a")], None)
            .await
            .ok(),
        Some(vec![1])
    );
    let foreign: String = redis::cmd("GET")
        .arg("mc:{f}:k")
        .query_async(&mut conn)
        .await
        .expect("get");
    assert_eq!(foreign, "not a hash", "the foreign key is untouched");
}
