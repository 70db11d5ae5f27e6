//! `RedisStore` on a 3-master Redis Cluster of its own against the conformance suite and the
//! property test. The tests of this binary share one cluster; each test gets its own key prefix.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, OnceLock};

use multichat_core::{MessageStore, SessionStore};
use multichat_redis::{RedisConfig, RedisStore};
use multichat_testkit::{Fixture, ManualClock, RedisCluster};

fn cluster() -> Option<&'static RedisCluster> {
    static CLUSTER: OnceLock<Option<RedisCluster>> = OnceLock::new();
    CLUSTER.get_or_init(RedisCluster::start).as_ref()
}

/// A store on the shared cluster under a prefix of its own; `None` when the cluster is skipped.
async fn connect(clock: &ManualClock) -> Option<RedisStore> {
    static NEXT: AtomicUsize = AtomicUsize::new(0);
    let cluster = cluster()?;
    let hosts: Vec<String> = cluster
        .urls()
        .iter()
        .map(|u| {
            u.trim_start_matches("redis://")
                .trim_end_matches('/')
                .to_owned()
        })
        .collect();
    let url = format!("redis+cluster://{}", hosts.join(","));
    let prefix = format!("c{}", NEXT.fetch_add(1, Ordering::SeqCst));
    let config = RedisConfig::default()
        .prefix(prefix)
        .clock(Arc::new(clock.clone()));
    let store = RedisStore::connect(&url, config)
        .await
        .expect("connect to the cluster");
    Some(store)
}

async fn make(clock: ManualClock) -> Fixture {
    match connect(&clock).await {
        Some(store) => Fixture::new(Arc::new(store), clock),
        None => Fixture::skipped(clock),
    }
}

/// The scripts and the client-side index writes of Cluster mode agree with every case of the
/// core transition table.
#[tokio::test]
async fn redis_cluster_transitions_agree_with_the_core_table() {
    let clock = ManualClock::new();
    let Some(store) = connect(&clock).await else {
        return;
    };
    multichat_testkit::transitions::check(&store, &clock).await;
}

multichat_testkit::conformance_tests!(make);

/// In Cluster mode, `WAIT` goes to the master of the session's slot with the append: on this
/// cluster without replicas, an append that asks for one replica is written and `Unconfirmed`
/// (0 of 1), and one that asks for none is acknowledged.
#[tokio::test]
async fn confirming_on_replicas_waits_on_the_sessions_master() {
    let Some(cluster) = cluster() else {
        return;
    };
    let config = RedisConfig::default()
        .prefix("confirm")
        .confirm_replicas(1, std::time::Duration::from_millis(50));
    let store = RedisStore::connect(&cluster.store_url(), config)
        .await
        .expect("connect");
    let mut unconfirmed = 0;
    for n in 0..12 {
        let id = multichat_core::SessionId::new(format!("w{n}")).expect("id");
        store
            .create_session(multichat_core::NewSession::new(id.clone()))
            .await
            .expect("create");
        let append = store.append(&id, vec![multichat_core::NewMessage::user("m")], None);
        match append.await {
            Err(multichat_core::Error::Unconfirmed {
                wanted: 1,
                confirmed: 0,
                ..
            }) => unconfirmed += 1,
            other => panic!("no replica can confirm: {other:?}"),
        }
        let read = store.read(&id, multichat_core::MessageQuery::last(5)).await;
        assert_eq!(read.expect("read").len(), 1, "written all the same");
    }
    assert_eq!(unconfirmed, 12, "every append unconfirmed");
}

#[test]
fn redis_cluster_store_matches_the_model() {
    multichat_testkit::model::check_against_model(make, 16);
}

/// An index key of another type makes the client-side index writes fail after the session's
/// script committed: the call still reports what it committed, so a retry never duplicates.
#[tokio::test]
async fn a_failing_index_write_never_fails_a_committed_call() {
    use multichat_core::{
        MessageQuery, MessageStore as _, NewMessage, NewSession, SessionId, SessionStore as _,
    };
    let Some(cluster) = cluster() else {
        return;
    };
    let client = redis::cluster::ClusterClient::new(cluster.urls()).expect("cluster client");
    let mut raw = client.get_async_connection().await.expect("raw connection");
    for key in ["cf:idx:updated", "cf:idx:p:ana", "cf:idx:expiry"] {
        let () = redis::cmd("SET")
            .arg(key)
            .arg("foreign")
            .query_async(&mut raw)
            .await
            .expect("set");
    }
    let url = format!(
        "redis+cluster://{}",
        cluster.urls()[0]
            .trim_start_matches("redis://")
            .trim_end_matches('/')
    );
    let store = RedisStore::connect(&url, RedisConfig::default().prefix("cf"))
        .await
        .expect("connect");
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
    assert_eq!(store.pop(&id).await.expect("pop").map(|m| m.seq), Some(1));
    assert!(
        store
            .delete_session(&id)
            .await
            .expect("delete is committed and says so")
    );
    assert!(store.get_session(&id).await.expect("get").is_none());
}

/// In a Cluster, a watch in one store (its poll and recheck an hour, so only the append's
/// `PUBLISH` can wake it in time) delivers what another store — another process — appends to
/// six sessions (spread over the masters), each once, in order.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn another_stores_appends_wake_a_watch_in_a_cluster() {
    let Some(cluster) = cluster() else {
        return;
    };
    let hour = std::time::Duration::from_secs(3600);
    let mut watching = RedisConfig::default().prefix("watch");
    watching.watch = multichat_core::WatchConfig {
        poll: hour,
        recheck: hour,
        ..multichat_core::WatchConfig::default()
    };
    let url = cluster.store_url();
    let watcher = Arc::new(RedisStore::connect(&url, watching).await.expect("connect"));
    let writer = RedisStore::connect(&url, RedisConfig::default().prefix("watch"));
    let writer = writer.await.expect("connect");
    for i in 0..6 {
        let id = multichat_core::SessionId::new(format!("w{i}")).expect("id");
        let new = multichat_core::NewSession::new(id.clone());
        writer.create_session(new).await.expect("create");
        let mut watch = Arc::clone(&watcher).watch(id.clone(), 0);
        let next = tokio::spawn(async move {
            let first = multichat_testkit::cases::watch::next_message(&mut watch).await;
            let second = multichat_testkit::cases::watch::next_message(&mut watch).await;
            (first.seq, second.seq)
        });
        for text in ["a", "b"] {
            let message = multichat_core::NewMessage::user(text);
            writer
                .append(&id, vec![message], None)
                .await
                .expect("append");
        }
        assert_eq!(next.await.expect("delivered within 10 s each"), (1, 2));
    }
}
