//! Output formats: rustc-style human diagnostics, JSON lines, and metrics.

use std::collections::BTreeMap;

use serde_json::json;

use super::Report;
use super::depth::Graph;
use super::findings::Finding;

/// rustc-style diagnostics and a summary line.
pub fn human(findings: &[Finding], files: usize) -> String {
    let mut out = String::new();
    for f in findings {
        out.push_str(&format!(
            "error[{}]: {}\n  --> {}:{}:{}\n\n",
            f.rule.code(),
            f.message,
            f.path,
            f.at.line,
            f.at.column
        ));
    }
    let mut counts: BTreeMap<&str, usize> = BTreeMap::new();
    findings
        .iter()
        .for_each(|f| *counts.entry(f.rule.id()).or_default() += 1);
    let by_rule: Vec<String> = counts.iter().map(|(r, n)| format!("{r}: {n}")).collect();
    let detail = if by_rule.is_empty() {
        String::new()
    } else {
        format!(" ({})", by_rule.join(", "))
    };
    out.push_str(&format!(
        "lint-v2: {} finding(s){detail} in {files} file(s)\n",
        findings.len()
    ));
    out
}

/// One JSON object per finding, one per line.
pub fn json_lines(findings: &[Finding]) -> String {
    findings
        .iter()
        .map(|f| {
            let value = json!({
                "rule": f.rule.id(), "code": f.rule.code(), "path": f.path, "line": f.at.line,
                "column": f.at.column, "item": f.item, "value": f.value, "limit": f.limit, "message": f.message,
            });
            value.to_string() + "\n"
        })
        .collect()
}

/// One JSON object per file (lines, type count, functions, trait depths), then a summary object.
pub fn metrics(report: &Report) -> String {
    let mut graph = Graph::new(&report.metrics);
    let mut out = String::new();
    for m in &report.metrics {
        let functions: Vec<_> = m.functions.iter().map(|f| json!({
            "name": f.name, "line": f.at.line, "complexity": f.complexity, "params": f.params,
            "has_body": f.has_body, "test": f.is_test,
        })).collect();
        let traits: Vec<_> = m
            .types
            .iter()
            .filter(|t| t.kind == "trait")
            .map(|t| {
                json!({
                    "name": t.name, "line": t.at.line, "depth": graph.depth(&t.name),
                })
            })
            .collect();
        let types = m.types.iter().filter(|t| t.kind != "deref").count();
        let file = json!({"path": m.path, "lines": m.lines, "types": types, "functions": functions, "traits": traits});
        out.push_str(&(file.to_string() + "\n"));
    }
    out.push_str(&(summary(report).to_string() + "\n"));
    out
}

fn summary(report: &Report) -> serde_json::Value {
    let all = report
        .metrics
        .iter()
        .flat_map(|m| m.functions.iter().map(move |f| (m, f)));
    let worst = all
        .filter(|(_, f)| f.has_body)
        .max_by_key(|(_, f)| f.complexity);
    let largest = report.metrics.iter().max_by_key(|m| m.lines);
    json!({"summary": {
        "files": report.metrics.len(),
        "functions": report.metrics.iter().map(|m| m.functions.iter().filter(|f| f.has_body).count()).sum::<usize>(),
        "types": report.metrics.iter().map(|m| m.types.iter().filter(|t| t.kind != "deref").count()).sum::<usize>(),
        "lines": report.metrics.iter().map(|m| m.lines).sum::<usize>(),
        "largest_complexity": worst.map(|(m, f)| json!({"function": f.name, "path": m.path, "complexity": f.complexity})),
        "largest_file": largest.map(|m| json!({"path": m.path, "lines": m.lines})),
        "findings": report.findings.len(),
    }})
}
