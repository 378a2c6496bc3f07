//! Times are UTC milliseconds since the epoch everywhere in the schema.

#[cfg(feature = "ssr")]
pub fn now_ms() -> i64 {
    use std::time::{SystemTime, UNIX_EPOCH};
    SystemTime::now().duration_since(UNIX_EPOCH).map(|d| d.as_millis() as i64).unwrap_or(0)
}

/// Today's date in the company's time zone (`CRM_TZ_OFFSET_MINUTES`): the date documents
/// are numbered and priced by.
#[cfg(feature = "ssr")]
pub fn local_today() -> (i64, i64, i64) {
    date_parts(now_ms() + crate::account::api::tz_offset_minutes() as i64 * 60_000)
}

/// Civil date from days since 1970-01-01 (Howard Hinnant's algorithm).
fn civil_from_days(z: i64) -> (i64, u32, u32) {
    let z = z + 719_468;
    let era = if z >= 0 { z } else { z - 146_096 } / 146_097;
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let y = yoe + era * 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    (if m <= 2 { y + 1 } else { y }, m, d)
}

/// (year, month, day) of a UTC millisecond time, read in UTC.
pub fn date_parts(ms: i64) -> (i64, i64, i64) {
    let (y, m, d) = civil_from_days(ms.div_euclid(86_400_000));
    (y, m as i64, d as i64)
}

/// `YYYY-MM-DD HH:MM` in the given offset from UTC (minutes).
pub fn format_ms(ms: i64, offset_minutes: i32) -> String {
    let secs = ms.div_euclid(1000) + offset_minutes as i64 * 60;
    let days = secs.div_euclid(86_400);
    let rem = secs.rem_euclid(86_400);
    let (y, m, d) = civil_from_days(days);
    format!("{y:04}-{m:02}-{d:02} {:02}:{:02}", rem / 3600, (rem % 3600) / 60)
}

/// Parses `YYYY-MM-DD` into UTC milliseconds at midnight in the given offset.
pub fn parse_date_ms(s: &str, offset_minutes: i32) -> Option<i64> {
    let mut it = s.trim().splitn(3, '-');
    let y: i64 = it.next()?.parse().ok()?;
    let m: i64 = it.next()?.parse().ok()?;
    let d: i64 = it.next()?.parse().ok()?;
    if !(1..=12).contains(&m) || !(1..=31).contains(&d) {
        return None;
    }
    // days_from_civil
    let y2 = if m <= 2 { y - 1 } else { y };
    let era = if y2 >= 0 { y2 } else { y2 - 399 } / 400;
    let yoe = y2 - era * 400;
    let mp = if m > 2 { m - 3 } else { m + 9 };
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    let days = era * 146_097 + doe - 719_468;
    if civil_from_days(days) != (y, m as u32, d as u32) {
        return None;
    }
    Some(days * 86_400_000 - offset_minutes as i64 * 60_000)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_utc_and_china_time() {
        assert_eq!(format_ms(0, 0), "1970-01-01 00:00");
        // 2026-11-29 23:30 UTC is 07:30 the next day in Beijing.
        let ms = parse_date_ms("2026-11-29", 0).unwrap() + (23 * 60 + 30) * 60_000;
        assert_eq!(format_ms(ms, 0), "2026-11-29 23:30");
        assert_eq!(format_ms(ms, 480), "2026-11-30 07:30");
    }

    #[test]
    fn rejects_impossible_dates() {
        assert!(parse_date_ms("2026-02-30", 0).is_none());
        assert!(parse_date_ms("2026-13-01", 0).is_none());
        assert!(parse_date_ms("yesterday", 0).is_none());
        assert_eq!(parse_date_ms("2024-02-29", 0), Some(1_709_164_800_000));
    }
}
