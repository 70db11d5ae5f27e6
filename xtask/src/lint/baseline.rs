//! The baseline ratchet: tolerate recorded findings (keyed by rule, path and item, not line),
//! fail on new or worsened ones and on stale entries.

use serde::{Deserialize, Serialize};

use super::findings::{Finding, Rule};
use super::model::Location;

/// One tolerated finding.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Tolerated {
    /// `R1`…`R6`.
    pub rule: String,
    /// The file.
    pub path: String,
    /// The item, empty for file-level rules.
    pub item: String,
    /// The value tolerated; a larger one is a regression.
    pub value: usize,
}

/// Parses a baseline file (a JSON array of entries).
pub fn parse(text: &str) -> Result<Vec<Tolerated>, String> {
    serde_json::from_str(text).map_err(|e| format!("baseline is not valid: {e}"))
}

/// The baseline that tolerates exactly `findings` (suppression findings are never baselined).
pub fn bless(findings: &[Finding]) -> String {
    let entries: Vec<Tolerated> = findings
        .iter()
        .filter(|f| Rule::from_id(f.rule.id()).is_some())
        .map(|f| Tolerated {
            rule: f.rule.id().to_owned(),
            path: f.path.clone(),
            item: f.item.clone(),
            value: f.value,
        })
        .collect();
    serde_json::to_string_pretty(&entries).unwrap_or_default() + "\n"
}

/// The findings the baseline does not tolerate, plus one per stale entry.
pub fn compare(findings: Vec<Finding>, entries: &[Tolerated]) -> Vec<Finding> {
    let key =
        |f: &Finding, e: &Tolerated| e.rule == f.rule.id() && e.path == f.path && e.item == f.item;
    let mut out: Vec<Finding> = Vec::new();
    for mut f in findings.iter().cloned() {
        match entries.iter().find(|e| key(&f, e)) {
            Some(e) if f.value <= e.value => continue,
            Some(e) => f
                .message
                .push_str(&format!(" (worse than the baseline's {})", e.value)),
            None => {}
        }
        out.push(f);
    }
    let stale = entries
        .iter()
        .filter(|e| !findings.iter().any(|f| key(f, e)));
    out.extend(stale.map(stale_finding));
    out
}

fn stale_finding(e: &Tolerated) -> Finding {
    let item = if e.item.is_empty() {
        String::new()
    } else {
        format!(" `{}`", e.item)
    };
    Finding {
        rule: Rule::StaleBaseline,
        path: e.path.clone(),
        at: Location { line: 1, column: 1 },
        item: e.item.clone(),
        value: e.value,
        limit: 0,
        message: format!(
            "stale baseline entry {}{item}: the finding is gone; run with --bless",
            e.rule
        ),
        first_line: 0,
    }
}
