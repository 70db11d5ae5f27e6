//! The performance targets of the backend issues, checked against the cells of one run: printed
//! after the table by `cargo xtask bench`, and by `cargo xtask bench --targets FILE` for a saved
//! run (`docs/bench/latest.json`, a baseline). A target is a ratio of two medians of the same run.

use super::{Cell, paired};

/// One target: `measure` of a run against `limit`.
pub(super) struct Target {
    /// The issue and the backend, e.g. `#5 Redis`.
    pub(super) owner: &'static str,
    /// What is measured, with the limit in words.
    pub(super) what: &'static str,
    pub(super) limit: f64,
    /// `true`: the measure must be at least `limit`; `false`: at most.
    pub(super) at_least: bool,
    pub(super) measure: fn(&[Cell]) -> Option<f64>,
}

/// The median of one cell, in ns.
pub(super) fn median(cells: &[Cell], group: &str, backend: &str) -> Option<f64> {
    cells
        .iter()
        .find(|c| c.group == group && c.backend == backend)
        .map(|c| c.median_ns)
}

/// The median of cell `a` over the median of cell `b` (`(group, backend)` each).
pub(super) fn ratio(cells: &[Cell], a: (&str, &str), b: (&str, &str)) -> Option<f64> {
    Some(median(cells, a.0, a.1)? / median(cells, b.0, b.1)?)
}

/// Throughput of 16 tasks on 16 sessions (`group`: steady or as a burst) over the throughput of
/// one task appending alone.
fn scaling(cells: &[Cell], group: &str, backend: &str) -> Option<f64> {
    Some(16.0 * median(cells, "append_one", backend)? / median(cells, group, backend)?)
}

/// The throughput of 16 tasks is measured steady (`append_16_tasks_steady`: long-lived tasks);
/// the burst form (`append_16_tasks`: 16 tasks spawned and joined per 16 appends) is shown for
/// information under the targets.
const STEADY: &str = "append_16_tasks_steady";

