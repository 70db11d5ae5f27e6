//! Paired rounds (`benches/paired.rs`, `paired_postgres.rs`, `remote_postgres.rs`,
//! `postgres_list.rs`): each round measures every
//! cell of a target list one right after the other, every other round in reverse order, so a
//! steady drift of the machine falls on both sides of each pair. Rounds are the criterion groups
//! `paired_r<k>`, cells `<operation>/<who>`, which `cargo xtask bench` reads.

use criterion::measurement::WallTime;
use criterion::{Bencher, BenchmarkId, Criterion};

use crate::quick;

/// Runs 5 rounds (2 with `--quick`) of `cells` (`(operation, who)` each, named
/// `<operation>/<who>`), taking `samples` samples of each and measuring cell `i` with
/// `measure(bencher, i)`.
pub fn run(
    c: &mut Criterion,
    cells: &[(&str, &str)],
    samples: usize,
    mut measure: impl FnMut(&mut Bencher<'_, WallTime>, usize),
) {
    let rounds = if quick() { 2 } else { 5 };
    for round in 1..=rounds {
        let mut group = c.benchmark_group(format!("paired_r{round}"));
        group.sample_size(samples);
        let mut order: Vec<usize> = (0..cells.len()).collect();
        if round % 2 == 0 {
            order.reverse();
        }
        for cell in order {
            let (operation, who) = cells[cell];
            group.bench_function(BenchmarkId::new(operation, who), |b| measure(b, cell));
        }
        group.finish();
    }
}
