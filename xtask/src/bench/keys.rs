//! The target of issue #22's retry-safe appends: an append with a client key costs at most a
//! tenth more than the same append without one (`append_keyed`), on every backend.

use super::Cell;
use super::targets::{Target, ratio};

/// The plain append's time over the keyed one's, on `backend`.
fn keyed(cells: &[Cell], backend: &str) -> Option<f64> {
    let with_key = format!("{backend}-keyed");
    ratio(
        cells,
        ("append_keyed", backend),
        ("append_keyed", &with_key),
    )
}

/// One target per backend; `$name` is the backend's cell name.
macro_rules! keyed_target {
    ($name:literal) => {
        Target {
            owner: "#22",
            what: concat!("keyed append >= 0.9x plain, ", $name),
            limit: 0.9,
            at_least: true,
            measure: |c| keyed(c, $name),
        }
    };
}

pub(super) const TARGETS: &[Target] = &[
    keyed_target!("memory"),
    keyed_target!("sqlite-normal"),
    keyed_target!("json"),
    keyed_target!("redis"),
    keyed_target!("postgres"),
    keyed_target!("hybrid-redis-postgres"),
];
