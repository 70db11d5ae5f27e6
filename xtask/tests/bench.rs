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
        cell("append_16_tasks_steady", "redis", 410_000.0, 1.0),
        cell("append_16_tasks", "redis", 500_000.0, 1.0),
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
        append.ends_with("0.80x                          -  met"),
        "at the limit is met; no paired rounds: {append}"
    );
    let tasks = line("16 tasks >= 5x one task (steady)");
    assert!(
        tasks.contains("4.88x ") && tasks.ends_with("MISSED"),
        "16 × 125 / 410: {tasks}"
    );
    let burst = line("16 tasks as a burst, redis");
    assert!(
        burst.contains(" 4.00x ") && burst.ends_with("(information)"),
        "16 × 125 / 500, not a target: {burst}"
    );
    let read = line("last 20 at 100 <= 1.2x raw XREVRANGE");
    assert!(read.contains("1.19x ") && read.ends_with(" met"), "{read}");
    let unmeasured = line("last 20 at 20,000 <= 1.2x raw XREVRANGE");
    assert!(unmeasured.ends_with("-  not measured"), "{unmeasured}");
}

/// One paired round: the store's and the raw append, and 16 steady concurrent appends, in µs.
fn round(k: u32, raw: f64, store: f64, sixteen: f64) -> [Cell; 3] {
    let group = format!("paired_r{k}");
    [
        cell(&group, "append_one/raw-redis", raw * 1e3, 1.0),
        cell(&group, "append_one/redis", store * 1e3, 1.0),
        cell(&group, "append_16_tasks_steady/redis", sixteen * 1e3, 1.0),
    ]
}

#[test]
fn with_paired_rounds_a_target_is_judged_on_the_median_of_the_rounds_ratios() {
    let mut cells = vec![
        // The main cells miss both targets (a slow stretch on the store's side).
        cell("append_one", "raw-redis", 60_000.0, 1.0),
        cell("append_one", "redis", 80_000.0, 1.0),
        cell("append_16_tasks_steady", "redis", 300_000.0, 1.0),
    ];
    // Append ratios 0.90, 0.70, 0.85 (median 0.85); scaling 5.6, 6.4, 4.0 (median 5.6).
    cells.extend(round(1, 63.0, 70.0, 200.0));
    cells.extend(round(2, 56.0, 80.0, 200.0));
    cells.extend(round(3, 59.5, 70.0, 280.0));
    let report = xtask::bench::targets::render(&cells);
    let line = |what: &str| {
        report
            .lines()
            .find(|l| l.contains(what))
            .expect(what)
            .to_owned()
    };
    let append = line("append one >= 0.8x raw redis");
    assert!(
        append.contains(" 0.75x ") && append.ends_with("0.85x (0.70-0.90, 3)  met"),
        "{append}"
    );
    let tasks = line("16 tasks >= 5x one task (steady)");
    assert!(
        tasks.contains(" 4.27x ") && tasks.ends_with("5.60x (4.00-6.40, 3)  met"),
        "{tasks}"
    );
    cells.extend(round(4, 40.0, 70.0, 300.0));
    cells.extend(round(5, 40.0, 70.0, 300.0));
    let report = xtask::bench::targets::render(&cells);
    let append = report
        .lines()
        .find(|l| l.contains("append one >= 0.8x"))
        .expect("line");
    assert!(append.ends_with("0.70x (0.57-0.90, 5)  MISSED"), "{append}");
}

#[test]
fn paired_cells_are_read_back_per_round_under_their_main_names() {
    let cells = [
        cell("paired_r2", "append_one/redis", 2.0, 0.0),
        cell("paired_r1", "append_one/redis", 1.0, 0.0),
        cell("paired_r1", "last20_at_100/raw-redis", 3.0, 0.0),
        cell("append_one", "redis", 9.0, 0.0),
    ];
    let rounds = xtask::bench::paired::rounds(&cells);
    assert_eq!(rounds.len(), 2);
    assert_eq!(rounds[0].len(), 2);
    assert_eq!(
        (rounds[0][1].group.as_str(), rounds[0][1].backend.as_str()),
        ("last20_at_100", "raw-redis")
    );
    assert_eq!(rounds[1][0].median_ns, 2.0);
    assert!(!xtask::bench::paired::is_paired(&cells[3]));
    assert_eq!(
        xtask::bench::paired::median(vec![3.0, 1.0, 2.0, 10.0]),
        Some(2.5)
    );
    assert_eq!(xtask::bench::paired::median(vec![]), None);
}
