//! Redis Cluster through a failover: 3 masters + 3 replicas of the test's own (node timeout 1 s,
//! `cluster-require-full-coverage no`), one writer per session appending with the safe retry
//! (compare-and-append on the last seq it knows, read back on a maybe-applied failure), while one
//! master is killed (SIGKILL) and, once its replica took over, another is stalled (SIGSTOP) past
//! the node timeout and resumed. Then every session is read back and checked with the test kit's
//! ledger: no duplicate, nothing stored that no call tried, counters consistent; acknowledged
//! appends lost only where asynchronous replication allows it (a stalled master acknowledging
//! what its replica never got), and none with `confirm_replicas`; the writers of the third
//! master, healthy throughout, never stalled longer than the node timeout.
//!
//! And a stalled master's sessions are written on its promoted replica while it is still stalled
//! (the store rebuilds its slot map after a timeout).

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use multichat_core::{
    ChatStore, Error, ErrorKind, MessageQuery, MessageStore, NewMessage, NewSession, SessionId,
    SessionStore,
};
use multichat_redis::{RedisConfig, RedisStore};
use multichat_testkit::redis_cluster::NODE_TIMEOUT;
use multichat_testkit::{Ledger, RedisCluster};

/// Sessions per master.
const PER_MASTER: usize = 3;

/// One message appended with the safe retry: compare-and-append on the last seq this writer
/// knows; after a maybe-applied failure (`Unavailable`, `Unconfirmed`) or a conflict, read the
/// newest message back — ours: it was applied; otherwise append again from what is there. The
/// seq it got, or `None` when 40 tries did not settle it (maybe applied). The count of times the
/// session was found behind what this writer had acknowledged goes to `rollbacks`.
async fn settle(
    store: &RedisStore,
    id: &SessionId,
    content: &str,
    last: &mut u64,
    rollbacks: &mut usize,
) -> Option<u64> {
    for _ in 0..40 {
        let tried = store
            .append(id, vec![NewMessage::user(content)], Some(*last))
            .await;
        match tried {
            Ok(seqs) => {
                *last = seqs[0];
                return Some(seqs[0]);
            }
            Err(e) if maybe_applied(&e) => {}
            Err(e) => panic!("{id}: an append failed for good: {e}"),
        }
        if let Ok(newest) = store.read(id, MessageQuery::last(1)).await {
            let newest = newest.last();
            if let Some(m) = newest.filter(|m| m.content == content) {
                *last = m.seq;
                return Some(m.seq);
            }
            let there = newest.map_or(0, |m| m.seq);
            *rollbacks += usize::from(there < *last);
            *last = there;
        }
        // A writer's back-off while its master fails over.
        tokio::time::sleep(Duration::from_millis(25)).await;
    }
    None
}

/// An error after which the append may or may not have been applied.
fn maybe_applied(e: &Error) -> bool {
    e.is_transient() || matches!(e.kind(), ErrorKind::Conflict | ErrorKind::Unconfirmed)
}

/// What one writer saw.
#[derive(Debug, Default)]
struct Seen {
    longest_gap: Duration,
    rollbacks: usize,
}

/// Appends `id #n` to `id` until `stop`, recording every call in `ledger`.
async fn write_until(
    store: Arc<RedisStore>,
    id: SessionId,
    ledger: Arc<Ledger>,
    stop: Arc<AtomicBool>,
) -> Seen {
    let (mut seen, mut last, mut since) = (Seen::default(), 0, Instant::now());
    for n in 0.. {
        if stop.load(Ordering::Relaxed) {
            break;
        }
        let content = format!("{id} #{n}");
        match settle(&store, &id, &content, &mut last, &mut seen.rollbacks).await {
            Some(seq) => {
                ledger.acked(&id, &content, seq);
                seen.longest_gap = seen.longest_gap.max(since.elapsed());
                since = Instant::now();
            }
            None => ledger.failed(&id, &content),
        }
    }
    seen
}

/// `PER_MASTER` session ids for each of the cluster's three masters, in master order.
fn sessions_by_master(cluster: &RedisCluster) -> Vec<(usize, Vec<SessionId>)> {
    let mut by_master: Vec<(usize, Vec<SessionId>)> = Vec::new();
    for n in 0..1000 {
        let name = format!("f{n}");
        let Some(master) = cluster.master_of(&name) else {
            continue;
        };
        match by_master.iter_mut().find(|(m, _)| *m == master) {
            Some((_, ids)) if ids.len() < PER_MASTER => ids.push(SessionId::new(name).unwrap()),
            Some(_) => {}
            None => by_master.push((master, vec![SessionId::new(name).unwrap()])),
        }
        if by_master.len() == 3 && by_master.iter().all(|(_, ids)| ids.len() == PER_MASTER) {
            break;
        }
    }
    by_master
}

/// Waits until `ids[0]`'s slot is served by a master other than `old`.
fn wait_failover(cluster: &RedisCluster, ids: &[SessionId], old: usize) {
    let key = ids[0].as_str();
    cluster.wait_until("a replica took over", Duration::from_secs(15), |c| {
        c.master_of(key).is_some_and(|m| m != old)
    });
}

/// The tests of this file run one at a time (each starts six servers; run at once on two cores,
/// their failovers would be timed by the scheduler).
async fn turn() -> tokio::sync::MutexGuard<'static, ()> {
    static ONE_AT_A_TIME: tokio::sync::Mutex<()> = tokio::sync::Mutex::const_new(());
    ONE_AT_A_TIME.lock().await
}

