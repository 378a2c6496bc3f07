//! SLA clock for service requests: deadlines counted in business time.
//!
//! A target such as "respond within 4 business hours" only ticks while the company is open,
//! so deadlines and elapsed time are computed against a [`BusinessCalendar`] (working days,
//! opening hours, holidays and make-up days) in the company's fixed UTC offset.
//!
//! Times are UTC milliseconds since the Unix epoch (`i64`). Only integer arithmetic is used
//! (internally `i128`, so extreme inputs saturate instead of overflowing), which keeps results
//! exact and reproducible across machines.

const MS_PER_MINUTE: i128 = 60_000;
const MS_PER_DAY: i128 = 86_400_000;
const MINUTES_PER_DAY: i32 = 1_440;

/// When the clock runs: working days, opening hours and holidays, in the company's zone.
///
/// Opening hours are a single same-day interval `[start_minute, end_minute)`. Overnight hours
/// are not supported: when `end_minute <= start_minute` the whole day (00:00–24:00) counts.
/// Both bounds are clamped to `0..=1440` first.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BusinessCalendar {
    /// Company zone offset from UTC, in minutes (480 for China).
    pub offset_minutes: i32,
    /// Working weekdays, index 0 = Monday … 6 = Sunday.
    pub work_days: [bool; 7],
    /// Opening, minutes after local midnight (e.g. 9 * 60).
    pub start_minute: i32,
    /// Closing, minutes after local midnight (e.g. 18 * 60); see the type docs when `<= start_minute`.
    pub end_minute: i32,
    /// Closed local dates, as days since 1970-01-01 (any order). A holiday wins over an extra work day.
    pub holidays: Vec<i64>,
    /// Local dates worked although their weekday is not (China's 调休 make-up days).
    pub extra_work_days: Vec<i64>,
}

impl BusinessCalendar {
    /// Around the clock, every day (24×7): the calendar for urgent policies.
    pub fn always(offset_minutes: i32) -> Self {
        BusinessCalendar {
            offset_minutes,
            work_days: [true; 7],
            start_minute: 0,
            end_minute: MINUTES_PER_DAY,
            holidays: Vec::new(),
            extra_work_days: Vec::new(),
        }
    }

    /// Monday to Friday, 09:00–18:00 in the given zone, no holidays.
    pub fn office(offset_minutes: i32) -> Self {
        BusinessCalendar {
            offset_minutes,
            work_days: [true, true, true, true, true, false, false],
            start_minute: 9 * 60,
            end_minute: 18 * 60,
            holidays: Vec::new(),
            extra_work_days: Vec::new(),
        }
    }

    /// True when `day` (local days since epoch) is a working day: holidays close it,
    /// extra_work_days open it, otherwise its weekday decides.
    ///
    /// This reports the calendar as configured; the 24×7 fallback for a calendar without any
    /// working day (see [`BusinessCalendar::add_business_minutes`]) only applies to clock arithmetic.
    pub fn is_work_day(&self, day: i64) -> bool {
        if self.holidays.contains(&day) {
            return false;
        }
        self.extra_work_days.contains(&day) || self.work_days[weekday_index(i128::from(day))]
    }

    /// The deadline: `start` plus `minutes` of business time, at millisecond precision
    /// (10:00:30 plus 60 minutes is 11:00:30).
    ///
    /// A start outside hours counts from the next opening. `minutes <= 0` is treated as 0 and
    /// returns the effective start: `start` itself when it is within hours, otherwise the next
    /// opening. This keeps the result non-decreasing in `minutes`. A deadline that lands exactly
    /// on closing time stays on that day rather than moving to the next opening.
    ///
    /// A calendar with no working day at all (no weekday and no usable extra day) runs 24×7, so
    /// deadlines always exist. If only extra work days exist and they run out, there is no
    /// deadline and `i64::MAX` ("never") is returned. Results beyond the `i64` range saturate.
    pub fn add_business_minutes(&self, start: i64, minutes: i64) -> i64 {
        Schedule::new(self).add(start, minutes)
    }

    /// Business minutes (whole minutes, rounded down) elapsed between `from` and `to`; 0 when `to <= from`.
    pub fn business_minutes_between(&self, from: i64, to: i64) -> i64 {
        Schedule::new(self).between(from, to)
    }
}

