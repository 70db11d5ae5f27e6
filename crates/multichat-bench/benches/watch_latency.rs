//! The latency of a watch: from an append's return to the delivery of its message to a consumer
//! waiting on the watch (a task of its own, noting the time it got it), per backend, beside a
//! bare `XREAD BLOCK` and a bare `LISTEN` in the same run (`multichat_bench::raw_watch`). Each
//! criterion iteration is one append and its delivery; a delivery before the append returned
//! counts 0. The bench also prints each cell's p10, p50, p90 and p99 over every delivery it
//! timed.

use std::sync::Arc;
use std::time::{Duration, Instant};

use criterion::{BenchmarkId, Criterion, criterion_group, criterion_main};
use multichat_bench::raw_watch::RawFollow;
use multichat_bench::watching::{self, Followed};
use tokio::runtime::Runtime;
use tokio::sync::Mutex;

/// A cell: a store's watch or a raw follower.
enum Subject {
    Store(Followed),
    Raw(RawFollow),
}

impl Subject {
    /// One write and its delivery: the time from the write's return to the delivery.
    async fn once(&mut self) -> Duration {
        let (written, delivered) = match self {
            Self::Store(s) => {
                s.write().await;
                (Instant::now(), s.delivered().await)
            }
            Self::Raw(r) => {
                r.write().await;
                (Instant::now(), r.delivered().await)
            }
        };
        delivered.saturating_duration_since(written)
    }
}

/// The `q` quantile of `times` (sorted here).
fn quantile(times: &mut [Duration], q: f64) -> Duration {
    times.sort();
    times[((times.len() - 1) as f64 * q) as usize]
}

fn latency(c: &mut Criterion) {
    let rt = Runtime::new().expect("runtime");
    let mut cells: Vec<(String, Subject)> = rt
        .block_on(watching::all())
        .into_iter()
        .map(|f| (f.name.to_owned(), Subject::Store(f)))
        .collect();
    cells.push((
        "raw-xread".into(),
        Subject::Raw(rt.block_on(RawFollow::redis())),
    ));
    cells.push((
        "raw-listen".into(),
        Subject::Raw(rt.block_on(RawFollow::postgres())),
    ));
    let mut group = c.benchmark_group("watch_latency");
    group.sample_size(20);
    for (name, subject) in cells {
        let subject = Arc::new(Mutex::new(subject));
        let times = Arc::new(std::sync::Mutex::new(Vec::new()));
        group.bench_function(BenchmarkId::from_parameter(&name), |b| {
            b.to_async(&rt).iter_custom(|iters| {
                let (subject, times) = (Arc::clone(&subject), Arc::clone(&times));
                async move {
                    let mut subject = subject.lock().await;
                    let mut total = Duration::ZERO;
                    for _ in 0..iters {
                        let one = subject.once().await;
                        times.lock().expect("times").push(one);
                        total += one;
                    }
                    total
                }
            })
        });
        let mut times = times.lock().expect("times");
        if times.is_empty() {
            continue; // filtered out
        }
        let [p10, p50, p90, p99] = [0.1, 0.5, 0.9, 0.99].map(|q| quantile(&mut times, q));
        println!(
            "watch_latency/{name}: p10 {p10:?}, p50 {p50:?}, p90 {p90:?}, p99 {p99:?} over {} \
             deliveries",
            times.len()
        );
    }
    group.finish();
}

criterion_group!(benches, latency);
criterion_main!(benches);