/// One run: the kill, then the stall, under the writers; the ledger's findings, the writers'
/// reports by master group (killed, stalled, healthy).
async fn run(confirm: bool) -> Option<(multichat_testkit::Anomalies, Vec<Vec<Seen>>)> {
    let _turn = turn().await;
    let mut cluster = RedisCluster::start_replicated()?;
    let mut config = RedisConfig::default()
        .prefix(if confirm { "w" } else { "n" })
        .connect_timeout(Duration::from_millis(300))
        .response_timeout(Duration::from_millis(300));
    if confirm {
        config = config.confirm_replicas(1, Duration::from_millis(100));
    }
    let store = Arc::new(
        RedisStore::connect(&cluster.store_url(), config)
            .await
            .expect("connect"),
    );
    let groups = sessions_by_master(&cluster);
    let (ledger, stop) = (
        Arc::new(Ledger::default()),
        Arc::new(AtomicBool::new(false)),
    );
    let mut writers = Vec::new();
    for (_, ids) in &groups {
        let mut group = Vec::new();
        for id in ids {
            store
                .create_session(NewSession::new(id.clone()))
                .await
                .expect("create");
            let (store, id) = (Arc::clone(&store), id.clone());
            group.push(tokio::spawn(write_until(
                store,
                id,
                Arc::clone(&ledger),
                Arc::clone(&stop),
            )));
        }
        writers.push(group);
    }
    let phase = Duration::from_millis(1500);
    tokio::time::sleep(phase).await;
    let ((killed, killed_ids), (stalled, stalled_ids)) = (&groups[0], &groups[1]);
    cluster.node(*killed).stop();
    let (c, ids, old) = (&cluster, killed_ids.clone(), *killed);
    tokio::task::block_in_place(|| wait_failover(c, &ids, old));
    tokio::time::sleep(phase).await;
    cluster.node(*stalled).pause();
    let (ids, old) = (stalled_ids.clone(), *stalled);
    tokio::task::block_in_place(|| wait_failover(&cluster, &ids, old));
    cluster.node(*stalled).resume();
    tokio::time::sleep(phase).await;
    stop.store(true, Ordering::Relaxed);
    let mut seen = Vec::new();
    for group in writers {
        let mut reports = Vec::new();
        for writer in group {
            reports.push(writer.await.expect("writer"));
        }
        seen.push(reports);
    }
    let store: Arc<dyn ChatStore> = store;
    let found = ledger.check(&store).await.expect("read back");
    Some((found, seen))
}

/// What every run must show, whatever the option.
fn check_common(found: &multichat_testkit::Anomalies, seen: &[Vec<Seen>]) {
    eprintln!("ledger: {found:?}");
    eprintln!("writers (killed, stalled, healthy master): {seen:?}");
    assert!(
        found.acknowledged > 100,
        "the writers got through: {found:?}"
    );
    assert!(
        found.is_clean_but_lost(),
        "no duplicate, phantom, reorder or bad counter: {found:?}"
    );
    for writer in &seen[2] {
        assert!(
            writer.longest_gap < NODE_TIMEOUT,
            "a writer of the healthy master stalled for {:?}",
            writer.longest_gap
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_cluster_failover_duplicates_nothing_and_healthy_masters_keep_writing() {
    let Some((found, seen)) = run(false).await else {
        return;
    };
    check_common(&found, &seen);
    let rollbacks: usize = seen.iter().flatten().map(|s| s.rollbacks).sum();
    eprintln!(
        "without confirm_replicas: {} of {} acknowledged appends lost, {rollbacks} rollbacks seen by the writers",
        found.lost.len(),
        found.acknowledged
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn with_confirm_replicas_a_cluster_failover_loses_nothing_acknowledged() {
    let Some((found, seen)) = run(true).await else {
        return;
    };
    check_common(&found, &seen);
    assert!(
        found.lost.is_empty(),
        "acknowledged and lost: {:?}",
        found.lost
    );
}

/// Once a stalled master's replica has been promoted, its sessions are written there while the
/// master is still stalled: a timeout makes the store rebuild its slot map. (Without that, every
/// append would go on to the stalled node, and time out, until it woke.)
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn after_a_promotion_a_stalled_masters_sessions_are_written_on_its_replica() {
    let _turn = turn().await;
    let Some(mut cluster) = RedisCluster::start_replicated() else {
        return;
    };
    let config = RedisConfig::default()
        .prefix("r")
        .connect_timeout(Duration::from_millis(300))
        .response_timeout(Duration::from_millis(300));
    let store = RedisStore::connect(&cluster.store_url(), config)
        .await
        .expect("connect");
    let id = SessionId::new("r0").expect("id");
    store
        .create_session(NewSession::new(id.clone()))
        .await
        .expect("create");
    let master = cluster.master_of(id.as_str()).expect("a master serves it");
    cluster.node(master).pause();
    let stalled = store
        .append(&id, vec![NewMessage::user("stalled")], None)
        .await;
    assert!(stalled.expect_err("no answer").is_transient());
    let ids = [id.clone()];
    tokio::task::block_in_place(|| wait_failover(&cluster, &ids, master));
    let mut written = None;
    for _ in 0..20 {
        match store
            .append(&id, vec![NewMessage::user("after")], None)
            .await
        {
            Ok(seqs) => {
                written = Some(seqs);
                break;
            }
            Err(e) => assert!(e.is_transient(), "{e}"),
        }
    }
    let read = store.read(&id, MessageQuery::last(5)).await;
    cluster.node(master).resume();
    assert!(
        written.is_some(),
        "written on the replica while the master was still stalled"
    );
    let contents: Vec<String> = read.expect("read").into_iter().map(|m| m.content).collect();
    assert_eq!(contents.last().map(String::as_str), Some("after"));
}
