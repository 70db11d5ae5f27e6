//! Keys and stream entries this store did not write (another program, a partial restore): an
//! append or pop over a foreign entry changes nothing and answers `Corrupt` naming it, and a
//! foreign index key never fails a write that has committed.

use multichat_core::SessionStore;
use multichat_core::{Error, MessageQuery, MessageStore, NewMessage, NewSession, SessionId};
use multichat_redis::{RedisConfig, RedisStore};
use multichat_testkit::RedisServer;

/// A server of the test's own, a store on it and a raw connection to it (`None`: skipped).
async fn start() -> Option<(RedisServer, RedisStore, redis::aio::MultiplexedConnection)> {
    let server = RedisServer::start()?;
    let store = RedisStore::connect(&server.url(), RedisConfig::default())
        .await
        .expect("connect");
    let client = redis::Client::open(server.url()).expect("client");
    let raw = client
        .get_multiplexed_async_connection()
        .await
        .expect("raw");
    Some((server, store, raw))
}

#[tokio::test]
async fn popping_a_foreign_entry_changes_nothing() {
    let Some((_server, store, mut raw)) = start().await else {
        return;
    };
    for (n, (field, value)) in [("x", "1"), ("j", "{not json")].into_iter().enumerate() {
        let id = SessionId::new(format!("s{n}")).expect("id");
        store
            .create_session(NewSession::new(id.clone()))
            .await
            .expect("create");
        store
            .append(&id, vec![NewMessage::user("kept")], None)
            .await
            .expect("append");
        let before = store.get_session(&id).await.expect("get");
        let stream = format!("mc:{{s{n}}}:m");
        let _: String = redis::cmd("XADD")
            .arg(&stream)
            .arg("99-0")
            .arg(field)
            .arg(value)
            .query_async(&mut raw)
            .await
            .expect("foreign entry");
        match store
            .append(&id, vec![NewMessage::user("next")], None)
            .await
        {
            Err(Error::Corrupt { location, .. }) => {
                assert!(location.contains("seq 2"), "{location}")
            }
            other => panic!("expected Corrupt, got {other:?}"),
        }
        assert_eq!(
            store.get_session(&id).await.expect("get"),
            before,
            "nothing appended"
        );
        match store.pop(&id).await {
            Err(Error::Corrupt { location, .. }) => {
                assert!(location.contains("99-0"), "{location}")
            }
            other => panic!("expected Corrupt, got {other:?}"),
        }
        let len: u64 = redis::cmd("XLEN")
            .arg(&stream)
            .query_async(&mut raw)
            .await
            .expect("xlen");
        assert_eq!(len, 2, "nothing was removed");
        assert_eq!(store.get_session(&id).await.expect("get"), before);
        store.clear(&id).await.expect("clear always works");
        let seqs = store
            .append(&id, vec![NewMessage::user("again")], None)
            .await;
        assert_eq!(seqs.expect("usable after clear"), [2]);
        assert!(
            store
                .delete_session(&id)
                .await
                .expect("delete always works")
        );
    }
    let id = SessionId::new("fine").expect("id");
    store
        .create_session(NewSession::new(id.clone()))
        .await
        .expect("create");
    store
        .append(&id, vec![NewMessage::user("a")], None)
        .await
        .expect("append");
    assert_eq!(
        store.pop(&id).await.expect("pop").map(|m| m.content),
        Some("a".into())
    );
    assert!(
        store
            .read(&id, MessageQuery::last(5))
            .await
            .expect("read")
            .is_empty()
    );
}

/// A batch whose second seq is taken by a foreign entry stores none of itself. This is the only
/// way an `XADD` of the append script fails: its ids ascend from `last_seq + 1`, so once the
/// first succeeds no later one can collide, and Redis checks memory before a script starts, not
/// between its commands.
#[tokio::test]
async fn a_batch_over_a_foreign_entry_stores_none_of_it() {
    let Some((_server, store, mut raw)) = start().await else {
        return;
    };
    let id = SessionId::new("b").expect("id");
    store
        .create_session(NewSession::new(id.clone()))
        .await
        .expect("create");
    store
        .append(&id, vec![NewMessage::user("kept")], None)
        .await
        .expect("append");
    let before = store.get_session(&id).await.expect("get");
    let _: String = redis::cmd("XADD")
        .arg("mc:{b}:m")
        .arg("3-0")
        .arg("j")
        .arg("{}")
        .query_async(&mut raw)
        .await
        .expect("foreign entry");
    let batch = ["first", "second", "third"].map(NewMessage::user).to_vec();
    match store.append(&id, batch, None).await {
        Err(Error::Corrupt { .. }) => {}
        other => panic!("expected Corrupt, got {other:?}"),
    }
    assert_eq!(store.get_session(&id).await.expect("get"), before);
    let ids: Vec<(String, Vec<(String, String)>)> = redis::cmd("XRANGE")
        .arg("mc:{b}:m")
        .arg("-")
        .arg("+")
        .query_async(&mut raw)
        .await
        .expect("xrange");
    let ids: Vec<&str> = ids.iter().map(|(id, _)| id.as_str()).collect();
    assert_eq!(ids, ["1-0", "3-0"], "no entry of the batch");
}

