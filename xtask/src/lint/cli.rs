//! `cargo xtask lint-v2 [--path P] [--config Cargo.toml] [--format human|json|metrics]
//! [--baseline FILE [--bless]]`. Exit codes: 0 clean, 1 findings, 2 usage/config/IO/parse error.

use std::path::{Path, PathBuf};
use std::time::Instant;

use super::config::Config;
use super::{baseline, lint_sources, report, walk};

/// The lint's command line.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Lint this directory instead of the workspace (its `Cargo.toml`, if any, configures it).
    #[arg(long)]
    path: Option<PathBuf>,
    /// Read `[workspace.metadata.lint-v2]` from this manifest.
    #[arg(long)]
    config: Option<PathBuf>,
    /// How findings are printed.
    #[arg(long, default_value = "human", value_parser = ["human", "json", "metrics"])]
    format: String,
    /// Tolerate the findings recorded in this file; report only new or worse ones.
    #[arg(long)]
    baseline: Option<PathBuf>,
    /// Write the current findings to the baseline file instead of checking against it.
    #[arg(long, requires = "baseline")]
    bless: bool,
}

/// Runs the lint as `args` ask; returns the exit code (0 clean, 1 findings, 2 an error).
pub fn run(args: &Args) -> i32 {
    match execute(args) {
        Ok(code) => code,
        Err(message) => {
            eprintln!("error: {message}");
            2
        }
    }
}

fn execute(args: &Args) -> Result<i32, String> {
    let started = Instant::now();
    let workspace = Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .unwrap_or(Path::new("."))
        .to_path_buf();
    let root = args.path.clone().unwrap_or(workspace);
    let config = load_config(args, &root)?;
    let sources = read_sources(&root, &config, args.path.is_some())?;
    let mut report = lint_sources(&sources, &config).map_err(|e| {
        format!(
            "{}:{}:{}: cannot parse: {}",
            e.path, e.at.line, e.at.column, e.message
        )
    })?;
    if let Some(path) = &args.baseline {
        if args.bless {
            std::fs::write(path, baseline::bless(&report.findings))
                .map_err(|e| format!("{}: {e}", path.display()))?;
            eprintln!(
                "lint-v2: baseline {} rewritten with {} finding(s)",
                path.display(),
                report.findings.len()
            );
            return Ok(0);
        }
        let text = std::fs::read_to_string(path).map_err(|e| format!("{}: {e}", path.display()))?;
        report.findings = baseline::compare(report.findings, &baseline::parse(&text)?);
    }
    print!("{}", render(&report, &args.format));
    eprintln!(
        "lint-v2: checked {} file(s) in {:.1} ms",
        sources.len(),
        started.elapsed().as_secs_f64() * 1e3
    );
    Ok(i32::from(!report.findings.is_empty()))
}

fn render(report: &super::Report, format: &str) -> String {
    match format {
        "json" => report::json_lines(&report.findings),
        "metrics" => report::metrics(report),
        _ => report::human(&report.findings, report.metrics.len()),
    }
}

fn load_config(args: &Args, root: &Path) -> Result<Config, String> {
    let manifest = args
        .config
        .clone()
        .unwrap_or_else(|| root.join("Cargo.toml"));
    if args.config.is_none() && !manifest.is_file() {
        return Ok(Config::default());
    }
    let text =
        std::fs::read_to_string(&manifest).map_err(|e| format!("{}: {e}", manifest.display()))?;
    Config::from_manifest(&text).map_err(|e| format!("{}: {e}", manifest.display()))
}

/// Reads every file to lint; paths are shown relative to the workspace, or under `--path`.
fn read_sources(
    root: &Path,
    config: &Config,
    explicit: bool,
) -> Result<Vec<(String, String)>, String> {
    let files = walk::rust_files(root, config)?;
    let shown = |rel: &str| {
        if explicit && root.is_dir() {
            root.join(rel).display().to_string()
        } else {
            rel.to_owned()
        }
    };
    files
        .into_iter()
        .map(|(path, rel)| {
            let text =
                std::fs::read_to_string(&path).map_err(|e| format!("{}: {e}", path.display()))?;
            Ok((shown(&rel), text))
        })
        .collect()
}
