//! The benchmark table's ratios and the noise-aware regression gate.

use xtask::bench::Cell;
use xtask::bench::compare::is_regression;
use xtask::bench::table::render;

fn cell(group: &str, backend: &str, median_ns: f64, spread: f64) -> Cell {
    Cell {
        group: group.into(),
        backend: backend.into(),
        median_ns,
        lower_ns: median_ns - spread,
        upper_ns: median_ns + spread,
        elements: 1,
    }
}

#[test]
fn the_table_states_the_ratio_to_the_raw_baseline_of_the_same_kind() {
    let cells = [
        cell("append_one", "raw-redis", 100_000.0, 1.0),
        cell("append_one", "redis", 125_000.0, 1.0),
        cell("append_one", "memory", 1_000.0, 1.0),
    ];
    let table = render(&cells);
    let redis = table
        .lines()
        .find(|l| l.contains(" redis "))
        .expect("redis row");
    assert!(
        redis.contains("125.0 µs") && redis.contains("8000") && redis.ends_with("0.80x"),
        "{redis}"
    );
    let memory = table
        .lines()
        .find(|l| l.contains(" memory "))
        .expect("memory row");
    assert!(
        memory.trim_end().ends_with('-'),
        "no raw baseline for memory: {memory}"
    );
}

#[test]
fn a_regression_needs_the_whole_interval_past_the_threshold() {
    let before = cell("g", "b", 100.0, 5.0);
    assert!(
        !is_regression(&before, &cell("g", "b", 112.0, 5.0), 10.0),
        "within noise"
    );
    assert!(is_regression(&before, &cell("g", "b", 130.0, 5.0), 10.0));
    assert!(
        !is_regression(&before, &cell("g", "b", 130.0, 30.0), 10.0),
        "a wide interval is not proof"
    );
    assert!(
        !is_regression(&before, &cell("g", "b", 50.0, 5.0), 10.0),
        "faster"
    );
}

#[test]
fn the_targets_are_ratios_of_one_run_checked_against_their_limits() {
    let cells = [
        cell("append_one", "raw-redis", 100_000.0, 1.0),
        cell("append_one", "redis", 125_000.0, 1.0),
        cell("append_16_tasks", "redis", 410_000.0, 1.0),
        cell("last20_at_100", "raw-redis", 100_000.0, 1.0),
        cell("last20_at_100", "redis", 119_000.0, 1.0),
    ];
    let report = xtask::bench::targets::render(&cells);
    let line = |what: &str| {
        report
            .lines()
            .find(|l| l.contains(what))
            .unwrap_or_else(|| panic!("no line for {what}: {report}"))
            .to_owned()
    };
    let append = line("append one >= 0.8x raw redis");
    assert!(
        append.ends_with("0.80x  met"),
        "at the limit is met: {append}"
    );
    let tasks = line("16 tasks >= 5x one task");
    assert!(tasks.ends_with("4.88x  MISSED"), "16 × 125 / 410: {tasks}");
    let read = line("last 20 at 100 <= 1.2x raw XREVRANGE");
    assert!(read.ends_with("1.19x  met"), "{read}");
    let unmeasured = line("last 20 at 20,000 <= 1.2x raw XREVRANGE");
    assert!(unmeasured.ends_with("-  not measured"), "{unmeasured}");
}
