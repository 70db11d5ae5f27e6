//! Suppressions: `// lint-v2: allow(R4) -- reason` above an item, `//! lint-v2: allow(R1) --
//! reason` for the whole file. A suppression without a reason, a malformed one, or one that
//! suppresses nothing is itself a finding.

use super::findings::{Finding, Rule};
use super::model::Location;

/// One suppression comment.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Suppression {
    /// The comment's line.
    pub line: usize,
    /// The rules it allows.
    pub rules: Vec<Rule>,
    /// Why; a suppression without one is refused.
    pub reason: Option<String>,
    /// The first line of the item it applies to, or `None` for the whole file.
    pub target: Option<usize>,
    /// Whether it suppressed a finding.
    pub used: bool,
}

/// Finds the suppression comments of a file; malformed ones are returned as findings.
pub fn parse(path: &str, source: &str) -> (Vec<Suppression>, Vec<Finding>) {
    let lines: Vec<&str> = source.lines().collect();
    let (mut found, mut bad) = (Vec::new(), Vec::new());
    for (index, line) in lines.iter().enumerate() {
        let trimmed = line.trim_start();
        let (file_level, body) = match (trimmed.strip_prefix("//!"), trimmed.strip_prefix("//")) {
            (Some(body), _) => (true, body),
            (None, Some(body)) => (false, body),
            _ => continue,
        };
        let Some(spec) = body.trim_start().strip_prefix("lint-v2:") else {
            continue;
        };
        match parse_spec(spec) {
            Ok((rules, reason)) => {
                let target = (!file_level).then(|| item_line(&lines, index));
                found.push(Suppression {
                    line: index + 1,
                    rules,
                    reason,
                    target,
                    used: false,
                });
            }
            Err(why) => bad.push(meta_finding(path, index + 1, why)),
        }
    }
    (found, bad)
}

/// Removes the findings that a valid suppression covers; adds findings for suppressions without
/// a reason and for those that suppressed nothing.
pub fn apply(path: &str, findings: Vec<Finding>, suppressions: &mut [Suppression]) -> Vec<Finding> {
    let mut kept: Vec<Finding> = findings
        .into_iter()
        .filter(|f| !suppressed(f, suppressions))
        .collect();
    for s in suppressions.iter() {
        if s.reason.is_none() {
            kept.push(meta_finding(
                path,
                s.line,
                "suppression without a reason (add `-- <why>`)".into(),
            ));
        } else if !s.used {
            kept.push(meta_finding(
                path,
                s.line,
                "suppression that suppresses nothing".into(),
            ));
        }
    }
    kept
}

fn suppressed(finding: &Finding, suppressions: &mut [Suppression]) -> bool {
    let covers = |s: &Suppression| {
        s.reason.is_some()
            && s.rules.contains(&finding.rule)
            && s.target
                .is_none_or(|t| finding.first_line != 0 && t == finding.first_line)
    };
    let Some(s) = suppressions.iter_mut().find(|s| covers(s)) else {
        return false;
    };
    s.used = true;
    true
}

/// `allow(R1, R4) -- reason`.
fn parse_spec(spec: &str) -> Result<(Vec<Rule>, Option<String>), String> {
    let (allow, reason) = spec
        .split_once("--")
        .map_or((spec, None), |(a, r)| (a, Some(r.trim())));
    let list = allow
        .trim()
        .strip_prefix("allow(")
        .and_then(|r| r.strip_suffix(')'));
    let list = list.ok_or("malformed suppression: expected `lint-v2: allow(R1, …) -- <reason>`")?;
    let rules: Result<Vec<Rule>, String> = list
        .split(',')
        .map(|id| {
            Rule::from_id(id.trim())
                .ok_or_else(|| format!("unknown rule `{}` in suppression", id.trim()))
        })
        .collect();
    let reason = reason.filter(|r| !r.is_empty()).map(str::to_owned);
    Ok((rules?, reason))
}

/// The first line after `index` that is not a plain `//` comment: where the item starts.
fn item_line(lines: &[&str], index: usize) -> usize {
    let is_comment = |l: &&&str| {
        let t = l.trim_start();
        t.starts_with("//") && !t.starts_with("///") && !t.starts_with("//!")
    };
    index + 2 + lines[index + 1..].iter().take_while(is_comment).count()
}

fn meta_finding(path: &str, line: usize, message: String) -> Finding {
    Finding {
        rule: Rule::Suppression,
        path: path.to_owned(),
        at: Location { line, column: 1 },
        item: String::new(),
        value: 0,
        limit: 0,
        message,
        first_line: 0,
    }
}
