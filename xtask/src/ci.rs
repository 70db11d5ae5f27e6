//! `cargo xtask ci`: every check CI runs, in order, failing fast. The test step's counts are
//! summed and printed last as `tests: N passed, N failed`.

use std::io::{BufRead, BufReader};
use std::process::{Command, ExitStatus, Stdio};

/// One step of CI: a name for the log, the cargo arguments and extra environment.
struct Step {
    name: &'static str,
    args: &'static [&'static str],
    env: &'static [(&'static str, &'static str)],
}

const STEPS: &[Step] = &[
    Step {
        name: "format",
        args: &["fmt", "--all", "--check"],
        env: &[],
    },
    Step {
        name: "clippy",
        args: &[
            "clippy",
            "--workspace",
            "--all-targets",
            "--locked",
            "--",
            "-D",
            "warnings",
        ],
        env: &[],
    },
    Step {
        name: "lint-v2",
        args: &["run", "--quiet", "--package", "xtask", "--", "lint-v2"],
        env: &[],
    },
    Step {
        name: "tests",
        args: &["test", "--workspace", "--locked"],
        env: &[],
    },
    Step {
        name: "docs",
        args: &["doc", "--workspace", "--no-deps", "--locked"],
        env: &[(
            "RUSTDOCFLAGS",
            "-D warnings -D rustdoc::broken_intra_doc_links",
        )],
    },
];

/// Runs every step; returns the process exit code (0 when all passed).
pub fn run() -> i32 {
    let mut counts = (0, 0);
    for step in STEPS {
        eprintln!("==> cargo xtask ci: {}", step.name);
        let status = run_step(step, &mut counts);
        match status {
            Ok(s) if s.success() => {}
            Ok(s) => {
                eprintln!("==> cargo xtask ci: step `{}` failed ({s})", step.name);
                println!("tests: {} passed, {} failed", counts.0, counts.1.max(1));
                return s.code().unwrap_or(1);
            }
            Err(e) => {
                eprintln!(
                    "==> cargo xtask ci: cannot run cargo for `{}`: {e}",
                    step.name
                );
                return 2;
            }
        }
    }
    eprintln!("==> cargo xtask ci: all steps passed");
    println!("tests: {} passed, {} failed", counts.0, counts.1);
    0
}

/// Runs one step, echoing its output and adding the `test result:` counts it prints.
fn run_step(step: &Step, counts: &mut (u64, u64)) -> std::io::Result<ExitStatus> {
    let mut child = Command::new(xtask::cargo())
        .args(step.args)
        .envs(step.env.iter().copied())
        .stdout(Stdio::piped())
        .spawn()?;
    let stdout = child.stdout.take().expect("piped stdout");
    for line in BufReader::new(stdout).lines() {
        let line = line?;
        println!("{line}");
        let (passed, failed) = parse_result(&line);
        counts.0 += passed;
        counts.1 += failed;
    }
    child.wait()
}

/// `test result: ok. 40 passed; 0 failed; …` gives `(40, 0)`; any other line `(0, 0)`.
fn parse_result(line: &str) -> (u64, u64) {
    let Some(rest) = line.strip_prefix("test result: ") else {
        return (0, 0);
    };
    let number = |word: &str| {
        rest.split(';').find_map(|part| {
            part.trim()
                .strip_suffix(word)?
                .split_whitespace()
                .last()?
                .parse()
                .ok()
        })
    };
    (
        number(" passed").unwrap_or(0),
        number(" failed").unwrap_or(0),
    )
}
