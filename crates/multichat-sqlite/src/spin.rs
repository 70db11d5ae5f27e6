//! Waiting for work or an answer from another thread without paying for a wake-up.
//!
//! A write is answered by the writer thread and a read by a reader thread. When the caller's task
//! has gone to sleep, the answer has to wake the runtime thread that runs it, and a parked worker
//! thread has to be woken for the job: each costs tens of microseconds on a small machine — as
//! much as a whole append in `NORMAL` mode, and several times a cached read. So a caller first
//! polls for its answer for a short while, yielding to the runtime between polls (other tasks run
//! in between; nothing blocks), and only then sleeps; and a worker thread polls its queue for a
//! while after each job before it parks.

use std::thread;
use std::time::{Duration, Instant};

use crossbeam_channel::{Receiver, TryRecvError};

/// How long a worker thread polls its queue for the next job before it parks.
const IDLE_SPIN: Duration = Duration::from_micros(50);
/// For how much of [`IDLE_SPIN`] it polls without giving up its core (a `sched_yield` between
/// polls costs about a microsecond before the thread sees its job).
const BUSY_SPIN: Duration = Duration::from_micros(10);

/// Yields to the runtime until `ready()` or until `spin` has passed, whichever comes first.
/// With a zero `spin`, returns at once.
pub async fn until(ready: impl Fn() -> bool, spin: Duration) {
    let deadline = Instant::now() + spin;
    while !ready() && Instant::now() < deadline {
        tokio::task::yield_now().await;
    }
}

/// A worker thread's next job: polls for it first, yielding its core between polls (a caller
/// that works in a loop sends its next job within microseconds, and waking a parked thread costs
/// tens of them), then blocks. `None` when every sender is gone.
///
/// It polls always, not only after recent jobs: a parked thread costs a wake-up on every call
/// (measured in `docs/benchmarks.md`, "Design decisions").
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
