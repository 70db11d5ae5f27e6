//! Reading criterion's results: `target/criterion/<group>/<function>/new/{benchmark,estimates}.json`.

use std::path::Path;
use std::time::SystemTime;

use serde_json::Value;

use super::Cell;

/// Every result written since `since`, sorted by group and backend.
pub fn cells(dir: &Path, since: SystemTime) -> Result<Vec<Cell>, String> {
    let mut out = Vec::new();
    let groups = std::fs::read_dir(dir)
        .map_err(|e| format!("{}: {e} (did the benchmarks run?)", dir.display()))?;
    for function in groups
        .flatten()
        .flat_map(|g| std::fs::read_dir(g.path()).into_iter().flatten().flatten())
    {
        let new = function.path().join("new");
        let fresh = std::fs::metadata(new.join("estimates.json"))
            .and_then(|m| m.modified())
            .is_ok_and(|t| t >= since);
        if fresh {
            out.push(cell(&new)?);
        }
    }
    out.sort_by(|a, b| (&a.group, &a.backend).cmp(&(&b.group, &b.backend)));
    Ok(out)
}

fn cell(new: &Path) -> Result<Cell, String> {
    let read = |name: &str| -> Result<Value, String> {
        let text = std::fs::read_to_string(new.join(name))
            .map_err(|e| format!("{}: {e}", new.display()))?;
        serde_json::from_str(&text).map_err(|e| format!("{}/{name}: {e}", new.display()))
    };
    let (bench, estimates) = (read("benchmark.json")?, read("estimates.json")?);
    let median = &estimates["median"];
    let number = |v: &Value| v.as_f64().unwrap_or(f64::NAN);
    Ok(Cell {
        group: bench["group_id"].as_str().unwrap_or_default().to_owned(),
        backend: backend(&bench),
        median_ns: number(&median["point_estimate"]),
        lower_ns: number(&median["confidence_interval"]["lower_bound"]),
        upper_ns: number(&median["confidence_interval"]["upper_bound"]),
        elements: bench["throughput"]["Elements"].as_u64().unwrap_or(1),
    })
}

/// The backend of a cell: its parameter (`BenchmarkId::from_parameter`), its function name, or
/// both as `function/parameter` (the paired rounds' `BenchmarkId::new(operation, backend)`).
fn backend(bench: &Value) -> String {
    match (bench["function_id"].as_str(), bench["value_str"].as_str()) {
        (Some(function), Some(value)) => format!("{function}/{value}"),
        (function, value) => value.or(function).unwrap_or_default().to_owned(),
    }
}