/// Where a running SLA target stands.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SlaState {
    /// Done on or before the deadline.
    Met,
    /// Done after the deadline.
    MetLate,
    /// Running, before the warning point.
    OnTrack,
    /// Running, past the warning point but not past the deadline.
    AtRisk,
    /// Running and past the deadline.
    Breached,
}

/// State of one target (response or resolution).
///
/// `started`: when the clock started (request created), `due`: deadline, `done`: when it was met
/// (None if not yet), `now`: current time, `warn_percent`: share (1..=100, clamped to 0..=100) of the
/// business time window after which a running target is at risk. A finished target ignores `now`.
/// Being done exactly at `due` is Met, so a running target is only Breached once `now > due`.
pub fn sla_state(cal: &BusinessCalendar, started: i64, due: i64, done: Option<i64>, now: i64, warn_percent: i64) -> SlaState {
    match done {
        Some(at) if at <= due => SlaState::Met,
        Some(_) => SlaState::MetLate,
        None if now > due => SlaState::Breached,
        None if now >= warn_at(cal, started, due, warn_percent) => SlaState::AtRisk,
        None => SlaState::OnTrack,
    }
}

/// The moment a running target becomes at risk: `warn_percent` (clamped to 0..=100) of the business
/// window from `started` to `due` has elapsed, computed as
/// `add_business_minutes(started, window * warn_percent / 100)` so the warning also falls in business time.
pub fn warn_at(cal: &BusinessCalendar, started: i64, due: i64, warn_percent: i64) -> i64 {
    let schedule = Schedule::new(cal);
    let window = schedule.between(started, due);
    // window <= ~3e14 minutes for any i64 pair, so the product cannot overflow.
    schedule.add(started, window * warn_percent.clamp(0, 100) / 100)
}

/// Monday-based weekday of a local day; 1970-01-01 was a Thursday (index 3).
fn weekday_index(day: i128) -> usize {
    (day + 3).rem_euclid(7) as usize
}

/// Saturating conversion back to the public `i64` time scale.
fn clamp_i64(value: i128) -> i64 {
    i64::try_from(value).unwrap_or(if value < 0 { i64::MIN } else { i64::MAX })
}

/// The calendar normalised once for arithmetic: hours resolved, special days sorted, and the
/// weekly amount of business time known so whole weeks can be skipped in one step.
struct Schedule {
    offset_ms: i128,
    /// Opening and closing within a local day, in ms after midnight; `open_ms < close_ms`.
    open_ms: i128,
    close_ms: i128,
    work_days: [bool; 7],
    /// Sorted, deduplicated.
    holidays: Vec<i128>,
    /// Sorted, deduplicated, holidays removed.
    extra: Vec<i128>,
    /// Last day that deviates from the weekly pattern; after it every week is identical.
    last_special: i128,
    /// Business ms in any 7 consecutive days after `last_special`.
    week_ms: i128,
}

impl Schedule {
    fn new(cal: &BusinessCalendar) -> Self {
        let mut holidays: Vec<i128> = cal.holidays.iter().map(|&d| i128::from(d)).collect();
        holidays.sort_unstable();
        holidays.dedup();
        let mut extra: Vec<i128> =
            cal.extra_work_days.iter().map(|&d| i128::from(d)).filter(|d| holidays.binary_search(d).is_err()).collect();
        extra.sort_unstable();
        extra.dedup();

        let mut open = cal.start_minute.clamp(0, MINUTES_PER_DAY);
        let mut close = cal.end_minute.clamp(0, MINUTES_PER_DAY);
        if close <= open {
            // Overnight hours are unsupported: the whole day counts.
            open = 0;
            close = MINUTES_PER_DAY;
        }

        let mut work_days = cal.work_days;
        if !work_days.contains(&true) && extra.is_empty() {
            // No working day at all: run 24×7 rather than never reaching a deadline.
            work_days = [true; 7];
            open = 0;
            close = MINUTES_PER_DAY;
            holidays.clear();
        }

        let last_special = holidays.last().copied().max(extra.last().copied()).unwrap_or(i128::MIN);
        let open_ms = i128::from(open) * MS_PER_MINUTE;
        let close_ms = i128::from(close) * MS_PER_MINUTE;
        let week_days = work_days.iter().filter(|&&w| w).count() as i128;
        Schedule {
            offset_ms: i128::from(cal.offset_minutes) * MS_PER_MINUTE,
            open_ms,
            close_ms,
            work_days,
            holidays,
            extra,
            last_special,
            week_ms: week_days * (close_ms - open_ms),
        }
    }

