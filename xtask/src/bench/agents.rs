//! The targets of issue #22 (what agent applications ask for): an append with a client key costs
//! at most a tenth more than the same append without one (`append_keyed`), and a context window
//! by token budget at most half again the last 40 it returns (`budget_4000_at_20000`), on every
//! backend.

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

/// The budget read's time over the last 40's (the window holds 40 messages), on `backend`.
fn window(cells: &[Cell], backend: &str) -> Option<f64> {
    let last40 = format!("{backend}-last40");
    let group = "budget_4000_at_20000";
    ratio(cells, (group, backend), (group, &last40))
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

/// One target per backend; `$name` is the backend's cell name.
macro_rules! window_target {
    ($name:literal) => {
        Target {
            owner: "#22",
            what: concat!("budget window <= 1.5x last 40, ", $name),
            limit: 1.5,
            at_least: false,
            measure: |c| window(c, $name),
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
    window_target!("sqlite-normal"),
    window_target!("json"),
    window_target!("redis"),
    window_target!("postgres"),
];