#[tokio::test]
async fn a_foreign_index_key_never_fails_a_committed_write() {
    let Some((_server, store, mut raw)) = start().await else {
        return;
    };
    for key in ["mc:idx:updated", "mc:idx:p:ana", "mc:idx:expiry"] {
        let _: () = redis::cmd("SET")
            .arg(key)
            .arg("foreign")
            .query_async(&mut raw)
            .await
            .expect("set");
    }
    let id = SessionId::new("s").expect("id");
    let new = NewSession::new(id.clone())
        .participant("ana")
        .expiry(multichat_core::Expiry::idle(
            std::time::Duration::from_secs(3600),
        ));
    store
        .create_session(new)
        .await
        .expect("create is committed and says so");
    let seqs = store
        .append(&id, vec![NewMessage::user("once")], None)
        .await
        .expect("append is committed and says so");
    assert_eq!(seqs, [1]);
    let read = store.read(&id, MessageQuery::last(5)).await.expect("read");
    assert_eq!(read.len(), 1, "stored exactly once");
    let session = store.get_session(&id).await.expect("get").expect("exists");
    assert_eq!((session.last_seq, session.message_count), (1, 1));
    assert_eq!(store.pop(&id).await.expect("pop").map(|m| m.seq), Some(1));
    assert!(store.delete_session(&id).await.expect("delete"));
}

/// Counters another program overwrote with text: every write answers `Corrupt` naming the
/// session's key and changes nothing (no raw Lua error); delete still removes the session.
#[tokio::test]
async fn garbage_counters_are_corrupt_and_deletable() {
    let Some((_server, store, mut raw)) = start().await else {
        return;
    };
    for field in ["last_seq", "message_count", "version", "updated_at"] {
        let id = SessionId::new(format!("g-{field}")).expect("id");
        store
            .create_session(NewSession::new(id.clone()))
            .await
            .expect("create");
        store
            .append(&id, vec![NewMessage::user("kept")], None)
            .await
            .expect("append");
        let key = format!("mc:{{g-{field}}}:s");
        let () = redis::cmd("HSET")
            .arg(&key)
            .arg(field)
            .arg("twelve")
            .query_async(&mut raw)
            .await
            .expect("garbage");
        let appended = store
            .append(&id, vec![NewMessage::user("next")], None)
            .await;
        let popped = store.pop(&id).await.map(|m| m.map(|m| m.seq));
        let cleared = store.clear(&id).await;
        for (what, outcome) in [
            ("append", appended.map(|_| ())),
            ("pop", popped.map(|_| ())),
            ("clear", cleared.map(|_| ())),
        ] {
            match outcome {
                Err(Error::Corrupt { location, .. }) => {
                    assert!(location.contains(&key), "{what} on {field}: {location}")
                }
                other => panic!("{what} on {field}: expected Corrupt, got {other:?}"),
            }
        }
        let stored: String = redis::cmd("HGET")
            .arg(&key)
            .arg(field)
            .query_async(&mut raw)
            .await
            .expect("hget");
        assert_eq!(stored, "twelve", "{field}: nothing written");
        let entries: usize = redis::cmd("XLEN")
            .arg(format!("mc:{{g-{field}}}:m"))
            .query_async(&mut raw)
            .await
            .expect("xlen");
        assert_eq!(entries, 1, "{field}: the message is still there");
        store.delete_session(&id).await.expect("delete works");
        let exists: bool = redis::cmd("EXISTS")
            .arg(&key)
            .query_async(&mut raw)
            .await
            .expect("exists");
        assert!(!exists, "{field}: deleted");
    }
}