    fn is_work_day(&self, day: i128) -> bool {
        if self.holidays.binary_search(&day).is_ok() {
            return false;
        }
        self.extra.binary_search(&day).is_ok() || self.work_days[weekday_index(day)]
    }

    /// Opening hours of `day` as absolute local ms, or None when the day is closed.
    fn window(&self, day: i128) -> Option<(i128, i128)> {
        if self.is_work_day(day) {
            let midnight = day * MS_PER_DAY;
            Some((midnight + self.open_ms, midnight + self.close_ms))
        } else {
            None
        }
    }

    fn add(&self, start: i64, minutes: i64) -> i64 {
        let mut remaining = i128::from(minutes.max(0)) * MS_PER_MINUTE;
        let mut cursor = i128::from(start) + self.offset_ms;
        let mut day = cursor.div_euclid(MS_PER_DAY);
        // Day by day until past the special days, then whole weeks at once: bounded by the span of
        // special days plus a couple of weeks, whatever `minutes` is.
        loop {
            if let Some((open, close)) = self.window(day) {
                let from = cursor.max(open);
                if from < close {
                    let available = close - from;
                    if remaining <= available {
                        return clamp_i64(from + remaining - self.offset_ms);
                    }
                    remaining -= available;
                }
            }
            if day >= self.last_special {
                if self.week_ms == 0 {
                    // Only extra work days existed and they are used up: the deadline never comes.
                    return i64::MAX;
                }
                if remaining > self.week_ms {
                    // Leave at least 1 ms so the final partial stretch is placed by the loop.
                    let weeks = (remaining - 1) / self.week_ms;
                    day += weeks * 7;
                    remaining -= weeks * self.week_ms;
                }
            }
            day += 1;
            cursor = day * MS_PER_DAY;
        }
    }

    fn between(&self, from: i64, to: i64) -> i64 {
        if to <= from {
            return 0;
        }
        let from_local = i128::from(from) + self.offset_ms;
        let to_local = i128::from(to) + self.offset_ms;
        let first = from_local.div_euclid(MS_PER_DAY);
        let last = to_local.div_euclid(MS_PER_DAY);
        let mut total: i128 = 0;
        let mut day = first;
        while day <= last {
            // Days strictly between the partial first and last days, past the special days,
            // are whole weeks of the regular pattern.
            if day > first && day > self.last_special {
                let weeks = (last - day) / 7;
                if weeks > 0 {
                    total += weeks * self.week_ms;
                    day += weeks * 7;
                    continue;
                }
            }
            if let Some((open, close)) = self.window(day) {
                let lo = open.max(from_local);
                let hi = close.min(to_local);
                if hi > lo {
                    total += hi - lo;
                }
            }
            day += 1;
        }
        clamp_i64(total / MS_PER_MINUTE)
    }
}

/// Leaving "waiting for the customer" at `now`, having waited since `since`: the
/// business minutes waited, and the resolution warning and deadline moved later by them
/// (the clock stood still meanwhile).
pub fn resume(cal: &BusinessCalendar, since: i64, now: i64, warn_at: i64, due_at: i64) -> (i64, i64, i64) {
    let paused = cal.business_minutes_between(since, now);
    if paused == 0 {
        return (0, warn_at, due_at);
    }
    (paused, cal.add_business_minutes(warn_at, paused), cal.add_business_minutes(due_at, paused))
}

#[cfg(test)]
mod tests {
    use super::*;

    const CN: i32 = 480;
    const HOUR: i64 = 3_600_000;

    /// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's algorithm).
    fn days_from_civil(y: i64, m: i64, d: i64) -> i64 {
        let y = if m <= 2 { y - 1 } else { y };
        let era = y.div_euclid(400);
        let yoe = y - era * 400;
        let mp = (m + 9) % 12;
        let doy = (153 * mp + 2) / 5 + d - 1;
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
        era * 146_097 + doe - 719_468
    }

    /// UTC ms of local time y-m-d h:min in a zone `offset` minutes east of UTC.
    fn at(offset: i32, y: i64, m: i64, d: i64, h: i64, min: i64) -> i64 {
        (days_from_civil(y, m, d) * 1440 + h * 60 + min - i64::from(offset)) * 60_000
    }

