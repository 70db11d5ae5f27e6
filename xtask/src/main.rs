//! Project automation, run as `cargo xtask <command>`: `ci`, `lint-v2`, `bench`.
#![forbid(unsafe_code)]

mod ci;

use std::process::ExitCode;

const USAGE: &str = "usage: cargo xtask <ci | lint-v2 [--path P] [--format human|json|metrics] [--baseline F [--bless]] | bench [--quick] [--save NAME] [--compare NAME [--threshold PCT]] | bench --targets FILE>";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let code = match args.first().map(String::as_str) {
        Some("ci") => ci::run(),
        Some("lint-v2") => xtask::lint::cli::run(&args[1..]),
        Some("bench") => xtask::bench::run(&args[1..]),
        _ => {
            eprintln!("{USAGE}");
            2
        }
    };
    ExitCode::from(u8::try_from(code).unwrap_or(1))
}
