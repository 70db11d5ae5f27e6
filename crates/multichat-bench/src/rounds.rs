//! Paired rounds (`benches/paired.rs`, `benches/paired_postgres.rs`): each round measures every
//! cell of a target list one right after the other, every other round in reverse order, so a
//! steady drift of the machine falls on both sides of each pair. Rounds are the criterion groups
//! `paired_r<k>`, cells `<operation>/<who>`, which `cargo xtask bench` reads.

use criterion::measurement::WallTime;
use criterion::{BenchmarkGroup, Criterion};

use crate::quick;

/// Runs 5 rounds (2 with `--quick`) of `cells` (their count), measuring each with `measure`.
pub fn run(
    c: &mut Criterion,
    cells: usize,
    mut measure: impl FnMut(&mut BenchmarkGroup<'_, WallTime>, usize),
) {
    let rounds = if quick() { 2 } else { 5 };
    for round in 1..=rounds {
        let mut group = c.benchmark_group(format!("paired_r{round}"));
        let mut order: Vec<usize> = (0..cells).collect();
        if round % 2 == 0 {
            order.reverse();
        }
        for cell in order {
            measure(&mut group, cell);
        }
        group.finish();
    }
}