    #[test]
    fn civil_helper_and_weekdays() {
        assert_eq!(days_from_civil(1970, 1, 1), 0);
        assert_eq!(days_from_civil(2000, 1, 1), 10_957);
        assert_eq!(days_from_civil(1969, 12, 31), -1);
        assert_eq!(weekday_index(0), 3); // Thursday
        assert_eq!(weekday_index(i128::from(days_from_civil(2026, 12, 4))), 4); // Friday
        assert_eq!(weekday_index(i128::from(days_from_civil(2026, 12, 7))), 0); // Monday
        assert_eq!(weekday_index(i128::from(days_from_civil(2026, 10, 1))), 3); // Thursday
        assert_eq!(weekday_index(i128::from(days_from_civil(2026, 9, 27))), 6); // Sunday
        assert_eq!(weekday_index(-1), 2); // Wednesday 1969-12-31
    }

    #[test]
    fn friday_afternoon_rolls_over_weekend() {
        let cal = BusinessCalendar::office(CN);
        let start = at(CN, 2026, 12, 4, 17, 0);
        assert_eq!(cal.add_business_minutes(start, 4 * 60), at(CN, 2026, 12, 7, 12, 0));
    }

    #[test]
    fn millisecond_precision_is_kept() {
        let cal = BusinessCalendar::office(CN);
        let start = at(CN, 2026, 12, 7, 10, 0) + 30_000;
        assert_eq!(cal.add_business_minutes(start, 60), at(CN, 2026, 12, 7, 11, 0) + 30_000);
    }

    #[test]
    fn start_outside_hours_counts_from_next_opening() {
        let cal = BusinessCalendar::office(CN);
        // Before opening: 07:00 counts from 09:00.
        assert_eq!(cal.add_business_minutes(at(CN, 2026, 12, 8, 7, 0), 60), at(CN, 2026, 12, 8, 10, 0));
        // After closing: from the next working day's opening.
        assert_eq!(cal.add_business_minutes(at(CN, 2026, 12, 8, 19, 0), 60), at(CN, 2026, 12, 9, 10, 0));
        // After Friday closing: Monday.
        assert_eq!(cal.add_business_minutes(at(CN, 2026, 12, 4, 20, 0), 30), at(CN, 2026, 12, 7, 9, 30));
        // Exactly at closing counts as outside.
        assert_eq!(cal.add_business_minutes(at(CN, 2026, 12, 8, 18, 0), 0), at(CN, 2026, 12, 9, 9, 0));
    }

    #[test]
    fn zero_and_negative_minutes() {
        let cal = BusinessCalendar::office(CN);
        let inside = at(CN, 2026, 12, 8, 11, 15) + 7;
        assert_eq!(cal.add_business_minutes(inside, 0), inside);
        assert_eq!(cal.add_business_minutes(inside, -5), inside);
        let saturday = at(CN, 2026, 12, 5, 11, 0);
        assert_eq!(cal.add_business_minutes(saturday, 0), at(CN, 2026, 12, 7, 9, 0));
        assert_eq!(cal.add_business_minutes(saturday, -5), at(CN, 2026, 12, 7, 9, 0));
    }

    #[test]
    fn deadline_on_closing_stays_same_day() {
        let cal = BusinessCalendar::office(CN);
        assert_eq!(cal.add_business_minutes(at(CN, 2026, 12, 8, 17, 0), 60), at(CN, 2026, 12, 8, 18, 0));
    }

    #[test]
    fn holiday_skipped_and_extra_day_worked() {
        let mut cal = BusinessCalendar::office(CN);
        let national_day = days_from_civil(2026, 10, 1);
        let makeup_sunday = days_from_civil(2026, 9, 27);
        cal.holidays = vec![national_day];
        cal.extra_work_days = vec![makeup_sunday];
        assert!(!cal.is_work_day(national_day));
        assert!(cal.is_work_day(makeup_sunday));
        assert!(!cal.is_work_day(days_from_civil(2026, 9, 26))); // Saturday
        assert!(cal.is_work_day(days_from_civil(2026, 9, 30))); // Wednesday

        // Wednesday 17:00 + 2h skips Thursday's holiday.
        assert_eq!(cal.add_business_minutes(at(CN, 2026, 9, 30, 17, 0), 120), at(CN, 2026, 10, 2, 10, 0));
        // Saturday 10:00 + 1h lands on the make-up Sunday.
        assert_eq!(cal.add_business_minutes(at(CN, 2026, 9, 26, 10, 0), 60), at(CN, 2026, 9, 27, 10, 0));
        // And elapsed time counts the Sunday but not the holiday.
        assert_eq!(cal.business_minutes_between(at(CN, 2026, 9, 26, 0, 0), at(CN, 2026, 10, 3, 0, 0)), 5 * 540);
    }

