//! The read targets of issue #21 (reads and listings at raw-client speed), checked like the
//! backend issues' targets in [`super::targets`].

use super::Cell;
use super::targets::{Target, median, ratio};

/// Throughput of 16 concurrent readers (`read_16_tasks_steady`) over one reader alone (the last
/// 20 at 100 messages).
fn readers(cells: &[Cell], backend: &str) -> Option<f64> {
    let one = median(cells, "last20_at_100", backend)?;
    Some(16.0 * one / median(cells, "read_16_tasks_steady", backend)?)
}

/// The raw listing over the store's, in the run's listing group (`list_100_of_<total>`: 100,000
/// sessions, 2,000 with `--quick`).
fn listing(cells: &[Cell], raw: &str, store: &str) -> Option<f64> {
    let group = cells
        .iter()
        .find(|c| c.group.starts_with("list_100_of_") && c.backend == raw)?
        .group
        .as_str();
    ratio(cells, (group, raw), (group, store))
}

/// `scale_<op>` of `backend`'s large store (`<backend>-<sessions>`) over the same in its store of
/// 1,000 sessions.
fn at_scale(cells: &[Cell], op: &str, backend: &str) -> Option<f64> {
    let (group, small) = (format!("scale_{op}"), format!("{backend}-1000"));
    let large = cells.iter().find(|c| {
        c.group == group && c.backend != small && c.backend.starts_with(&format!("{backend}-"))
    })?;
    Some(large.median_ns / median(cells, &group, &small)?)
}

pub(super) const TARGETS: &[Target] = &[
    Target {
        owner: "#21 SQLite",
        what: "last 20 >= 0.8x raw rusqlite (content only)",
        limit: 0.8,
        at_least: true,
        measure: |c| {
            ratio(
                c,
                ("last20_at_100", "raw-rusqlite"),
                ("last20_at_100", "sqlite-normal"),
            )
        },
    },
    Target {
        owner: "#21 SQLite",
        what: "last 20 >= 0.8x raw rusqlite (whole rows)",
        limit: 0.8,
        at_least: true,
        measure: |c| {
            ratio(
                c,
                ("last20_at_100", "raw-rusqlite-rows"),
                ("last20_at_100", "sqlite-normal"),
            )
        },
    },
    Target {
        owner: "#21 SQLite",
        what: "range 100 >= 0.8x raw rusqlite (whole rows)",
        limit: 0.8,
        at_least: true,
        measure: |c| {
            ratio(
                c,
                ("range_100_at_20000", "raw-rusqlite-rows"),
                ("range_100_at_20000", "sqlite-normal"),
            )
        },
    },
    Target {
        owner: "#21 Redis",
        what: "last 20 >= 0.8x raw redis XREVRANGE",
        limit: 0.8,
        at_least: true,
        measure: |c| {
            ratio(
                c,
                ("last20_at_100", "raw-redis"),
                ("last20_at_100", "redis"),
            )
        },
    },
    Target {
        owner: "#21 SQLite",
        what: "list 100 >= 0.8x raw rusqlite",
        limit: 0.8,
        at_least: true,
        measure: |c| listing(c, "raw-rusqlite", "sqlite-normal"),
    },
    Target {
        owner: "#21 Redis",
        what: "list 100 >= 0.8x raw redis",
        limit: 0.8,
        at_least: true,
        measure: |c| listing(c, "raw-redis", "redis"),
    },
    Target {
        owner: "#21 JSON",
        what: "append one, no fsync >= 0.5x raw write",
        limit: 0.5,
        at_least: true,
        measure: |c| {
            ratio(
                c,
                ("append_one", "raw-jsonl-write"),
                ("append_one", "json-flush"),
            )
        },
    },
    Target {
        owner: "#21 SQLite",
        what: "16 readers >= 4x one reader",
        limit: 4.0,
        at_least: true,
        measure: |c| readers(c, "sqlite-normal"),
    },
    Target {
        owner: "#21 Redis",
        what: "16 readers >= 4x one reader",
        limit: 4.0,
        at_least: true,
        measure: |c| readers(c, "redis"),
    },
    Target {
        owner: "#21 SQLite",
        what: "list 100 at 1M sessions <= 1.5x at 1,000",
        limit: 1.5,
        at_least: false,
        measure: |c| at_scale(c, "list_100", "sqlite"),
    },
    Target {
        owner: "#21 Postgres",
        what: "list 100 at 1M sessions <= 1.5x at 1,000",
        limit: 1.5,
        at_least: false,
        measure: |c| at_scale(c, "list_100", "postgres"),
    },
    Target {
        owner: "#21 SQLite",
        what: "last 20 at 1M sessions <= 1.5x at 1,000",
        limit: 1.5,
        at_least: false,
        measure: |c| at_scale(c, "last20", "sqlite"),
    },
    Target {
        owner: "#21 Postgres",
        what: "last 20 at 1M sessions <= 1.5x at 1,000",
        limit: 1.5,
        at_least: false,
        measure: |c| at_scale(c, "last20", "postgres"),
    },
    Target {
        owner: "#21 SQLite",
        what: "append at 1M sessions <= 1.5x at 1,000",
        limit: 1.5,
        at_least: false,
        measure: |c| at_scale(c, "append", "sqlite"),
    },
    Target {
        owner: "#21 Postgres",
        what: "append at 1M sessions <= 1.5x at 1,000",
        limit: 1.5,
        at_least: false,
        measure: |c| at_scale(c, "append", "postgres"),
    },
];

#[cfg(test)]
mod tests {
    use super::*;

    fn cell(group: &str, backend: &str, median_ns: f64) -> Cell {
        Cell {
            group: group.into(),
            backend: backend.into(),
            median_ns,
            lower_ns: median_ns,
            upper_ns: median_ns,
            elements: 1,
        }
    }

    #[test]
    fn the_listing_ratio_is_taken_in_whatever_listing_group_the_run_has() {
        let cells = [
            cell("list_100_of_2000", "raw-rusqlite", 40.0),
            cell("list_100_of_2000", "sqlite-normal", 50.0),
            cell("list_100_of_100000", "sqlite-normal", 1.0),
        ];
        assert_eq!(listing(&cells, "raw-rusqlite", "sqlite-normal"), Some(0.8));
        assert_eq!(listing(&cells, "raw-redis", "redis"), None);
    }

    #[test]
    fn sixteen_readers_are_compared_with_sixteen_reads_of_one() {
        let cells = [
            cell("last20_at_100", "redis", 100.0),
            cell("read_16_tasks_steady", "redis", 400.0),
        ];
        assert_eq!(readers(&cells, "redis"), Some(4.0));
        assert_eq!(readers(&cells, "sqlite-normal"), None);
    }

    #[test]
    fn the_large_store_is_whichever_size_the_run_filled() {
        let cells = [
            cell("scale_append", "sqlite-1000", 20.0),
            cell("scale_append", "sqlite-20000", 25.0),
        ];
        assert_eq!(at_scale(&cells, "append", "sqlite"), Some(1.25));
        assert_eq!(at_scale(&cells, "append", "postgres"), None);
        assert_eq!(at_scale(&cells, "list_100", "sqlite"), None);
    }
}
