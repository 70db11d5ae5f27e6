//! `lint-v2`: the V2 size and complexity limits (R1–R6), checked with `syn` on any Rust tree.
//!
//! [`lint_sources`] is the whole analysis on in-memory sources; `cli` adds files, config,
//! baselines and output formats.

pub mod baseline;
pub mod cli;
mod collect;
mod complexity;
pub mod config;
pub mod depth;
pub mod findings;
pub mod model;
pub mod report;
pub mod suppress;
mod testcode;
pub mod walk;

use syn::visit::Visit;

use self::collect::Collector;
use self::config::Config;
use self::findings::{Finding, check_file};
use self::model::{FileMetrics, Location};

/// A file that does not parse as Rust.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParseError {
    /// The file.
    pub path: String,
    /// Where the parser stopped.
    pub at: Location,
    /// The parser's message.
    pub message: String,
}

/// The result of linting a set of files.
#[derive(Debug, Clone, Default)]
pub struct Report {
    /// The facts of every file, in the order given.
    pub metrics: Vec<FileMetrics>,
    /// Every finding left after suppressions, sorted by path and position.
    pub findings: Vec<Finding>,
}

/// Extracts the facts of one file.
pub fn analyze_source(path: &str, source: &str) -> Result<FileMetrics, ParseError> {
    let file = syn::parse_file(source).map_err(|e| ParseError {
        path: path.to_owned(),
        at: collect::location(e.span()),
        message: e.to_string(),
    })?;
    let mut collector = Collector::new(testcode::is_test_file(&file));
    collector.visit_file(&file);
    let mut metrics = collector.out;
    metrics.path = path.to_owned();
    metrics.lines = source.lines().count();
    Ok(metrics)
}

/// Lints `(path, source)` pairs as one tree (R6 resolves trait names across all of them).
pub fn lint_sources(sources: &[(String, String)], config: &Config) -> Result<Report, ParseError> {
    let metrics = sources
        .iter()
        .map(|(p, s)| analyze_source(p, s))
        .collect::<Result<Vec<_>, _>>()?;
    let mut depth = depth::check_depth(&metrics, config.limits.depth);
    let mut findings = Vec::new();
    for ((path, source), m) in sources.iter().zip(&metrics) {
        let mut own = check_file(m, config);
        own.extend(extract_if(&mut depth, |f| &f.path == path));
        let (mut suppressions, malformed) = suppress::parse(path, source);
        findings.extend(suppress::apply(path, own, &mut suppressions));
        findings.extend(malformed);
    }
    findings.sort_by(|a, b| (&a.path, a.at, a.rule).cmp(&(&b.path, b.at, b.rule)));
    Ok(Report { metrics, findings })
}

fn extract_if(items: &mut Vec<Finding>, pred: impl Fn(&Finding) -> bool) -> Vec<Finding> {
    let (taken, rest) = std::mem::take(items).into_iter().partition(pred);
    *items = rest;
    taken
}
