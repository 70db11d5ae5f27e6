//! [`Timestamp`]: integer milliseconds since the Unix epoch, shown as RFC 3339.

use std::fmt;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use serde::{Deserialize, Serialize};

/// A point in time: whole milliseconds since the Unix epoch (UTC). Serialized as a plain integer;
/// `Display` is RFC 3339 in UTC with milliseconds.
///
/// ```
/// use std::time::{Duration, SystemTime, UNIX_EPOCH};
/// use multichat_core::Timestamp;
///
/// let t = Timestamp(1_764_745_200_123);
/// assert_eq!(t.to_string(), "2025-12-03T07:00:00.123Z");
/// let system: SystemTime = t.into();
/// assert_eq!(system, UNIX_EPOCH + Duration::from_millis(1_764_745_200_123));
/// assert_eq!(Timestamp::from(system), t);
/// ```
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Timestamp(pub i64);

impl Timestamp {
    /// The current time of the system clock (stores read their injected [`crate::Clock`]
    /// instead).
    pub fn now() -> Self {
        Self::from(SystemTime::now())
    }

    /// Milliseconds since the Unix epoch.
    pub fn millis(self) -> i64 {
        self.0
    }

    /// This time plus `d`, saturating at the largest representable time.
    pub fn plus(self, d: Duration) -> Self {
        let ms = i64::try_from(d.as_millis()).unwrap_or(i64::MAX);
        Self(self.0.saturating_add(ms))
    }
}

impl fmt::Debug for Timestamp {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}ms", self.0)
    }
}

impl From<SystemTime> for Timestamp {
    /// Whole milliseconds (rounded down; a time before 1970 gives a negative value), saturating
    /// at the `i64` range.
    fn from(t: SystemTime) -> Self {
        let ms = |d: Duration| i64::try_from(d.as_millis()).unwrap_or(i64::MAX);
        match t.duration_since(UNIX_EPOCH) {
            Ok(after) => Self(ms(after)),
            Err(before) => {
                let d = before.duration();
                let whole = ms(d).saturating_add(i64::from(d.subsec_nanos() % 1_000_000 != 0));
                Self(whole.saturating_neg())
            }
        }
    }
}

impl From<Timestamp> for SystemTime {
    fn from(t: Timestamp) -> Self {
        let d = Duration::from_millis(t.0.unsigned_abs());
        if t.0 >= 0 {
            UNIX_EPOCH + d
        } else {
            UNIX_EPOCH - d
        }
    }
}

impl fmt::Display for Timestamp {
    /// `YYYY-MM-DDTHH:MM:SS.mmmZ` (UTC).
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (days, ms) = (self.0.div_euclid(86_400_000), self.0.rem_euclid(86_400_000));
        let (year, month, day) = civil(days);
        let (h, m, s) = (ms / 3_600_000, ms / 60_000 % 60, ms / 1000 % 60);
        let text = format!(
            "{year:04}-{month:02}-{day:02}T{h:02}:{m:02}:{s:02}.{:03}Z",
            ms % 1000
        );
        f.pad(&text)
    }
}

/// The proleptic Gregorian date of `days` since 1970-01-01 (H. Hinnant's `civil_from_days`).
fn civil(days: i64) -> (i64, i64, i64) {
    let z = days + 719_468;
    let (era, doe) = (z.div_euclid(146_097), z.rem_euclid(146_097));
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    (year, month, day)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn display_is_rfc3339_across_leap_days_centuries_and_the_epoch() {
        let cases = [
            (0, "1970-01-01T00:00:00.000Z"),
            (-1, "1969-12-31T23:59:59.999Z"),
            (951_782_400_000, "2000-02-29T00:00:00.000Z"),
            (4_107_542_399_999, "2100-02-28T23:59:59.999Z"),
            (4_107_542_400_000, "2100-03-01T00:00:00.000Z"),
            (-62_135_596_800_000, "0001-01-01T00:00:00.000Z"),
            (1_709_210_096_789, "2024-02-29T12:34:56.789Z"),
        ];
        for (ms, text) in cases {
            assert_eq!(Timestamp(ms).to_string(), text, "{ms}");
        }
    }

    #[test]
    fn system_time_round_trips_on_both_sides_of_the_epoch() {
        for ms in [
            0,
            1,
            -1,
            1_764_745_200_123,
            -86_400_001,
            crate::MAX_TIME_MS,
            -crate::MAX_TIME_MS,
        ] {
            let t = Timestamp(ms);
            assert_eq!(Timestamp::from(SystemTime::from(t)), t, "{ms}");
        }
        let before = UNIX_EPOCH - Duration::from_micros(1500);
        assert_eq!(
            Timestamp::from(before),
            Timestamp(-2),
            "rounded down, not towards zero"
        );
    }
}
