//! Service statistics for managers (V9): volume, first response and resolution against
//! the SLA, performance per person and per engineer, failure causes and satisfaction, for
//! the requests created in a period inside the user's request scope.
use serde::{Deserialize, Serialize};

/// Periods offered: this month, last month, the last 30 days, this year.
pub const PERIODS: [&str; 4] = ["month", "last_month", "30d", "year"];

/// First day (inclusive) and the day after the last, as `(y, m, d)`, of `period` seen
/// from `today`.
pub fn period_days(period: &str, today: (i64, i64, i64)) -> ((i64, i64, i64), (i64, i64, i64)) {
    let (y, m, d) = today;
    let next_month = |y: i64, m: i64| if m == 12 { (y + 1, 1) } else { (y, m + 1) };
    match period {
        "last_month" => {
            let (py, pm) = if m == 1 { (y - 1, 12) } else { (y, m - 1) };
            ((py, pm, 1), (y, m, 1))
        }
        "30d" => {
            // Counted in days from a civil date: go through milliseconds at UTC.
            let ms = crate::platform::time::parse_date_ms(&format!("{y:04}-{m:02}-{d:02}"), 0).unwrap_or(0);
            let start = crate::platform::time::date_parts(ms - 29 * 86_400_000);
            let end = crate::platform::time::date_parts(ms + 86_400_000);
            (start, end)
        }
        "year" => ((y, 1, 1), (y + 1, 1, 1)),
        _ => {
            let (ny, nm) = next_month(y, m);
            ((y, m, 1), (ny, nm, 1))
        }
    }
}

/// How one target (first response or resolution) went for the period's requests.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(sqlx::FromRow))]
pub struct TargetStats {
    /// Requests that reached the target (responded, resolved).
    pub done: i64,
    /// Of those, within the deadline.
    pub on_time: i64,
    /// Not reached and already past the deadline.
    pub overdue: i64,
    /// Mean wall-clock minutes from creation to the target.
    pub avg_minutes: Option<i64>,
}

impl TargetStats {
    /// Share reached on time, in percent of those reached.
    pub fn on_time_percent(&self) -> Option<i64> {
        (self.done > 0).then(|| (self.on_time * 100 + self.done / 2) / self.done)
    }
}

/// One person's requests of the period.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(sqlx::FromRow))]
pub struct PersonStats {
    pub user_id: i64,
    pub name: String,
    pub handled: i64,
    pub resolved: i64,
    pub resolved_on_time: i64,
    /// Mean satisfaction × 100 of their requests' latest return visits.
    pub satisfaction_x100: Option<i64>,
}

/// One engineer's work orders planned in the period.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(sqlx::FromRow))]
pub struct EngineerStats {
    pub user_id: i64,
    pub name: String,
    pub jobs: i64,
    pub completed: i64,
    pub planned_minutes: i64,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct ServiceStats {
    pub period: String,
    /// `YYYY-MM-DD` of the first day and the day after the last.
    pub from: String,
    pub to: String,
    pub total: i64,
    pub by_kind: Vec<(String, i64)>,
    pub by_status: Vec<(String, i64)>,
    pub response: TargetStats,
    pub resolution: TargetStats,
    pub people: Vec<PersonStats>,
    pub engineers: Vec<EngineerStats>,
    /// Products (or assets' products) with the most repairs, complaints and returns.
    pub causes: Vec<(String, i64)>,
    pub product_issues: i64,
    /// Return visits of the period: how many, mean × 100, and the count of each score 1–5.
    pub visits: i64,
    pub satisfaction_x100: Option<i64>,
    pub scores: [i64; 5],
}

#[cfg(feature = "ssr")]
pub mod compute {
    use super::*;
    use crate::platform::authz::{authorize, Action, CurrentUser, Entity, Grant};
    use crate::platform::db::{sql, Db, SqlBuilder, Tx};
    use crate::platform::error::AppResult;
    use crate::platform::time::{local_today, now_ms, parse_date_ms};

