//! SQL of the sales reports. Every query takes a `Grant` and applies the
//! opportunities' data scope and privacy rule, then the same [`OppFilter`] SQL the
//! list runs, so a figure and its drill-down list agree by construction.
use crate::opportunities::repo::{push_opp_filter, scoped};
use crate::opportunities::types::OppFilter;
use crate::platform::authz::Grant;
use crate::platform::db::{sql, SqlBuilder, Tx};
use crate::reports::types::{Cell, TargetCell};

fn base(select: &str, grant: &Grant, f: &OppFilter) -> SqlBuilder {
    let mut q = sql(select);
    q.push(" WHERE o.deleted_at IS NULL");
    scoped(&mut q, grant);
    push_opp_filter(&mut q, f, None, None);
    q
}

/// Open opportunities per stage: (stage, count, amount).
pub async fn funnel(tx: &mut Tx, grant: &Grant, f: &OppFilter) -> Result<Vec<(i64, i64, i64)>, sqlx::Error> {
    let f = OppFilter { status: Some("open".into()), ..f.clone() };
    let mut q = base("SELECT o.stage_id, COUNT(*), CAST(COALESCE(SUM(o.amount), 0) AS BIGINT) FROM opportunities o", grant, &f);
    q.push(" GROUP BY o.stage_id");
    q.fetch_all(tx).await
}

/// Opportunities created in `[from, before)` by furthest stage reached and status.
pub async fn furthest(
    tx: &mut Tx,
    grant: &Grant,
    f: &OppFilter,
    from: i64,
    before: i64,
) -> Result<Vec<(Option<i64>, String, i64)>, sqlx::Error> {
    let mut q = base("SELECT o.furthest_stage_id, o.status, COUNT(*) FROM opportunities o", grant, f);
    q.push(" AND o.created_at >= ").bind_i64(from);
    q.push(" AND o.created_at < ").bind_i64(before);
    q.push(" GROUP BY o.furthest_stage_id, o.status");
    q.fetch_all(tx).await
}

/// Moves out of each stage in `[from, before)`: (stage, moves, mean ms in the stage).
pub async fn time_in_stage(tx: &mut Tx, grant: &Grant, f: &OppFilter, from: i64, before: i64) -> Result<Vec<(i64, i64, i64)>, sqlx::Error> {
    let mut q = sql("SELECT h.from_stage_id, COUNT(*), CAST(AVG(h.time_in_stage) AS BIGINT) \
         FROM opportunity_stage_history h JOIN opportunities o ON o.id = h.opportunity_id WHERE o.deleted_at IS NULL");
    scoped(&mut q, grant);
    push_opp_filter(&mut q, f, None, None);
    q.push(" AND h.moved_at >= ").bind_i64(from);
    q.push(" AND h.moved_at < ").bind_i64(before);
    q.push(" AND h.from_stage_id IS NOT NULL AND h.time_in_stage IS NOT NULL GROUP BY h.from_stage_id");
    q.fetch_all(tx).await
}

/// Open opportunities expected to close in each month: `starts` are the months' first
/// days (`YYYY-MM-DD`), `end` the last day of the last month.
pub async fn open_cells(tx: &mut Tx, grant: &Grant, f: &OppFilter, starts: &[String], end: &str) -> Result<Vec<Cell>, sqlx::Error> {
    let mut q = sql("SELECT o.owner_id, o.department_id, o.stage_id, FALSE AS won, CAST(CASE");
    for (i, start) in starts.iter().enumerate().skip(1).rev() {
        q.push(" WHEN o.expected_close >= ").bind_text(start.clone());
        q.push(&format!(" THEN {i}"));
    }
    q.push(
        " ELSE 0 END AS BIGINT) AS bucket, COUNT(*) AS count, CAST(COALESCE(SUM(o.amount), 0) AS BIGINT) AS amount FROM opportunities o",
    );
    q.push(" WHERE o.deleted_at IS NULL AND o.status = 'open'");
    scoped(&mut q, grant);
    push_opp_filter(&mut q, f, None, None);
    q.push(" AND o.expected_close >= ").bind_text(starts.first().cloned().unwrap_or_default());
    q.push(" AND o.expected_close <= ").bind_text(end.to_string());
    q.push(" GROUP BY o.owner_id, o.department_id, o.stage_id, bucket");
    q.fetch_all(tx).await
}

