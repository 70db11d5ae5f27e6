//! The ceilings of what every backend stores exactly: counters, times and metadata nesting.
//!
//! SQLite keeps counters as signed 64-bit integers, and the Redis scripts compute counters and
//! deadlines in doubles (exact up to 2^53), so every value outside these ranges is refused before
//! anything is written rather than stored and then unreadable.

use crate::error::{Error, Result};
use crate::session::{Expiry, Metadata};
use crate::time::Timestamp;

/// The largest `version`, `last_seq` or `message_count` a session may hold: 2^53 − 1, the
/// largest integer the Redis scripts (which count in doubles) compute exactly, so that every
/// backend refuses the same write at the ceiling.
pub const MAX_COUNTER: u64 = (1 << 53) - 1;

/// The largest time, in milliseconds from the Unix epoch, any record may carry (2^52, about the
/// year 144,680); the earliest is its negative.
pub const MAX_TIME_MS: i64 = 1 << 52;

/// The longest idle expiry, in milliseconds (2^52): a deadline `updated_at + idle` then stays
/// below 2^53, which every backend computes exactly. [`Expiry::idle`] clamps to it.
pub const MAX_IDLE_MS: u64 = 1 << 52;

/// The deepest metadata nesting any store reads back (the object itself is depth 1); a larger
/// [`crate::Limits::max_metadata_depth`] is treated as this.
pub const MAX_METADATA_DEPTH: usize = 64;

/// Fails with `InvalidInput` on a time outside `-MAX_TIME_MS..=MAX_TIME_MS`.
pub(crate) fn check_time(field: &'static str, t: Timestamp) -> Result<()> {
    if t.0.unsigned_abs() > MAX_TIME_MS.unsigned_abs() {
        return Err(Error::invalid(
            field,
            format!("{} ms is outside ±{MAX_TIME_MS} ms", t.0),
        ));
    }
    Ok(())
}

/// Fails with `InvalidInput` on a counter above [`MAX_COUNTER`].
pub(crate) fn check_counter(field: &'static str, value: u64) -> Result<()> {
    if value > MAX_COUNTER {
        return Err(Error::invalid(
            field,
            format!("{value} exceeds the largest storable {MAX_COUNTER}"),
        ));
    }
    Ok(())
}

/// Fails with `InvalidInput` on an idle expiry above [`MAX_IDLE_MS`] or a deadline outside the
/// storable times.
pub(crate) fn check_expiry(expiry: Option<Expiry>) -> Result<()> {
    match expiry {
        Some(Expiry::IdleMs(ms)) if ms > MAX_IDLE_MS => Err(Error::invalid(
            "expiry",
            format!("an idle expiry of {ms} ms exceeds the longest, {MAX_IDLE_MS} ms"),
        )),
        Some(Expiry::At(t)) => check_time("expiry", t),
        _ => Ok(()),
    }
}

/// True when `metadata` (depth 1) holds objects or arrays nested deeper than `max`. Iterative,
/// so a value built in code deeper than any stack still gets an answer.
pub(crate) fn deeper_than(metadata: &Metadata, max: usize) -> bool {
    if max == 0 {
        return true;
    }
    let mut stack: Vec<(&serde_json::Value, usize)> = metadata.values().map(|v| (v, 2)).collect();
    while let Some((value, depth)) = stack.pop() {
        let container = value.is_array() || value.is_object();
        if container && depth > max {
            return true;
        }
        match value {
            serde_json::Value::Array(items) => stack.extend(items.iter().map(|c| (c, depth + 1))),
            serde_json::Value::Object(map) => stack.extend(map.values().map(|c| (c, depth + 1))),
            _ => {}
        }
    }
    false
}

#[cfg(test)]
mod tests {
    use super::*;

    fn nested(depth: usize) -> Metadata {
        let mut value = serde_json::json!(1);
        for _ in 1..depth {
            value = serde_json::json!({ "k": value });
        }
        let mut top = Metadata::new();
        top.insert("k".into(), value);
        top
    }

    #[test]
    fn depth_counts_the_object_itself_as_one() {
        assert!(!deeper_than(&Metadata::new(), 1));
        assert!(!deeper_than(&nested(1), 1));
        assert!(deeper_than(&nested(2), 1));
        assert!(!deeper_than(&nested(10), 10));
        assert!(deeper_than(&nested(11), 10));
        let mut arrays = Metadata::new();
        arrays.insert("a".into(), serde_json::json!([[[]]]));
        assert!(!deeper_than(&arrays, 4));
        assert!(deeper_than(&arrays, 3));
    }

    #[test]
    fn times_and_counters_have_ceilings() {
        assert!(check_time("t", Timestamp(MAX_TIME_MS)).is_ok());
        assert!(check_time("t", Timestamp(-MAX_TIME_MS)).is_ok());
        assert!(check_time("t", Timestamp(MAX_TIME_MS + 1)).is_err());
        assert!(check_time("t", Timestamp(i64::MIN)).is_err());
        assert!(check_counter("c", MAX_COUNTER).is_ok());
        assert!(check_counter("c", MAX_COUNTER + 1).is_err());
        assert!(check_expiry(Some(Expiry::IdleMs(MAX_IDLE_MS))).is_ok());
        assert!(check_expiry(Some(Expiry::IdleMs(MAX_IDLE_MS + 1))).is_err());
        assert!(check_expiry(Some(Expiry::At(Timestamp(i64::MAX)))).is_err());
    }
}