const TARGETS: &[Target] = &[
    Target {
        owner: "#4 SQLite",
        what: "append one NORMAL >= 0.8x raw rusqlite",
        limit: 0.8,
        at_least: true,
        measure: |c| {
            ratio(
                c,
                ("append_one", "raw-rusqlite-normal"),
                ("append_one", "sqlite-normal"),
            )
        },
    },
    Target {
        owner: "#4 SQLite",
        what: "append one FULL >= 0.8x raw rusqlite",
        limit: 0.8,
        at_least: true,
        measure: |c| {
            ratio(
                c,
                ("append_one", "raw-rusqlite-full"),
                ("append_one", "sqlite-full"),
            )
        },
    },
    Target {
        owner: "#4 SQLite",
        what: "last 20 at 20,000 <= 1.5x at 100",
        limit: 1.5,
        at_least: false,
        measure: |c| {
            ratio(
                c,
                ("last20_at_20000", "sqlite-normal"),
                ("last20_at_100", "sqlite-normal"),
            )
        },
    },
    Target {
        owner: "#4 SQLite",
        what: "16 tasks FULL >= 4x one task (steady)",
        limit: 4.0,
        at_least: true,
        measure: |c| scaling(c, STEADY, "sqlite-full"),
    },
    Target {
        owner: "#9 JSON",
        what: "append one >= 0.7x raw JSON Lines + fsync",
        limit: 0.7,
        at_least: true,
        measure: |c| ratio(c, ("append_one", "raw-jsonl-fsync"), ("append_one", "json")),
    },
    Target {
        owner: "#9 JSON",
        what: "append at 20,000 <= 1.3x at 100",
        limit: 1.3,
        at_least: false,
        measure: |c| ratio(c, ("append_one_at_20000", "json"), ("append_one", "json")),
    },
    Target {
        owner: "#9 JSON",
        what: "last 20 at 20,000 <= 1.3x at 100",
        limit: 1.3,
        at_least: false,
        measure: |c| ratio(c, ("last20_at_20000", "json"), ("last20_at_100", "json")),
    },
    Target {
        owner: "#5 Redis",
        what: "append one >= 0.8x raw redis",
        limit: 0.8,
        at_least: true,
        measure: |c| ratio(c, ("append_one", "raw-redis"), ("append_one", "redis")),
    },
    Target {
        owner: "#5 Redis",
        what: "last 20 at 100 <= 1.2x raw XREVRANGE",
        limit: 1.2,
        at_least: false,
        measure: |c| {
            ratio(
                c,
                ("last20_at_100", "redis"),
                ("last20_at_100", "raw-redis"),
            )
        },
    },
    Target {
        owner: "#5 Redis",
        what: "last 20 at 20,000 <= 1.2x raw XREVRANGE",
        limit: 1.2,
        at_least: false,
        measure: |c| {
            ratio(
                c,
                ("last20_at_20000", "redis"),
                ("last20_at_20000", "raw-redis"),
            )
        },
    },
    Target {
        owner: "#5 Redis",
        what: "16 tasks >= 5x one task (steady)",
        limit: 5.0,
        at_least: true,
        measure: |c| scaling(c, STEADY, "redis"),
    },
    Target {
        owner: "#6 hybrid",
        what: "read that hits <= 1.3x the fast store",
        limit: 1.3,
        at_least: false,
        measure: |c| {
            ratio(
                c,
                ("last20_at_100", "hybrid-redis-sqlite"),
                ("last20_at_100", "redis"),
            )
        },
    },
    Target {
        owner: "#6 hybrid",
        what: "append <= 1.2x durable + fast append",
        limit: 1.2,
        at_least: false,
        measure: |c| {
            let parts =
                median(c, "append_one", "sqlite-normal")? + median(c, "append_one", "redis")?;
            Some(median(c, "append_one", "hybrid-redis-sqlite")? / parts)
        },
    },
    Target {
        owner: "#17 Postgres",
        what: "append one >= 0.8x raw tokio-postgres",
        limit: 0.8,
        at_least: true,
        measure: |c| {
            ratio(
                c,
                ("append_one", "raw-postgres"),
                ("append_one", "postgres"),
            )
        },
    },
    Target {
        owner: "#17 Postgres",
        what: "last 20 at 100 >= 0.8x raw",
        limit: 0.8,
        at_least: true,
        measure: |c| {
            ratio(
                c,
                ("last20_at_100", "raw-postgres"),
                ("last20_at_100", "postgres"),
            )
        },
    },
    Target {
        owner: "#17 Postgres",
        what: "last 20 at 20,000 >= 0.8x raw",
        limit: 0.8,
        at_least: true,
        measure: |c| {
            ratio(
                c,
                ("last20_at_20000", "raw-postgres"),
                ("last20_at_20000", "postgres"),
            )
        },
    },
    Target {
        owner: "#17 Postgres",
        what: "last 20 at 20,000 <= 1.3x at 100",
        limit: 1.3,
        at_least: false,
        measure: |c| {
            ratio(
                c,
                ("last20_at_20000", "postgres"),
                ("last20_at_100", "postgres"),
            )
        },
    },
    Target {
        owner: "#17 Postgres",
        what: "16 tasks >= 5x one task (steady)",
        limit: 5.0,
        at_least: true,
        measure: |c| scaling(c, STEADY, "postgres"),
    },
    Target {
        owner: "#17 Postgres",
        what: "page of 100 of 100,000 >= 0.8x raw",
        limit: 0.8,
        at_least: true,
        measure: |c| {
            ratio(
                c,
                ("list_100_of_100000_postgres", "raw-postgres"),
                ("list_100_of_100000_postgres", "postgres"),
            )
        },
    },
    Target {
        owner: "#17 hybrid",
        what: "Redis over Postgres hit <= 0.5x Postgres",
        limit: 0.5,
        at_least: false,
        measure: |c| {
            ratio(
                c,
                ("last20_at_100", "hybrid-redis-postgres"),
                ("last20_at_100", "postgres"),
            )
        },
    },
    Target {
        owner: "#17 remote",
        what: "append one >= 0.8x raw (remote, ~4 ms RTT)",
        limit: 0.8,
        at_least: true,
        measure: |c| remote(c, "append_one", "remote-raw-postgres", "remote-postgres"),
    },
    Target {
        owner: "#17 remote",
        what: "last 20 >= 0.8x raw (remote, ~4 ms RTT)",
        limit: 0.8,
        at_least: true,
        measure: |c| remote(c, "last20_at_100", "remote-raw-postgres", "remote-postgres"),
    },
    Target {
        owner: "#17 remote",
        what: "16 tasks >= 5x one task (remote, ~4 ms RTT)",
        limit: 5.0,
        at_least: true,
        measure: |c| scaling(c, STEADY, "remote-postgres"),
    },
    Target {
        owner: "#17 remote",
        what: "Redis over Postgres hit <= 0.5x Postgres",
        limit: 0.5,
        at_least: false,
        measure: |c| {
            remote(
                c,
                "last20_at_100",
                "hybrid-redis-remote-postgres",
                "remote-postgres",
            )
        },
    },
];