    #[test]
    fn holiday_beats_extra_work_day() {
        let mut cal = BusinessCalendar::office(CN);
        let d = days_from_civil(2026, 10, 4); // Sunday
        cal.holidays = vec![d];
        cal.extra_work_days = vec![d];
        assert!(!cal.is_work_day(d));
        assert_eq!(cal.add_business_minutes(at(CN, 2026, 10, 4, 10, 0), 60), at(CN, 2026, 10, 5, 10, 0));
    }

    #[test]
    fn always_is_plain_wall_clock() {
        let cal = BusinessCalendar::always(CN);
        let friday = at(CN, 2026, 12, 4, 17, 0) + 123;
        assert_eq!(cal.add_business_minutes(friday, 24 * 60), friday + 86_400_000);
        assert_eq!(cal.add_business_minutes(friday, 3 * 24 * 60), friday + 3 * 86_400_000);
        assert_eq!(cal.business_minutes_between(friday, friday + 86_400_000), 1440);
    }

    #[test]
    fn overnight_hours_mean_whole_day() {
        let mut cal = BusinessCalendar::office(CN);
        cal.start_minute = 22 * 60;
        cal.end_minute = 6 * 60;
        // Monday 23:00 + 2h = Tuesday 01:00; Friday 23:00 + 2h = Monday 01:00.
        assert_eq!(cal.add_business_minutes(at(CN, 2026, 12, 7, 23, 0), 120), at(CN, 2026, 12, 8, 1, 0));
        assert_eq!(cal.add_business_minutes(at(CN, 2026, 12, 4, 23, 0), 120), at(CN, 2026, 12, 7, 1, 0));
    }

    #[test]
    fn between_basics() {
        let cal = BusinessCalendar::office(CN);
        assert_eq!(cal.business_minutes_between(at(CN, 2026, 12, 8, 10, 0), at(CN, 2026, 12, 8, 9, 0)), 0);
        assert_eq!(cal.business_minutes_between(at(CN, 2026, 12, 8, 10, 0), at(CN, 2026, 12, 8, 10, 0)), 0);
        // Rounded down.
        assert_eq!(cal.business_minutes_between(at(CN, 2026, 12, 8, 10, 0), at(CN, 2026, 12, 8, 10, 1) - 1), 0);
        // Whole weekend and nights excluded: Fri 17:00 → Mon 12:00 = 4h.
        assert_eq!(cal.business_minutes_between(at(CN, 2026, 12, 4, 17, 0), at(CN, 2026, 12, 7, 12, 0)), 240);
        // Four weeks of office time.
        assert_eq!(cal.business_minutes_between(at(CN, 2026, 11, 2, 0, 0), at(CN, 2026, 11, 30, 0, 0)), 20 * 540);
    }

    fn sample_calendars() -> Vec<BusinessCalendar> {
        let mut cn = BusinessCalendar::office(CN);
        cn.holidays = vec![days_from_civil(2026, 10, 2), days_from_civil(2026, 10, 1), days_from_civil(2026, 10, 5)];
        cn.extra_work_days = vec![days_from_civil(2026, 10, 10), days_from_civil(2026, 9, 27)];
        let mut saturday_only = BusinessCalendar::office(-300);
        saturday_only.work_days = [false, false, false, false, false, true, false];
        saturday_only.start_minute = 10 * 60 + 30;
        saturday_only.end_minute = 14 * 60 + 15;
        let mut shifted = BusinessCalendar::office(-570);
        shifted.start_minute = 0;
        shifted.end_minute = 5 * 60;
        vec![BusinessCalendar::office(CN), cn, BusinessCalendar::always(60), saturday_only, shifted]
    }

