//! Reading criterion's results:
//! `target/criterion/<group>/<function>[/<parameter>]/new/{benchmark,estimates}.json`.

use std::path::Path;
use std::time::SystemTime;

use serde_json::Value;

use super::Cell;

/// Every result written since `since`, sorted by group and backend. Criterion keeps a cell in
/// `<group>/<function>/new`, or `<group>/<function>/<parameter>/new` for a `BenchmarkId` with both.
pub fn cells(dir: &Path, since: SystemTime) -> Result<Vec<Cell>, String> {
    std::fs::read_dir(dir)
        .map_err(|e| format!("{}: {e} (did the benchmarks run?)", dir.display()))?;
    let mut out = Vec::new();
    let mut pending = vec![(dir.to_path_buf(), 0)];
    while let Some((path, depth)) = pending.pop() {
        let new = path.join("new");
        let fresh = std::fs::metadata(new.join("estimates.json"))
            .and_then(|m| m.modified())
            .is_ok_and(|t| t >= since);
        if fresh {
            out.push(cell(&new)?);
        } else if depth < 3 {
            let children = std::fs::read_dir(&path).into_iter().flatten().flatten();
            pending.extend(children.map(|c| (c.path(), depth + 1)));
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

#[cfg(test)]
mod tests {
    use std::time::{Duration, SystemTime};

    use super::cells;

    fn write_cell(root: &std::path::Path, dir: &str, bench: &str, median: f64) {
        let new = root.join(dir).join("new");
        std::fs::create_dir_all(&new).expect("dir");
        std::fs::write(new.join("benchmark.json"), bench).expect("benchmark.json");
        let estimates = format!(
            r#"{{"median":{{"point_estimate":{median},"confidence_interval":{{"lower_bound":1.0,"upper_bound":9.0}}}}}}"#
        );
        std::fs::write(new.join("estimates.json"), estimates).expect("estimates.json");
    }

    #[test]
    fn cells_are_found_with_and_without_a_parameter_level() {
        let dir = tempfile::tempdir().expect("temp dir");
        let since = SystemTime::now() - Duration::from_secs(5);
        write_cell(
            dir.path(),
            "append_one/redis",
            r#"{"group_id":"append_one","function_id":null,"value_str":"redis"}"#,
            5.0,
        );
        write_cell(
            dir.path(),
            "paired_r1/append_one/raw-redis",
            r#"{"group_id":"paired_r1","function_id":"append_one","value_str":"raw-redis"}"#,
            4.0,
        );
        let found = cells(dir.path(), since).expect("cells");
        let names: Vec<(&str, &str, f64)> = found
            .iter()
            .map(|c| (c.group.as_str(), c.backend.as_str(), c.median_ns))
            .collect();
        assert_eq!(
            names,
            [
                ("append_one", "redis", 5.0),
                ("paired_r1", "append_one/raw-redis", 4.0)
            ]
        );
        let later = SystemTime::now() + Duration::from_secs(60);
        assert!(cells(dir.path(), later).expect("cells").is_empty(), "stale");
    }
}
