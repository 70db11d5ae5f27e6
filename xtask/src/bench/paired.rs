//! The paired rounds of `benches/paired.rs`: groups `paired_r<k>`, cells named
//! `<operation>/<backend>` (`append_one/redis`). Seen on its own, each round is a small run of the
//! targets' cells measured one right after the other, so each round gives a target one ratio and
//! the median over rounds is robust to the machine's drift between cells.

use std::collections::BTreeMap;

use super::Cell;

const PREFIX: &str = "paired_r";

/// Whether `cell` belongs to a paired round (left out of the main table and chart).
pub fn is_paired(cell: &Cell) -> bool {
    cell.group.starts_with(PREFIX)
}

/// Each round's cells renamed as in the main run (`append_one` / `redis`), one list per round,
/// in round order.
pub fn rounds(cells: &[Cell]) -> Vec<Vec<Cell>> {
    let mut rounds: BTreeMap<u32, Vec<Cell>> = BTreeMap::new();
    for cell in cells {
        let round = cell.group.strip_prefix(PREFIX).and_then(|r| r.parse().ok());
        let (Some(round), Some((group, backend))) = (round, cell.backend.split_once('/')) else {
            continue;
        };
        rounds.entry(round).or_default().push(Cell {
            group: group.to_owned(),
            backend: backend.to_owned(),
            ..cell.clone()
        });
    }
    rounds.into_values().collect()
}

/// The median of `values` (the mean of the middle two for an even count); `None` when empty.
pub fn median(mut values: Vec<f64>) -> Option<f64> {
    values.sort_by(f64::total_cmp);
    let n = values.len();
    match n {
        0 => None,
        _ if n % 2 == 1 => Some(values[n / 2]),
        _ => Some((values[n / 2 - 1] + values[n / 2]) / 2.0),
    }
}
