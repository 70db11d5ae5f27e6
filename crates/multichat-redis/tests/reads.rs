//! The read pipeline: one round trip without `MULTI`/`EXEC`, repeated atomically only when an
//! empty range contradicts the session's counters. Checked on a server of its own by counting the
//! `EXEC` commands it ran (`INFO commandstats`).

mod common;

use multichat_core::{MessageQuery, MessageStore, NewMessage, NewSession, SessionId, SessionStore};
use multichat_redis::{RedisConfig, RedisStore};
use multichat_testkit::RedisServer;

/// A store with session `s` holding `n` messages, and a plain connection to its server.
async fn setup(
    server: &RedisServer,
    n: usize,
) -> (RedisStore, redis::aio::MultiplexedConnection, SessionId) {
    let store = RedisStore::connect(&server.url(), RedisConfig::default())
        .await
        .expect("connect");
    let id = SessionId::new("s").expect("id");
    store
        .create_session(NewSession::new(id.clone()))
        .await
        .expect("create");
    if n > 0 {
        let batch = (0..n).map(|i| NewMessage::user(format!("m{i}"))).collect();
        store.append(&id, batch, None).await.expect("append");
    }
    let client = redis::Client::open(server.url()).expect("client");
    let conn = client
        .get_multiplexed_async_connection()
        .await
        .expect("conn");
    (store, conn, id)
}

#[tokio::test]
async fn ordinary_reads_take_one_plain_pipeline() {
    let Some(server) = RedisServer::start() else {
        return;
    };
    let (store, mut conn, id) = setup(&server, 5).await;
    let before = common::calls(&mut conn, "exec").await;
    let last = store.read(&id, MessageQuery::last(3)).await.expect("read");
    assert_eq!(last.iter().map(|m| m.seq).collect::<Vec<_>>(), [3, 4, 5]);
    let after = store
        .read(&id, MessageQuery::after(2, 10))
        .await
        .expect("read");
    assert_eq!(after.len(), 3);
    let polled = store
        .read(&id, MessageQuery::after(5, 10))
        .await
        .expect("poll");
    assert!(polled.is_empty(), "nothing after the last seq");
    assert_eq!(
        common::calls(&mut conn, "exec").await,
        before,
        "no MULTI/EXEC was needed"
    );
}

#[tokio::test]
async fn an_empty_range_that_contradicts_the_counters_is_read_again_atomically() {
    let Some(server) = RedisServer::start() else {
        return;
    };
    let (store, mut conn, id) = setup(&server, 3).await;
    store.pop(&id).await.expect("pop").expect("popped");
    let before = common::calls(&mut conn, "exec").await;
    // Seq 3 was popped: last_seq is still 3, so an empty answer after seq 2 is checked again.
    let after = store
        .read(&id, MessageQuery::after(2, 10))
        .await
        .expect("read");
    assert!(after.is_empty());
    assert_eq!(
        common::calls(&mut conn, "exec").await,
        before + 1,
        "one atomic re-read"
    );
    // What a write landing between the two commands would look like: the stream is gone while
    // the hash still counts messages. The re-read sees the same and answers from it.
    let () = redis::cmd("DEL")
        .arg("mc:{s}:m")
        .query_async(&mut conn)
        .await
        .expect("del");
    let last = store.read(&id, MessageQuery::last(10)).await.expect("read");
    assert!(last.is_empty());
    assert_eq!(common::calls(&mut conn, "exec").await, before + 2);
}

#[tokio::test]
async fn roles_and_texts_that_json_escapes_read_back_unchanged() {
    let Some(server) = RedisServer::start() else {
        return;
    };
    let (store, _conn, id) = setup(&server, 0).await;
    let odd = NewMessage::new(
        multichat_core::Role::from("say \"hi\" \\ é"),
        "a\"b\\c\u{1F600}\t",
    )
    .sender("ann \"x\"");
    let plain = NewMessage::new(multichat_core::Role::from("critic"), "fine");
    store
        .append(&id, vec![odd, plain, NewMessage::user("u")], None)
        .await
        .expect("append");
    let read = store.read(&id, MessageQuery::last(3)).await.expect("read");
    let roles: Vec<&str> = read.iter().map(|m| m.role.as_str()).collect();
    assert_eq!(roles, ["say \"hi\" \\ é", "critic", "user"]);
    assert_eq!(read[0].content, "a\"b\\c\u{1F600}\t");
    assert_eq!(read[0].sender.as_deref(), Some("ann \"x\""));
    assert_eq!(read[2].role, multichat_core::Role::User);
}
