//! Waiting for an answer from another thread without paying for a wake-up.
//!
//! A write is answered by the writer thread. When the caller's task has gone to sleep, the answer
//! has to wake the runtime thread that runs it, which costs tens of microseconds on a small
//! machine — as much as a whole append in `NORMAL` mode. So a caller first polls for its answer for
//! a short while, yielding to the runtime between polls (other tasks run in between; nothing
//! blocks), and only then sleeps. Reads in `spawn_blocking` do not poll: they measured slower with
//! it (`docs/benchmarks.md`, "Design decisions").

use std::time::{Duration, Instant};

/// Yields to the runtime until `ready()` or until `spin` has passed, whichever comes first.
/// With a zero `spin`, returns at once.
pub async fn until(ready: impl Fn() -> bool, spin: Duration) {
    let deadline = Instant::now() + spin;
    while !ready() && Instant::now() < deadline {
        tokio::task::yield_now().await;
    }
}
