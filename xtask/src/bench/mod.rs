//! `cargo xtask bench [--quick] [--save NAME] [--compare NAME [--threshold PCT]]`: runs the
//! criterion benchmarks of `multichat-bench` (starting its own Redis through the test kit), prints
//! a table (operation × backend: median, throughput, ratio to the raw baseline of the same kind)
//! and the backend issues' performance targets (for the Redis ones also the median over the
//! paired rounds of `benches/paired.rs`, see `paired.rs`), writes them with an SVG bar chart to
//! `docs/bench/`, and saves or compares baselines. `cargo xtask bench --targets FILE` checks the
//! targets against a saved run (`docs/bench/latest.json`) without running anything.

mod agents;
mod collect;
pub mod compare;
pub mod paired;
mod reads;
mod svg;
pub mod table;
pub mod targets;

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::SystemTime;

use serde::{Deserialize, Serialize};

/// One measured benchmark: an operation (criterion group) on one backend.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Cell {
    /// The operation, e.g. `append_one`.
    pub group: String,
    /// The backend or baseline, e.g. `sqlite-normal`, `raw-redis`.
    pub backend: String,
    /// Median time per iteration, in nanoseconds.
    pub median_ns: f64,
    /// Lower bound of the median's 95 % confidence interval.
    pub lower_ns: f64,
    /// Upper bound of the median's 95 % confidence interval.
    pub upper_ns: f64,
    /// Operations per iteration (messages appended, 1 for reads).
    pub elements: u64,
}

/// The benchmarks' command line.
#[derive(Debug, clap::Args)]
pub struct Options {
    /// Shorter measurement (fewer samples): for a quick look, not for a report.
    #[arg(long)]
    quick: bool,
    /// Save the run as the baseline NAME (`target/bench-baselines/NAME.json`).
    #[arg(long, value_name = "NAME")]
    save: Option<String>,
    /// Compare the run with the baseline NAME; exit 1 if an operation regressed.
    #[arg(long, value_name = "NAME")]
    compare: Option<String>,
    /// The slowdown, in percent, that counts as a regression.
    #[arg(long, default_value_t = 10.0, value_name = "PCT", requires = "compare")]
    threshold: f64,
    /// Check the targets against a saved run (e.g. `docs/bench/latest.json`) without running.
    #[arg(long, value_name = "FILE", conflicts_with_all = ["quick", "save", "compare"])]
    targets: Option<String>,
}

/// Runs the benchmarks as `options` ask; returns the exit code.
pub fn run(options: &Options) -> i32 {
    match execute(options) {
        Ok(code) => code,
        Err(message) => {
            eprintln!("error: {message}");
            2
        }
    }
}

fn execute(options: &Options) -> Result<i32, String> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .unwrap_or(Path::new("."))
        .to_path_buf();
    if let Some(file) = &options.targets {
        print!("{}", targets::render(&compare::load(Path::new(file))?));
        return Ok(0);
    }
    let started = SystemTime::now();
    run_criterion(&root, options.quick)?;
    let cells = collect::cells(&root.join("target/criterion"), started)?;
    let main: Vec<Cell> = cells
        .iter()
        .filter(|c| !paired::is_paired(c))
        .cloned()
        .collect();
    let rendered = format!("{}\n{}", table::render(&main), targets::render(&cells));
    print!("{rendered}");
    write_report(&root, &rendered, &cells, &main)?;
    if let Some(name) = &options.save {
        compare::save(&baseline_path(&root, name), &cells)?;
    }
    let Some(name) = &options.compare else {
        return Ok(0);
    };
    let regressed = compare::compare(
        &compare::load(&baseline_path(&root, name))?,
        &cells,
        options.threshold,
    );
    Ok(i32::from(regressed))
}

fn run_criterion(root: &Path, quick: bool) -> Result<(), String> {
    let timing: &[&str] = if quick {
        &[
            "--warm-up-time",
            "0.2",
            "--measurement-time",
            "0.5",
            "--sample-size",
            "10",
        ]
    } else {
        &["--warm-up-time", "1", "--measurement-time", "3"]
    };
    let status = Command::new(crate::cargo())
        .current_dir(root)
        .args([
            "bench",
            "--package",
            "multichat-bench",
            "--benches",
            "--",
            "--noplot",
        ])
        .args(timing)
        .env("MULTICHAT_BENCH_QUICK", if quick { "1" } else { "0" })
        .status()
        .map_err(|e| format!("cannot run cargo bench: {e}"))?;
    if !status.success() {
        return Err(format!("cargo bench failed ({status})"));
    }
    Ok(())
}

fn baseline_path(root: &Path, name: &str) -> PathBuf {
    root.join("target/bench-baselines")
        .join(format!("{name}.json"))
}

/// Writes the table and targets, the chart of the main cells, and every cell as JSON.
fn write_report(root: &Path, table: &str, cells: &[Cell], main: &[Cell]) -> Result<(), String> {
    let dir = root.join("docs/bench");
    std::fs::create_dir_all(&dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    let write = |name: &str, text: String| {
        std::fs::write(dir.join(name), text).map_err(|e| format!("{name}: {e}"))
    };
    write("latest.md", format!("```text\n{table}```\n"))?;
    write("latest.svg", svg::chart(main))?;
    write(
        "latest.json",
        serde_json::to_string_pretty(cells).unwrap_or_default(),
    )?;
    eprintln!("wrote docs/bench/latest.md, latest.svg, latest.json");
    Ok(())
}
