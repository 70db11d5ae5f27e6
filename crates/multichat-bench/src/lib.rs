//! The shared workload of the multichat benchmarks: every backend is measured on the same
//! operations so one criterion run compares them side by side, next to the raw clients.
#![forbid(unsafe_code)]
#![deny(missing_docs)]

pub mod backends;
pub mod raw_jsonl;
pub mod raw_postgres;
pub mod raw_postgres_many;
pub mod raw_redis;
pub mod raw_sqlite;
pub mod raw_watch;
pub mod remote;
pub mod rounds;
pub mod scale;
pub mod watching;

use std::sync::Arc;

use multichat_core::{ChatStore, MessageQuery, NewMessage, NewSession, Result, SessionId};

/// A realistic chat message of about 200 bytes.
pub fn message(i: usize) -> NewMessage {
    let text = format!(
        "message {i}: the quick brown fox jumps over the lazy dog, and the agent answers with a short and \
         helpful reply about the weather today."
    );
    NewMessage::user(text).sender("bench-user")
}

/// Creates session `name` holding `history` messages (appended in batches of up to 1,000).
pub async fn seed_session(store: &dyn ChatStore, name: &str, history: usize) -> Result<SessionId> {
    let id = SessionId::new(name)?;
    store
        .create_session(NewSession::new(id.clone()).participant("bench-user"))
        .await?;
    let mut done = 0;
    while done < history {
        let n = (history - done).min(1000);
        store
            .append(&id, (done..done + n).map(message).collect(), None)
            .await?;
        done += n;
    }
    Ok(id)
}

/// Creates `count` sessions with one message each, for listing, from 16 concurrent tasks.
pub async fn seed_sessions(store: Arc<dyn ChatStore>, prefix: &str, count: usize) -> Result<()> {
    let mut tasks = tokio::task::JoinSet::new();
    for task in 0..16 {
        let (store, prefix) = (Arc::clone(&store), prefix.to_owned());
        tasks.spawn(async move {
            for i in (task..count).step_by(16) {
                seed_session(store.as_ref(), &format!("{prefix}{i:06}"), 1).await?;
            }
            Ok::<(), multichat_core::Error>(())
        });
    }
    while let Some(done) = tasks.join_next().await {
        done.expect("seeding task")?;
    }
    Ok(())
}

/// Appends one message to each of `ids` from a task of its own per session, all at once, and
/// waits for every one (the burst form of the concurrency benchmarks: 16 sessions, 16 tasks).
pub async fn append_concurrently(store: &Arc<dyn ChatStore>, ids: &[SessionId]) {
    append_steadily(store, ids, 1).await;
}

/// A task per session of `ids` (16 in the benchmarks), each appending `per_task` messages one
/// after the other; returns the time they took together. The steady form of the concurrency
/// benchmark: throughput of concurrent tasks without spawning and joining them per append.
pub async fn append_steadily(
    store: &Arc<dyn ChatStore>,
    ids: &[SessionId],
    per_task: u64,
) -> std::time::Duration {
    steadily(store, ids, per_task, |store, id| async move {
        store
            .append(&id, vec![message(1)], None)
            .await
            .expect("append");
    })
    .await
}

/// A task per session of `ids`, each reading the last 20 messages of its session `per_task`
/// times one after the other; returns the time they took together (the throughput of
/// concurrent readers).
pub async fn read_steadily(
    store: &Arc<dyn ChatStore>,
    ids: &[SessionId],
    per_task: u64,
) -> std::time::Duration {
    steadily(store, ids, per_task, |store, id| async move {
        let read = store.read(&id, MessageQuery::last(20)).await;
        assert_eq!(read.expect("read").len(), 20);
    })
    .await
}

/// A task per session of `ids`, each running `op` `per_task` times one after the other; the
/// time they took together.
async fn steadily<F, Fut>(
    store: &Arc<dyn ChatStore>,
    ids: &[SessionId],
    per_task: u64,
    op: F,
) -> std::time::Duration
where
    F: Fn(Arc<dyn ChatStore>, SessionId) -> Fut + Clone + Send + 'static,
    Fut: std::future::Future<Output = ()> + Send,
{
    let started = std::time::Instant::now();
    let tasks: Vec<_> = ids
        .iter()
        .map(|id| {
            let (store, id, op) = (Arc::clone(store), id.clone(), op.clone());
            tokio::spawn(async move {
                for _ in 0..per_task {
                    op(Arc::clone(&store), id.clone()).await;
                }
            })
        })
        .collect();
    for task in tasks {
        task.await.expect("task");
    }
    started.elapsed()
}

/// Whether `cargo xtask bench --quick` asked for smaller data sets.
pub fn quick() -> bool {
    std::env::var("MULTICHAT_BENCH_QUICK").is_ok_and(|v| v == "1")
}
