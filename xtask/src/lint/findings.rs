//! The rules, their codes, and the per-file checks R1 to R5.

use serde::Serialize;

use super::config::{Config, Limits};
use super::model::{FileMetrics, Location};

/// A rule of the lint (and the two meta-rules about suppressions and baselines).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
pub enum Rule {
    /// R1 file-lines.
    FileLines,
    /// R2 functions-per-file.
    Functions,
    /// R3 types-per-file.
    Types,
    /// R4 complexity.
    Complexity,
    /// R5 parameters.
    Params,
    /// R6 inheritance depth.
    Depth,
    /// A suppression without a reason, or one that suppresses nothing.
    Suppression,
    /// A baseline entry that no longer matches a finding.
    StaleBaseline,
}

impl Rule {
    /// The short id used in suppressions and baselines (`R1`…`R6`).
    pub fn id(self) -> &'static str {
        [
            "R1",
            "R2",
            "R3",
            "R4",
            "R5",
            "R6",
            "suppression",
            "baseline",
        ][self as usize]
    }

    /// The diagnostic code, e.g. `V2-R4-complexity`.
    pub fn code(self) -> &'static str {
        [
            "V2-R1-file-lines",
            "V2-R2-functions-per-file",
            "V2-R3-types-per-file",
            "V2-R4-complexity",
            "V2-R5-parameters",
            "V2-R6-inheritance-depth",
            "V2-suppression",
            "V2-stale-baseline",
        ][self as usize]
    }

    /// The rule with short id `id`, for the six limits.
    pub fn from_id(id: &str) -> Option<Self> {
        let all = [
            Self::FileLines,
            Self::Functions,
            Self::Types,
            Self::Complexity,
            Self::Params,
            Self::Depth,
        ];
        all.into_iter().find(|r| r.id() == id)
    }
}

/// One violation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Finding {
    /// The rule broken.
    pub rule: Rule,
    /// The file.
    pub path: String,
    /// Where to point.
    pub at: Location,
    /// The item (function or trait name); empty for file-level findings.
    pub item: String,
    /// The measured value.
    pub value: usize,
    /// The limit.
    pub limit: usize,
    /// The human message.
    pub message: String,
    /// First line of the item, where an item suppression must stand just above.
    #[serde(skip)]
    pub first_line: usize,
}

/// The findings of R1 to R5 in one file.
pub fn check_file(m: &FileMetrics, config: &Config) -> Vec<Finding> {
    let Limits {
        file_lines,
        functions,
        types,
        complexity,
        params,
        ..
    } = config.limits;
    let counted = |is_test: bool| config.count_test_code || !is_test;
    let mut out = Vec::new();
    let file = |rule, at, value, limit, what: &str| Finding {
        rule,
        path: m.path.clone(),
        at,
        item: String::new(),
        value,
        limit,
        first_line: 0,
        message: format!("file has {value} {what} (limit {limit})"),
    };
    if m.lines > file_lines {
        out.push(file(
            Rule::FileLines,
            Location {
                line: file_lines + 1,
                column: 1,
            },
            m.lines,
            file_lines,
            "lines",
        ));
    }
    let fns: Vec<_> = m
        .functions
        .iter()
        .filter(|f| f.has_body && counted(f.is_test))
        .collect();
    if fns.len() > functions {
        out.push(file(
            Rule::Functions,
            fns[functions].at,
            fns.len(),
            functions,
            "functions",
        ));
    }
    let tys: Vec<_> = m
        .types
        .iter()
        .filter(|t| t.kind != "deref" && counted(t.is_test))
        .collect();
    if tys.len() > types {
        out.push(file(Rule::Types, tys[types].at, tys.len(), types, "types"));
    }
    out.extend(check_functions(m, complexity, params));
    out
}

fn check_functions(m: &FileMetrics, complexity: usize, params: usize) -> Vec<Finding> {
    let mut out = Vec::new();
    for f in &m.functions {
        let finding = |rule, value, limit, what: &str| Finding {
            rule,
            path: m.path.clone(),
            at: f.at,
            item: f.name.clone(),
            value,
            limit,
            first_line: f.first_line,
            message: format!("function `{}` has {what} {value} (limit {limit})", f.name),
        };
        if f.has_body && f.complexity > complexity {
            out.push(finding(
                Rule::Complexity,
                f.complexity,
                complexity,
                "cyclomatic complexity",
            ));
        }
        if f.params_checked && f.params > params {
            out.push(finding(Rule::Params, f.params, params, "parameter count"));
        }
    }
    out
}