    #[test]
    fn between_inverts_add() {
        let durations = [0, 1, 59, 60, 225, 539, 540, 541, 1000, 2700, 10_000];
        for cal in sample_calendars() {
            let base = at(cal.offset_minutes, 2026, 9, 24, 0, 0);
            let mut start = base;
            while start < base + 16 * 24 * HOUR {
                let effective = cal.add_business_minutes(start, 0);
                assert!(effective >= start);
                for &m in &durations {
                    let due = cal.add_business_minutes(start, m);
                    assert!(due >= effective, "{cal:?} {start} {m}");
                    assert_eq!(cal.business_minutes_between(effective, due), m, "{cal:?} {start} {m}");
                    assert_eq!(cal.business_minutes_between(start, due), m, "{cal:?} {start} {m}");
                    assert_eq!(cal.add_business_minutes(effective, m), due, "{cal:?} {start} {m}");
                }
                start += 37 * 60_000 + 13_000;
            }
        }
    }

    #[test]
    fn week_skipping_matches_day_by_day() {
        // A holiday far in the future forces the day-by-day path up to it; results must agree.
        for cal in sample_calendars() {
            let mut slow = cal.clone();
            slow.holidays.push(days_from_civil(2040, 1, 1));
            let start = at(cal.offset_minutes, 2026, 11, 3, 11, 7) + 999;
            for m in [7_777, 100_000, 250_001] {
                let due = cal.add_business_minutes(start, m);
                assert_eq!(slow.add_business_minutes(start, m), due, "{cal:?} {m}");
                assert_eq!(cal.business_minutes_between(start, due), m);
                assert_eq!(slow.business_minutes_between(start, due), m);
            }
            let later = at(cal.offset_minutes, 2031, 5, 17, 13, 0);
            assert_eq!(cal.business_minutes_between(start, later), slow.business_minutes_between(start, later));
        }
    }

    #[test]
    fn ten_thousand_minutes_over_office_calendar() {
        let cal = BusinessCalendar::office(CN);
        // 10 000 = 18 full 540-minute days + 280 minutes: the 19th working day at 13:40.
        let due = cal.add_business_minutes(at(CN, 2026, 12, 7, 9, 0), 10_000);
        assert_eq!(due, at(CN, 2026, 12, 31, 13, 40));
    }

    #[test]
    fn huge_durations_terminate_and_saturate() {
        let cal = BusinessCalendar::office(CN);
        let start = at(CN, 2026, 12, 7, 9, 0);
        assert_eq!(cal.add_business_minutes(start, i64::MAX), i64::MAX);
        let far = cal.add_business_minutes(start, 1_000_000_000_000);
        assert!(far > start && far < i64::MAX);
        assert_eq!(cal.business_minutes_between(start, far), 1_000_000_000_000);
        assert!(cal.business_minutes_between(i64::MIN, i64::MAX) > 0);
    }

    #[test]
    fn all_false_calendar_terminates_as_24x7() {
        let mut cal = BusinessCalendar::office(CN);
        cal.work_days = [false; 7];
        cal.holidays = vec![days_from_civil(2026, 12, 8)];
        let start = at(CN, 2026, 12, 5, 3, 0);
        assert_eq!(cal.add_business_minutes(start, 60), start + HOUR);
        assert_eq!(cal.add_business_minutes(start, 10_000), start + 10_000 * 60_000);
        assert_eq!(cal.business_minutes_between(start, start + 5 * HOUR), 300);
        // Extra days that are all holidays leave no working day either.
        cal.extra_work_days = vec![days_from_civil(2026, 12, 8)];
        assert_eq!(cal.add_business_minutes(start, 60), start + HOUR);
    }

    #[test]
    fn only_extra_days_run_out_to_never() {
        let mut cal = BusinessCalendar::office(CN);
        cal.work_days = [false; 7];
        cal.extra_work_days = vec![days_from_civil(2026, 12, 6)];
        let start = at(CN, 2026, 12, 1, 12, 0);
        assert_eq!(cal.add_business_minutes(start, 60), at(CN, 2026, 12, 6, 10, 0));
        assert_eq!(cal.add_business_minutes(start, 540), at(CN, 2026, 12, 6, 18, 0));
        assert_eq!(cal.add_business_minutes(start, 541), i64::MAX);
        assert_eq!(cal.add_business_minutes(at(CN, 2026, 12, 7, 12, 0), 0), i64::MAX);
        assert_eq!(cal.business_minutes_between(start, at(CN, 2027, 1, 1, 0, 0)), 540);
    }