    /// `FROM service_requests r WHERE <scope> AND created in [from, to)`.
    fn scoped(select: &str, grant: &Grant, from: i64, to: i64) -> SqlBuilder {
        let mut b = sql(select);
        b.push(" WHERE r.deleted_at IS NULL AND r.created_at >= ").bind_i64(from).push(" AND r.created_at < ").bind_i64(to);
        grant.push_filter(&mut b, "r");
        b
    }

    async fn counts(tx: &mut Tx, grant: &Grant, column: &str, from: i64, to: i64) -> AppResult<Vec<(String, i64)>> {
        let mut b = scoped(&format!("SELECT r.{column}, COUNT(*) FROM service_requests r"), grant, from, to);
        b.push(&format!(" GROUP BY r.{column} ORDER BY COUNT(*) DESC, r.{column}"));
        Ok(b.fetch_all(tx).await?)
    }

    async fn target(tx: &mut Tx, grant: &Grant, at: &str, due: &str, from: i64, to: i64, now: i64) -> AppResult<TargetStats> {
        let mut b = sql(&format!(
            "SELECT COUNT(r.{at}) AS done, COALESCE(SUM(CASE WHEN r.{at} <= r.{due} THEN 1 ELSE 0 END), 0) AS on_time, \
             COALESCE(SUM(CASE WHEN r.{at} IS NULL AND r.status <> 'cancelled' AND r.{due} < "
        ));
        b.bind_i64(now);
        b.push(&format!(
            " THEN 1 ELSE 0 END), 0) AS overdue, CAST(AVG(r.{at} - r.created_at) / 60000 AS BIGINT) AS avg_minutes FROM service_requests r"
        ));
        b.push(" WHERE r.deleted_at IS NULL AND r.created_at >= ").bind_i64(from).push(" AND r.created_at < ").bind_i64(to);
        grant.push_filter(&mut b, "r");
        Ok(b.fetch_one(tx).await?)
    }

