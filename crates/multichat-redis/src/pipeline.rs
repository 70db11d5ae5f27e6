//! Auto-pipelining of script calls on one server: a call made while others are under way joins a
//! queue, and the queue goes out as one pipeline — its appends merged into script calls of many
//! sessions, one write and one read on each side instead of one per call (measured in
//! `docs/benchmarks.md`).
//!
//! A call made while no other is under way is sent at once, so a lone caller waits for nothing.
//! The call that opens an empty queue spawns the task that sends it; that task yields once first,
//! so the calls ready on the same thread join. The queue never depends on a caller being polled:
//! a caller that is dropped or left unpolled (a timeout, a `select!`) holds up no one, and every
//! queued call is sent and its caller, if still there, gets its reply. Each session's append stays
//! one atomic script step of its own; the pipeline only shares the round trip.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, PoisonError};

use redis::aio::{ConnectionLike, ConnectionManager};
use redis::{RedisError, Value};
use tokio::sync::oneshot;

use crate::calls::{Call, Job, Reply, deliver};

/// The queue in front of one connection.
pub(crate) struct AutoPipeline {
    conn: ConnectionManager,
    index_prefix: String,
    queue: Mutex<Vec<Job>>,
    /// Calls under way (sent alone, queued or on the wire).
    active: AtomicUsize,
}

impl AutoPipeline {
    pub(crate) fn new(conn: ConnectionManager, index_prefix: &str) -> Self {
        Self {
            conn,
            index_prefix: index_prefix.to_owned(),
            queue: Mutex::new(Vec::new()),
            active: AtomicUsize::new(0),
        }
    }

    /// Sends `call`, alone or in a pipeline with the calls made at the same time (appends merged
    /// into one script call); a server error in the reply is returned as `Err`.
    pub(crate) async fn run(self: &Arc<Self>, call: Call) -> Reply {
        let active = Active::enter(&self.active);
        if active.alone {
            let mut conn = self.conn.clone();
            let cmd = call.command(&self.index_prefix, false);
            return conn
                .req_packed_command(&cmd)
                .await
                .and_then(Value::extract_error);
        }
        let (reply, answer) = oneshot::channel();
        let opened = {
            let mut queue = self.queue.lock().unwrap_or_else(PoisonError::into_inner);
            queue.push(Job { call, reply });
            queue.len() == 1
        };
        if opened {
            tokio::spawn(Arc::clone(self).send_queue());
        }
        answer.await.unwrap_or_else(|_| Err(lost()))
    }

    /// Sends the queue, after letting the calls ready on this thread join it.
    async fn send_queue(self: Arc<Self>) {
        tokio::task::yield_now().await;
        let jobs = std::mem::take(&mut *self.queue.lock().unwrap_or_else(PoisonError::into_inner));
        deliver(self.conn.clone(), jobs, &self.index_prefix).await;
    }
}

/// A call under way, counted while it lives.
struct Active<'a> {
    count: &'a AtomicUsize,
    alone: bool,
}

impl<'a> Active<'a> {
    fn enter(count: &'a AtomicUsize) -> Self {
        let before = count.fetch_add(1, Ordering::AcqRel);
        Self {
            count,
            alone: before == 0,
        }
    }
}

impl Drop for Active<'_> {
    fn drop(&mut self) {
        self.count.fetch_sub(1, Ordering::AcqRel);
    }
}

/// The error of a call whose pipeline was dropped before its reply came (the runtime shut down).
fn lost() -> RedisError {
    std::io::Error::new(
        std::io::ErrorKind::BrokenPipe,
        "the reply was lost: the pipeline carrying the call was dropped",
    )
    .into()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A panic in a task holding the queue (poisoning its lock, taking its jobs): the calls it
    /// took get an error, and later calls, alone or queued, still go out.
    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn a_panic_holding_the_queue_fails_only_the_calls_it_held() {
        let Some(server) = multichat_testkit::RedisServer::start() else {
            return;
        };
        let client = redis::Client::open(server.url()).expect("client");
        let conn = ConnectionManager::new(client).await.expect("connect");
        let pipeline = Arc::new(AutoPipeline::new(conn, "t:idx:"));
        let (reply, answer) = oneshot::channel();
        pipeline.queue.lock().expect("lock").push(Job {
            call: Call::Cmd(redis::cmd("PING")),
            reply,
        });
        let dying = Arc::clone(&pipeline);
        let died = std::thread::spawn(move || {
            let mut queue = dying.queue.lock().expect("lock");
            let _taken = std::mem::take(&mut *queue);
            panic!("injected");
        })
        .join();
        assert!(died.is_err() && pipeline.queue.is_poisoned());
        assert!(
            answer.await.is_err(),
            "the held call gets no reply, so an error"
        );
        // A call counted as under way: every call below goes through the (poisoned) queue.
        let _under_way = Active::enter(&pipeline.active);
        let calls = (0..8).map(|n| {
            let pipeline = Arc::clone(&pipeline);
            tokio::spawn(async move {
                pipeline
                    .run(Call::Cmd(redis::cmd("ECHO").arg(n).clone()))
                    .await
            })
        });
        for (n, call) in calls.enumerate() {
            let value = call.await.expect("task").expect("the pipeline still works");
            assert_eq!(value, Value::BulkString(n.to_string().into_bytes()));
        }
    }
}