    #[test]
    fn sla_states() {
        let cal = BusinessCalendar::office(CN);
        let started = at(CN, 2026, 12, 7, 9, 0); // Monday
        let due = cal.add_business_minutes(started, 600); // Tuesday 10:00
        assert_eq!(due, at(CN, 2026, 12, 8, 10, 0));

        let warn = warn_at(&cal, started, due, 80); // 480 minutes in: Monday 17:00
        assert_eq!(warn, at(CN, 2026, 12, 7, 17, 0));
        assert!(started < warn && warn < due);

        let before_warn = at(CN, 2026, 12, 7, 16, 0);
        let after_warn = at(CN, 2026, 12, 7, 17, 30);
        let late = at(CN, 2026, 12, 8, 10, 1);
        assert_eq!(sla_state(&cal, started, due, Some(at(CN, 2026, 12, 7, 11, 0)), late, 80), SlaState::Met);
        assert_eq!(sla_state(&cal, started, due, Some(due), late, 80), SlaState::Met);
        assert_eq!(sla_state(&cal, started, due, Some(late), late, 80), SlaState::MetLate);
        assert_eq!(sla_state(&cal, started, due, None, before_warn, 80), SlaState::OnTrack);
        assert_eq!(sla_state(&cal, started, due, None, warn, 80), SlaState::AtRisk);
        assert_eq!(sla_state(&cal, started, due, None, after_warn, 80), SlaState::AtRisk);
        // Overnight the clock is stopped: still at risk, not breached.
        assert_eq!(sla_state(&cal, started, due, None, at(CN, 2026, 12, 8, 3, 0), 80), SlaState::AtRisk);
        assert_eq!(sla_state(&cal, started, due, None, due, 80), SlaState::AtRisk);
        assert_eq!(sla_state(&cal, started, due, None, late, 80), SlaState::Breached);
    }

    #[test]
    fn warn_at_stays_within_window() {
        for cal in sample_calendars() {
            let started = at(cal.offset_minutes, 2026, 9, 25, 16, 20);
            for minutes in [1, 60, 540, 2000] {
                let due = cal.add_business_minutes(started, minutes);
                for pct in [1, 50, 80, 100] {
                    let w = warn_at(&cal, started, due, pct);
                    assert!(started <= w && w <= due, "{cal:?} {minutes} {pct}");
                }
                assert_eq!(warn_at(&cal, started, due, 100), due);
                assert_eq!(warn_at(&cal, started, due, 250), due);
            }
        }
    }

    #[test]
    fn waiting_for_the_customer_stops_the_resolution_clock() {
        let cal = BusinessCalendar::office(CN);
        // Due Monday 2026-11-30 at 17:00, warned at 15:00.
        let (warn, due) = (at(CN, 2026, 11, 30, 15, 0), at(CN, 2026, 11, 30, 17, 0));
        // Waiting from Friday 16:00 until Monday 10:30: two business hours on Friday and
        // one and a half on Monday; the weekend does not count.
        let (paused, w, d) = resume(&cal, at(CN, 2026, 11, 27, 16, 0), at(CN, 2026, 11, 30, 10, 30), warn, due);
        assert_eq!(paused, 210);
        // 15:00 + 210 business minutes: three hours to closing, the last half hour on Tuesday.
        assert_eq!(w, at(CN, 2026, 12, 1, 9, 30));
        // 17:00 + 210: one hour to closing, two and a half on Tuesday morning.
        assert_eq!(d, at(CN, 2026, 12, 1, 11, 30));
        // Waiting over a weekend only stops nothing.
        let (paused, w, d) = resume(&cal, at(CN, 2026, 11, 28, 10, 0), at(CN, 2026, 11, 29, 20, 0), warn, due);
        assert_eq!((paused, w, d), (0, warn, due));
        // Around the clock, every minute waited counts.
        let (paused, _, d) = resume(&BusinessCalendar::always(CN), at(CN, 2026, 11, 28, 10, 0), at(CN, 2026, 11, 28, 12, 0), warn, due);
        assert_eq!((paused, d), (120, due + 2 * HOUR));
    }
}