/// Opportunities won in each month: `bounds` are the UTC starts of the months and
/// the end of the last one.
pub async fn won_cells(tx: &mut Tx, grant: &Grant, f: &OppFilter, bounds: &[i64]) -> Result<Vec<Cell>, sqlx::Error> {
    let mut q = sql("SELECT o.owner_id, o.department_id, o.stage_id, TRUE AS won, CAST(CASE");
    let n = bounds.len().saturating_sub(1);
    for (i, start) in bounds.iter().enumerate().take(n).skip(1).rev() {
        q.push(" WHEN o.closed_at >= ").bind_i64(*start);
        q.push(&format!(" THEN {i}"));
    }
    q.push(
        " ELSE 0 END AS BIGINT) AS bucket, COUNT(*) AS count, CAST(COALESCE(SUM(o.amount), 0) AS BIGINT) AS amount FROM opportunities o",
    );
    q.push(" WHERE o.deleted_at IS NULL AND o.status = 'won'");
    scoped(&mut q, grant);
    push_opp_filter(&mut q, f, None, None);
    q.push(" AND o.closed_at >= ").bind_i64(bounds.first().copied().unwrap_or_default());
    q.push(" AND o.closed_at < ").bind_i64(bounds.last().copied().unwrap_or_default());
    q.push(" GROUP BY o.owner_id, o.department_id, o.stage_id, bucket");
    q.fetch_all(tx).await
}

/// Targets of the months `from..=to` in one currency.
pub async fn targets(tx: &mut Tx, from: &str, to: &str, currency: &str) -> Result<Vec<TargetCell>, sqlx::Error> {
    sql("SELECT month, user_id, department_id, amount FROM sales_targets WHERE month >= $1 AND month <= $2 AND currency = $3")
        .arg_text(from)
        .arg_text(to)
        .arg_text(currency)
        .fetch_all(tx)
        .await
}

/// Every user: (id, name, department, department path, active).
pub async fn people(tx: &mut Tx) -> Result<Vec<(i64, String, Option<i64>, Option<String>, bool)>, sqlx::Error> {
    sql("SELECT u.id, u.display_name, u.department_id, d.path, u.active FROM users u LEFT JOIN departments d ON d.id = u.department_id \
         ORDER BY u.display_name, u.id")
    .fetch_all(tx)
    .await
}

/// Every department: (id, name, path).
pub async fn departments(tx: &mut Tx) -> Result<Vec<(i64, String, String)>, sqlx::Error> {
    sql("SELECT id, name, path FROM departments ORDER BY path, id").fetch_all(tx).await
}

/// Replaces one person's or department's targets for the months given.
pub async fn save_targets(
    tx: &mut Tx,
    subject: (Option<i64>, Option<i64>),
    currency: &str,
    months: &[(String, Option<i64>)],
    actor: Option<i64>,
    now: i64,
) -> Result<(), sqlx::Error> {
    for (month, amount) in months {
        let mut del = sql("DELETE FROM sales_targets WHERE month = ");
        del.bind_text(month.clone());
        del.push(" AND currency = ").bind_text(currency);
        match subject {
            (Some(u), _) => del.push(" AND user_id = ").bind_i64(u),
            (_, d) => del.push(" AND department_id = ").bind_i64(d.unwrap_or_default()),
        };
        del.execute(&mut *tx).await?;
        if let Some(a) = amount {
            sql("INSERT INTO sales_targets (month, user_id, department_id, currency, amount, updated_at, updated_by) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7)")
            .arg_text(month.clone())
            .arg_opt_i64(subject.0)
            .arg_opt_i64(subject.1)
            .arg_text(currency)
            .arg_i64(*a)
            .arg_i64(now)
            .arg_opt_i64(actor)
            .execute(&mut *tx)
            .await?;
        }
    }
    Ok(())
}

/// Targets of one year and currency with their last change: (month, user, department, amount, updated_at).
pub async fn year_targets(
    tx: &mut Tx,
    year: i64,
    currency: &str,
) -> Result<Vec<(String, Option<i64>, Option<i64>, i64, i64)>, sqlx::Error> {
    sql("SELECT month, user_id, department_id, amount, updated_at FROM sales_targets WHERE month >= $1 AND month <= $2 AND currency = $3")
        .arg_text(format!("{year:04}-01"))
        .arg_text(format!("{year:04}-12"))
        .arg_text(currency)
        .fetch_all(tx)
        .await
}
