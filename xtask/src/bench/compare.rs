//! Saved baselines and the regression gate: a cell regressed when the lower bound of its median's
//! confidence interval is above the old upper bound by more than the threshold (noise-aware).

use std::path::Path;

use super::Cell;
use super::table::human;

/// Saves `cells` as a baseline.
pub fn save(path: &Path, cells: &[Cell]) -> Result<(), String> {
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    }
    let text = serde_json::to_string_pretty(cells).unwrap_or_default();
    std::fs::write(path, text).map_err(|e| format!("{}: {e}", path.display()))?;
    eprintln!("saved baseline {}", path.display());
    Ok(())
}

/// Loads a saved baseline.
pub fn load(path: &Path) -> Result<Vec<Cell>, String> {
    let text =
        std::fs::read_to_string(path).map_err(|e| format!("baseline {}: {e}", path.display()))?;
    serde_json::from_str(&text).map_err(|e| format!("baseline {}: {e}", path.display()))
}

/// Prints the change of every cell present in both; returns whether any regressed.
pub fn compare(old: &[Cell], new: &[Cell], threshold_pct: f64) -> bool {
    let mut regressed = false;
    println!(
        "\n{:<24} {:<22} {:>12} {:>12} {:>9}  verdict",
        "operation", "backend", "before", "after", "change"
    );
    for cell in new {
        let Some(before) = old
            .iter()
            .find(|c| c.group == cell.group && c.backend == cell.backend)
        else {
            continue;
        };
        let change = (cell.median_ns / before.median_ns - 1.0) * 100.0;
        let worse = is_regression(before, cell, threshold_pct);
        regressed |= worse;
        let verdict = if worse { "REGRESSED" } else { "ok" };
        println!(
            "{:<24} {:<22} {:>12} {:>12} {:>+8.1}%  {verdict}",
            cell.group,
            cell.backend,
            human(before.median_ns),
            human(cell.median_ns),
            change
        );
    }
    regressed
}

/// Slower beyond the threshold even comparing the optimistic end of the new interval with the
/// pessimistic end of the old one.
pub fn is_regression(before: &Cell, after: &Cell, threshold_pct: f64) -> bool {
    after.lower_ns > before.upper_ns * (1.0 + threshold_pct / 100.0)
}
