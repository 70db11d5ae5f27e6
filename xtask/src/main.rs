//! Project automation, run as `cargo xtask <command>`: `ci`, `lint-v2`, `bench`.
#![forbid(unsafe_code)]

mod ci;

use std::process::ExitCode;

use clap::{Parser, Subcommand};

/// Project automation for the multichat workspace.
#[derive(Debug, Parser)]
#[command(name = "cargo xtask", bin_name = "cargo xtask", version, about)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Every check CI runs, in order, failing fast: fmt, clippy, lint-v2, the tests (counts
    /// summed last as `tests: N passed, N failed`), the docs.
    Ci,
    /// The V2 size and complexity limits (docs/lint-v2.md). Exit codes: 0 clean, 1 findings,
    /// 2 a usage, configuration, I/O or parse error.
    #[command(name = "lint-v2")]
    LintV2(xtask::lint::cli::Args),
    /// The criterion benchmarks of multichat-bench, with a table beside the raw clients, the
    /// performance targets, an SVG chart in docs/bench/, and saved or compared baselines.
    Bench(xtask::bench::Options),
}

fn main() -> ExitCode {
    let code = match Cli::parse().command {
        Command::Ci => ci::run(),
        Command::LintV2(args) => xtask::lint::cli::run(&args),
        Command::Bench(options) => xtask::bench::run(&options),
    };
    ExitCode::from(u8::try_from(code).unwrap_or(1))
}
