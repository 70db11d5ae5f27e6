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

/// The target `$what` (with `$limit`, at least or at most) of backend `$name`, measured by
/// `$measure(cells, $name)`.
macro_rules! target {
    ($what:literal, $limit:literal, $at_least:literal, $measure:ident, $name:literal) => {
        Target {
            owner: "#22",
            what: concat!($what, ", ", $name),
            limit: $limit,
            at_least: $at_least,
            measure: |c| $measure(c, $name),
        }
    };
}

pub(super) const TARGETS: &[Target] = &[
    target!("keyed append >= 0.9x plain", 0.9, true, keyed, "memory"),
    target!(
        "keyed append >= 0.9x plain",
        0.9,
        true,
        keyed,
        "sqlite-normal"
    ),
    target!("keyed append >= 0.9x plain", 0.9, true, keyed, "json"),
    target!("keyed append >= 0.9x plain", 0.9, true, keyed, "redis"),
    target!("keyed append >= 0.9x plain", 0.9, true, keyed, "postgres"),
    target!(
        "keyed append >= 0.9x plain",
        0.9,
        true,
        keyed,
        "hybrid-redis-postgres"
    ),
    target!(
        "budget window <= 1.5x last 40",
        1.5,
        false,
        window,
        "sqlite-normal"
    ),
    target!("budget window <= 1.5x last 40", 1.5, false, window, "json"),
    target!("budget window <= 1.5x last 40", 1.5, false, window, "redis"),
    target!(
        "budget window <= 1.5x last 40",
        1.5,
        false,
        window,
        "postgres"
    ),
];