/// `a` over `b` in `group`, for the cells of `benches/remote_postgres.rs`.
fn remote(cells: &[Cell], group: &str, a: &str, b: &str) -> Option<f64> {
    ratio(cells, (group, a), (group, b))
}

/// One line per target: owner, what, the ratio of the main cells, the median ratio over the
/// paired rounds (with its range and count) when the run has them, and `met`, `MISSED` or
/// `not measured` — judged on the paired median when there is one (see `paired.rs`).
pub fn render(cells: &[Cell]) -> String {
    let rounds = paired::rounds(cells);
    let mut out = format!(
        "{:<13} {:<44} {:>8} {:>26}  {}\n",
        "issue", "target", "ratio", "paired median (range, n)", ""
    );
    let all = TARGETS.iter().chain(super::reads::TARGETS);
    for target in all.chain(super::agents::TARGETS) {
        let single = (target.measure)(cells);
        let values: Vec<f64> = rounds.iter().filter_map(|r| (target.measure)(r)).collect();
        let range = values
            .iter()
            .copied()
            .fold((f64::MAX, f64::MIN), |(lo, hi), v| (lo.min(v), hi.max(v)));
        let (count, median) = (values.len(), paired::median(values));
        let paired_text = median.map_or("-".to_owned(), |m| {
            format!("{m:.2}x ({:.2}-{:.2}, {count})", range.0, range.1)
        });
        let verdict = match median.or(single) {
            None => "not measured",
            Some(v) if target.met(v) => "met",
            Some(_) => "MISSED",
        };
        let single = single.map_or("-".to_owned(), |v| format!("{v:.2}x"));
        out.push_str(&format!(
            "{:<13} {:<44} {:>8} {:>26}  {verdict}\n",
            target.owner, target.what, single, paired_text
        ));
    }
    out + &bursts(cells, &rounds)
}

/// For information: 16 tasks as a burst over one task, for the backends with a 16-task target.
fn bursts(cells: &[Cell], rounds: &[Vec<Cell>]) -> String {
    let shown = |v: Option<f64>| v.map_or("-".to_owned(), |v| format!("{v:.2}x"));
    let mut out = String::new();
    for backend in ["sqlite-full", "redis"] {
        let values = rounds
            .iter()
            .filter_map(|r| scaling(r, "append_16_tasks", backend));
        out.push_str(&format!(
            "{:<13} {:<44} {:>8} {:>26}  (information)\n",
            "",
            format!("16 tasks as a burst, {backend}"),
            shown(scaling(cells, "append_16_tasks", backend)),
            shown(paired::median(values.collect()))
        ));
    }
    out
}

impl Target {
    fn met(&self, value: f64) -> bool {
        if self.at_least {
            value >= self.limit
        } else {
            value <= self.limit
        }
    }
}
