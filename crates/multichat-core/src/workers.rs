//! Worker threads that take jobs from one queue — for backends whose calls block (SQLite's reads,
//! the JSON store's file work) — and the polling that spares their callers a wake-up.
//!
//! A job handed to another thread is answered there. When the caller's task has gone to sleep,
//! the answer has to wake the runtime thread that runs it, and a parked worker has to be woken
//! for the job: each costs tens of microseconds on a small machine — several times a cached
//! read. So a caller first polls for its answer for a short while, yielding to the runtime
//! between polls (other tasks run in between; nothing blocks), and only then sleeps; and a worker
//! polls its queue for a while after each job before it parks. `spawn_blocking` cannot do the
//! second: it wakes a parked pool thread for every call.

use std::thread;
use std::time::{Duration, Instant};

use crossbeam_channel::{Receiver, Sender, TryRecvError, unbounded};
use tokio::sync::oneshot;

/// How long a worker polls its queue for the next job before it parks.
const IDLE_SPIN: Duration = Duration::from_micros(50);
/// For how much of [`IDLE_SPIN`] it polls without giving up its core (a `sched_yield` between
/// polls costs about a microsecond before the thread sees its job).
const BUSY_SPIN: Duration = Duration::from_micros(10);

/// A job, given its worker's context.
type Job<C> = Box<dyn FnOnce(&mut C) + Send>;

/// Threads each owning a context `C` (a connection, or nothing), taking jobs from one queue.
///
/// Dropping it lets every worker finish the jobs already queued and end; with
/// [`Workers::joined`] the drop also waits for that (and for each context's close).
#[derive(Debug)]
pub struct Workers<C> {
    jobs: Sender<Job<C>>,
    spin: Duration,
    threads: Vec<thread::JoinHandle<()>>,
    join: bool,
}

impl<C: Send + 'static> Workers<C> {
    /// One thread named `name` per context; `close` gets the context when its thread ends.
    /// Callers poll for their answer for up to `spin` before they sleep.
    pub fn start(name: &str, contexts: Vec<C>, spin: Duration, close: fn(C)) -> Self {
        let (jobs, queue) = unbounded::<Job<C>>();
        let threads = contexts
            .into_iter()
            .map(|context| {
                let queue = queue.clone();
                thread::Builder::new()
                    .name(name.to_owned())
                    .spawn(move || run(context, &queue, close))
                    .expect("spawn a worker thread")
            })
            .collect();
        Self {
            jobs,
            spin,
            threads,
            join: false,
        }
    }

    /// Makes dropping the pool wait until every worker has ended and closed its context.
    pub fn joined(mut self) -> Self {
        self.join = true;
        self
    }

    /// Runs `op` on the next free worker and returns its result; `None` if the workers have
    /// stopped or `op` panicked (the worker goes on). The job runs to its end even if the caller
    /// stopped waiting.
    pub async fn call<T, F>(&self, op: F) -> Option<T>
    where
        T: Send + 'static,
        F: FnOnce(&mut C) -> T + Send + 'static,
    {
        let (tx, rx) = oneshot::channel();
        let job: Job<C> = Box::new(move |context| {
            let _ = tx.send(op(context));
        });
        self.jobs.send(job).ok()?;
        poll_until(|| !rx.is_empty(), self.spin).await;
        rx.await.ok()
    }
}

impl<C> Drop for Workers<C> {
    fn drop(&mut self) {
        drop(std::mem::replace(&mut self.jobs, unbounded().0));
        let current = thread::current().id();
        for worker in self.threads.drain(..) {
            // A job that drops the last handle must not wait for its own thread.
            if self.join && worker.thread().id() != current {
                let _ = worker.join();
            }
        }
    }
}

/// A worker's loop: the next job, until every handle is gone; a panicking job ends alone (its
/// caller sees no answer). Then the context is closed.
fn run<C>(mut context: C, queue: &Receiver<Job<C>>, close: fn(C)) {
    while let Some(job) = next_job(queue) {
        let _ = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| job(&mut context)));
    }
    close(context);
}

/// Yields to the runtime until `ready()` or until `spin` has passed, whichever comes first.
/// With a zero `spin`, returns at once.
pub async fn poll_until(ready: impl Fn() -> bool, spin: Duration) {
    let deadline = Instant::now() + spin;
    while !ready() && Instant::now() < deadline {
        tokio::task::yield_now().await;
    }
}

/// A worker thread's next job: polls for it first (a caller that works in a loop sends its next
/// job within microseconds, and waking a parked thread costs tens of them), then blocks. `None`
/// when every sender is gone.
///
/// It polls always, not only after recent jobs: a parked thread costs a wake-up on every call.
pub fn next_job<T>(queue: &Receiver<T>) -> Option<T> {
    let start = Instant::now();
    while start.elapsed() < IDLE_SPIN {
        match queue.try_recv() {
            Ok(job) => return Some(job),
            Err(TryRecvError::Disconnected) => return None,
            Err(TryRecvError::Empty) if start.elapsed() < BUSY_SPIN => std::hint::spin_loop(),
            Err(TryRecvError::Empty) => thread::yield_now(),
        }
    }
    queue.recv().ok()
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;
    use std::sync::atomic::{AtomicUsize, Ordering};

    use super::*;

    /// More panicking jobs than workers: each fails alone, every worker lives on and still works.
    #[tokio::test]
    async fn a_panicking_job_fails_alone_and_keeps_its_worker() {
        let workers = Workers::start("test-worker", vec![0u64, 0], Duration::ZERO, drop);
        for _ in 0..5 {
            let failed = workers
                .call(|_: &mut u64| -> u64 { panic!("injected") })
                .await;
            assert_eq!(failed, None);
        }
        for _ in 0..4 {
            let count = workers.call(|n: &mut u64| {
                *n += 1;
                *n
            });
            assert!(count.await.is_some_and(|n| n >= 1));
        }
        assert!(workers.threads.iter().all(|t| !t.is_finished()));
    }

    /// Concurrent callers through one queue each get their own answer.
    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn concurrent_jobs_each_get_their_own_answer() {
        let workers = Arc::new(Workers::start(
            "test-worker",
            vec![(), ()],
            Duration::from_micros(50),
            drop,
        ));
        let calls: Vec<_> = (0..64u64)
            .map(|i| {
                let workers = Arc::clone(&workers);
                tokio::spawn(async move { workers.call(move |_: &mut ()| i * 3).await })
            })
            .collect();
        for (i, call) in calls.into_iter().enumerate() {
            assert_eq!(call.await.expect("join"), Some(i as u64 * 3));
        }
    }

    static CLOSED: AtomicUsize = AtomicUsize::new(0);

    /// A joined pool's drop returns after every queued job ran and every context was closed.
    #[tokio::test]
    async fn dropping_a_joined_pool_runs_the_queue_then_closes_every_context() {
        let ran = Arc::new(AtomicUsize::new(0));
        let close = |_: ()| {
            CLOSED.fetch_add(1, Ordering::SeqCst);
        };
        let workers =
            Workers::start("test-worker", vec![(), (), ()], Duration::ZERO, close).joined();
        for _ in 0..20 {
            let ran = Arc::clone(&ran);
            let job: Job<()> = Box::new(move |_| {
                ran.fetch_add(1, Ordering::SeqCst);
            });
            workers.jobs.send(job).expect("queued");
        }
        drop(workers);
        assert_eq!(ran.load(Ordering::SeqCst), 20);
        assert_eq!(CLOSED.load(Ordering::SeqCst), 3);
    }
}
