//! The side-by-side table: operation × backend, median, throughput, ratio to the raw baseline.

use super::Cell;

/// The raw baseline a backend is compared with, by kind.
pub fn baseline_of(backend: &str) -> &'static [&'static str] {
    match backend {
        "sqlite-normal" => &["raw-rusqlite-normal", "raw-rusqlite"],
        "sqlite-full" => &["raw-rusqlite-full"],
        "json" => &["raw-jsonl-fsync"],
        "redis" => &["raw-redis"],
        _ => &[],
    }
}

/// Operations (or messages) per second of a cell.
pub fn throughput(cell: &Cell) -> f64 {
    cell.elements as f64 * 1e9 / cell.median_ns
}

/// The table as text.
pub fn render(cells: &[Cell]) -> String {
    let mut out = format!(
        "{:<24} {:<22} {:>12} {:>14} {:>10}\n",
        "operation", "backend", "median", "throughput/s", "vs raw"
    );
    for cell in cells {
        let ratio = baseline_of(&cell.backend)
            .iter()
            .find_map(|raw| {
                cells
                    .iter()
                    .find(|c| c.group == cell.group && c.backend == *raw)
            })
            .map_or("-".to_owned(), |raw| {
                format!(
                    "{:.2}x",
                    raw.median_ns / cell.median_ns * cell.elements as f64 / raw.elements as f64
                )
            });
        out.push_str(&format!(
            "{:<24} {:<22} {:>12} {:>14.0} {:>10}\n",
            cell.group,
            cell.backend,
            human(cell.median_ns),
            throughput(cell),
            ratio
        ));
    }
    out
}

/// A duration in ns, µs or ms.
pub fn human(ns: f64) -> String {
    match ns {
        n if n < 1e3 => format!("{n:.0} ns"),
        n if n < 1e6 => format!("{:.1} µs", n / 1e3),
        n => format!("{:.2} ms", n / 1e6),
    }
}