    pub async fn stats(db: &Db, user: &CurrentUser, period: &str) -> AppResult<ServiceStats> {
        let grant = authorize(user, Entity::ServiceRequest, Action::View)?;
        let period = if PERIODS.contains(&period) { period } else { "month" };
        let offset = crate::account::api::tz_offset_minutes();
        let (a, z) = period_days(period, local_today());
        let day = |(y, m, d): (i64, i64, i64)| format!("{y:04}-{m:02}-{d:02}");
        let (from_s, to_s) = (day(a), day(z));
        let from = parse_date_ms(&from_s, offset).unwrap_or(0);
        let to = parse_date_ms(&to_s, offset).unwrap_or(i64::MAX);
        let now = now_ms();
        let mut tx = db.read().await?;
        let by_kind = counts(&mut tx, &grant, "kind", from, to).await?;
        let by_status = counts(&mut tx, &grant, "status", from, to).await?;
        let total = by_kind.iter().map(|k| k.1).sum();
        let response = target(&mut tx, &grant, "first_response_at", "response_due_at", from, to, now).await?;
        let resolution = target(&mut tx, &grant, "resolved_at", "resolution_due_at", from, to, now).await?;

        let mut b = scoped(
            "SELECT r.owner_id AS user_id, u.display_name AS name, COUNT(*) AS handled, COUNT(r.resolved_at) AS resolved, \
             COALESCE(SUM(CASE WHEN r.resolved_at <= r.resolution_due_at THEN 1 ELSE 0 END), 0) AS resolved_on_time, \
             CAST(AVG(r.satisfaction * 100) AS BIGINT) AS satisfaction_x100 \
             FROM service_requests r JOIN users u ON u.id = r.owner_id",
            &grant,
            from,
            to,
        );
        b.push(" GROUP BY r.owner_id, u.display_name ORDER BY COUNT(*) DESC, u.display_name LIMIT 50");
        let people = b.fetch_all(&mut tx).await?;

        // Work orders planned in the period, per engineer, within the work order scope.
        let engineers = match authorize(user, Entity::WorkOrder, Action::View) {
            Ok(g) => {
                let mut b = sql("SELECT w.owner_id AS user_id, u.display_name AS name, COUNT(*) AS jobs, \
                     COALESCE(SUM(CASE WHEN w.status = 'completed' THEN 1 ELSE 0 END), 0) AS completed, \
                     CAST(COALESCE(SUM(w.planned_end - w.planned_start), 0) / 60000 AS BIGINT) AS planned_minutes \
                     FROM work_orders w JOIN users u ON u.id = w.owner_id WHERE w.deleted_at IS NULL AND w.status <> 'cancelled' \
                     AND w.planned_start >= ");
                b.bind_i64(from).push(" AND w.planned_start < ").bind_i64(to);
                g.push_filter(&mut b, "w");
                b.push(" GROUP BY w.owner_id, u.display_name ORDER BY COUNT(*) DESC, u.display_name LIMIT 50");
                b.fetch_all(&mut tx).await?
            }
            Err(_) => Vec::new(),
        };

        let mut b = scoped(
            "SELECT COALESCE(p.name, a.name) AS cause, COUNT(*) FROM service_requests r \
             LEFT JOIN service_assets a ON a.id = r.asset_id LEFT JOIN products p ON p.id = COALESCE(r.product_id, a.product_id)",
            &grant,
            from,
            to,
        );
        b.push(" AND r.kind IN ('repair', 'complaint', 'return') AND COALESCE(p.name, a.name) IS NOT NULL");
        b.push(" GROUP BY COALESCE(p.name, a.name) ORDER BY COUNT(*) DESC, COALESCE(p.name, a.name) LIMIT 10");
        let causes = b.fetch_all(&mut tx).await?;
        let mut b = scoped("SELECT COUNT(*) FROM service_requests r", &grant, from, to);
        b.push(" AND r.product_issue = ").bind_bool(true);
        let product_issues = b.fetch_i64(&mut tx).await?;

        // Return visits made in the period on requests in scope.
        let mut b = sql("SELECT v.satisfaction, COUNT(*) FROM service_visits v JOIN service_requests r ON r.id = v.request_id \
                         WHERE r.deleted_at IS NULL AND v.created_at >= ");
        b.bind_i64(from).push(" AND v.created_at < ").bind_i64(to);
        grant.push_filter(&mut b, "r");
        b.push(" GROUP BY v.satisfaction");
        let rows: Vec<(i64, i64)> = b.fetch_all(&mut tx).await?;
        let mut scores = [0; 5];
        for (s, n) in rows {
            if (1..=5).contains(&s) {
                scores[(s - 1) as usize] = n;
            }
        }
        let visits: i64 = scores.iter().sum();
        let weighted: i64 = scores.iter().enumerate().map(|(i, n)| (i as i64 + 1) * n).sum();
        let satisfaction_x100 = (visits > 0).then(|| (weighted * 100 + visits / 2) / visits);
        Ok(ServiceStats {
            period: period.into(),
            from: from_s,
            to: to_s,
            total,
            by_kind,
            by_status,
            response,
            resolution,
            people,
            engineers,
            causes,
            product_issues,
            visits,
            satisfaction_x100,
            scores,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn periods_cover_whole_days() {
        assert_eq!(period_days("month", (2026, 12, 15)), ((2026, 12, 1), (2027, 1, 1)));
        assert_eq!(period_days("last_month", (2026, 1, 15)), ((2025, 12, 1), (2026, 1, 1)));
        assert_eq!(period_days("30d", (2026, 3, 1)), ((2026, 1, 31), (2026, 3, 2)));
        assert_eq!(period_days("year", (2026, 3, 1)), ((2026, 1, 1), (2027, 1, 1)));
        assert_eq!(period_days("unknown", (2026, 2, 28)), ((2026, 2, 1), (2026, 3, 1)));
    }

    #[test]
    fn on_time_share_rounds() {
        let t = TargetStats { done: 3, on_time: 2, ..Default::default() };
        assert_eq!(t.on_time_percent(), Some(67));
        assert_eq!(TargetStats::default().on_time_percent(), None);
    }
}
