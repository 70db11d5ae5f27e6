//! Auto-pipelining of script calls on one server: a call made while others are under way joins a
//! queue, and the queue goes out as one pipeline — one write and one read on each side instead of
//! one per call, which is most of a call's CPU on the client (measured in `docs/benchmarks.md`).
//!
//! A call made while no other is under way is sent at once, so a lone caller waits for nothing.
//! The first call to join an empty queue sends it, after one `yield_now` that lets the calls
//! ready on the same thread join. Each command of the pipeline is still one script, atomic on its
//! own; the pipeline only shares the round trip. Nothing is lost to cancellation: when the caller
//! sending a queue is dropped (a timeout, a `select!`), the rest of the work moves to a task of
//! its own, so the other callers still get their replies.

use std::future::Future;
use std::pin::Pin;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, PoisonError};

use redis::aio::{ConnectionLike, ConnectionManager};
use redis::{RedisError, Value};
use tokio::sync::oneshot;

use crate::calls::{Call, Job, Reply, deliver};

/// The queue in front of one connection.
pub(crate) struct Batcher {
    conn: ConnectionManager,
    index_prefix: String,
    queue: Mutex<Vec<Job>>,
    /// Calls under way (sent alone, queued or on the wire).
    active: AtomicUsize,
}

impl Batcher {
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
            let sender = Sender(Some(Arc::clone(self)));
            tokio::task::yield_now().await;
            InFlight(Some(sender.take())).finish().await;
        }
        answer.await.unwrap_or_else(|_| Err(lost()))
    }
}

/// The right to send the queue it opened; dropped unused (its caller was cancelled while
/// waiting for others to join), it sends the queue from a task of its own.
struct Sender(Option<Arc<Batcher>>);

impl Sender {
    /// Takes the queue, as a pipeline about to be sent.
    fn take(mut self) -> Flight {
        let batcher = self.0.take().expect("a sender is used once");
        let jobs =
            std::mem::take(&mut *batcher.queue.lock().unwrap_or_else(PoisonError::into_inner));
        Box::pin(async move { deliver(batcher.conn.clone(), jobs, &batcher.index_prefix).await })
    }
}

impl Drop for Sender {
    fn drop(&mut self) {
        if self.0.is_some() {
            let flight = Self(self.0.take()).take();
            drop(InFlight(Some(flight)));
        }
    }
}

type Flight = Pin<Box<dyn Future<Output = ()> + Send>>;

/// A pipeline on its way: awaited by the caller that sent it, or finished on a task of its own if
/// that caller is dropped first.
struct InFlight(Option<Flight>);

impl InFlight {
    async fn finish(mut self) {
        if let Some(flight) = self.0.as_mut() {
            flight.await;
        }
        self.0 = None;
    }
}

impl Drop for InFlight {
    fn drop(&mut self) {
        if let Some(flight) = self.0.take()
            && let Ok(runtime) = tokio::runtime::Handle::try_current()
        {
            runtime.spawn(flight);
        }
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
