//! SQL of the sales reports. Every query takes a `Grant` and applies the
//! opportunities' data scope and privacy rule, then the same [`OppFilter`] SQL the
//! list runs, so a figure and its drill-down list agree by construction. The
//! `rolled_*` reads take the same scope and filter from the rollup tables that
//! migration 0018's triggers keep (see [`Part`]).
use crate::opportunities::repo::{push_opp_filter, scoped};
use crate::opportunities::types::OppFilter;
use crate::platform::authz::{Grant, Scope};
use crate::platform::db::{sql, SqlBuilder, Tx};
use crate::reports::types::{Cell, TargetCell};

/// A rollup row: (owner, department, stage, month `YYYYMM`, count, amount).
pub type RolledCell = (Option<i64>, Option<i64>, i64, i64, i64, i64);

/// Which opportunities a row-reading query covers. The rollup tables hold the
/// [`Part::Rolled`] part of every user's view; [`Part::Shared`] is what sharing adds.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Part {
    /// Everything the user sees: the drill-down lists' rule (scope, privacy, shared rows).
    Seen,
    /// The owner's or department's scope, with private rows only the user's own.
    Rolled,
    /// Rows shared with the user as a collaborator that the rolled part leaves out.
    Shared,
}

/// ` AND` the rolled part's condition for rows under alias `o` (opportunities or a rollup).
fn push_rolled(q: &mut SqlBuilder, grant: &Grant) {
    if grant.scope == Scope::All {
        return;
    }
    grant.push_scope_only(q, "o");
    q.push(" AND (o.is_private = FALSE OR o.owner_id = ").bind_i64(grant.user_id);
    q.push(")");
}

fn push_part(q: &mut SqlBuilder, grant: &Grant, part: Part) {
    match part {
        Part::Seen => scoped(q, grant),
        Part::Rolled => push_rolled(q, grant),
        Part::Shared => {
            q.push(" AND o.id IN (SELECT pc.opportunity_id FROM opportunity_collaborators pc WHERE pc.user_id = ").bind_i64(grant.user_id);
            q.push(") AND NOT COALESCE((TRUE");
            push_rolled(q, grant);
            q.push("), FALSE)");
        }
    }
}

/// Nothing is shared beyond an unlimited scope.
fn empty(grant: &Grant, part: Part) -> bool {
    part == Part::Shared && grant.scope == Scope::All
}

fn base(select: &str, grant: &Grant, part: Part, f: &OppFilter) -> SqlBuilder {
    let mut q = sql(select);
    q.push(" WHERE o.deleted_at IS NULL");
    push_part(&mut q, grant, part);
    push_opp_filter(&mut q, f, None, None);
    q
}

/// ` AND` column `col` falls in one of the half-open `intervals` (in order, disjoint;
/// touching ones are merged).
fn push_in_intervals(q: &mut SqlBuilder, col: &str, intervals: &[(i64, i64)]) {
    let mut merged: Vec<(i64, i64)> = Vec::new();
    for &(lo, hi) in intervals {
        match merged.last_mut() {
            Some(last) if last.1 == lo => last.1 = hi,
            _ => merged.push((lo, hi)),
        }
    }
    q.push(" AND (");
    for (i, (lo, hi)) in merged.iter().enumerate() {
        q.push(if i == 0 { "(" } else { " OR (" });
        q.push(col).push(" >= ").bind_i64(*lo);
        q.push(" AND ").push(col).push(" < ").bind_i64(*hi);
        q.push(")");
    }
    if merged.is_empty() {
        q.push("FALSE");
    }
    q.push(")");
}

/// The index of the interval `col` falls in, as column `bucket`.
fn push_interval_index(q: &mut SqlBuilder, col: &str, intervals: &[(i64, i64)]) {
    if intervals.len() < 2 {
        q.push("CAST(0 AS BIGINT) AS bucket");
        return;
    }
    q.push("CAST(CASE");
    for (i, (_, hi)) in intervals.iter().enumerate().take(intervals.len().saturating_sub(1)) {
        q.push(" WHEN ").push(col).push(" < ").bind_i64(*hi);
        q.push(&format!(" THEN {i}"));
    }
    q.push(&format!(" ELSE {} END AS BIGINT) AS bucket", intervals.len().saturating_sub(1)));
}

/// Open opportunities per stage: (stage, count, amount).
pub async fn funnel(tx: &mut Tx, grant: &Grant, part: Part, f: &OppFilter) -> Result<Vec<(i64, i64, i64)>, sqlx::Error> {
    if empty(grant, part) {
        return Ok(Vec::new());
    }
    let f = OppFilter { status: Some("open".into()), ..f.clone() };
    let mut q = base("SELECT o.stage_id, COUNT(*), CAST(COALESCE(SUM(o.amount), 0) AS BIGINT) FROM opportunities o", grant, part, &f);
    q.push(" GROUP BY o.stage_id");
    q.fetch_all(tx).await
}

/// Opportunities created in each interval by furthest stage reached and status:
/// (interval, furthest stage, status, count).
pub async fn furthest(
    tx: &mut Tx,
    grant: &Grant,
    part: Part,
    f: &OppFilter,
    intervals: &[(i64, i64)],
) -> Result<Vec<(i64, Option<i64>, String, i64)>, sqlx::Error> {
    if empty(grant, part) || intervals.is_empty() {
        return Ok(Vec::new());
    }
    let mut q = sql("SELECT ");
    push_interval_index(&mut q, "o.created_at", intervals);
    q.push(", o.furthest_stage_id, o.status, COUNT(*) FROM opportunities o WHERE o.deleted_at IS NULL");
    push_part(&mut q, grant, part);
    push_opp_filter(&mut q, f, None, None);
    push_in_intervals(&mut q, "o.created_at", intervals);
    q.push(" GROUP BY bucket, o.furthest_stage_id, o.status");
    q.fetch_all(tx).await
}

/// Moves out of each stage made in each interval: (interval, stage, moves, total ms in the stage).
pub async fn moves(
    tx: &mut Tx,
    grant: &Grant,
    part: Part,
    f: &OppFilter,
    intervals: &[(i64, i64)],
) -> Result<Vec<(i64, i64, i64, i64)>, sqlx::Error> {
    if empty(grant, part) || intervals.is_empty() {
        return Ok(Vec::new());
    }
    let mut q = sql("SELECT ");
    push_interval_index(&mut q, "h.moved_at", intervals);
    // CROSS JOIN: SQLite reads the history by `moved_at` first instead of every opportunity.
    q.push(
        ", h.from_stage_id, COUNT(*), CAST(SUM(h.time_in_stage) AS BIGINT) \
         FROM opportunity_stage_history h CROSS JOIN opportunities o WHERE o.id = h.opportunity_id AND o.deleted_at IS NULL",
    );
    push_part(&mut q, grant, part);
    push_opp_filter(&mut q, f, None, None);
    push_in_intervals(&mut q, "h.moved_at", intervals);
    q.push(" AND h.from_stage_id IS NOT NULL AND h.time_in_stage IS NOT NULL GROUP BY bucket, h.from_stage_id");
    q.fetch_all(tx).await
}

/// Open opportunities expected to close in each month: `starts` are the months' first
/// days (`YYYY-MM-DD`), `end` the last day of the last month.
pub async fn open_cells(
    tx: &mut Tx,
    grant: &Grant,
    part: Part,
    f: &OppFilter,
    starts: &[String],
    end: &str,
) -> Result<Vec<Cell>, sqlx::Error> {
    if empty(grant, part) {
        return Ok(Vec::new());
    }
    let mut q = sql("SELECT o.owner_id, o.department_id, o.stage_id, FALSE AS won, CAST(CASE");
    for (i, start) in starts.iter().enumerate().skip(1).rev() {
        q.push(" WHEN o.expected_close >= ").bind_text(start.clone());
        q.push(&format!(" THEN {i}"));
    }
    q.push(
        " ELSE 0 END AS BIGINT) AS bucket, COUNT(*) AS count, CAST(COALESCE(SUM(o.amount), 0) AS BIGINT) AS amount FROM opportunities o",
    );
    q.push(" WHERE o.deleted_at IS NULL AND o.status = 'open'");
    push_part(&mut q, grant, part);
    push_opp_filter(&mut q, f, None, None);
    q.push(" AND o.expected_close >= ").bind_text(starts.first().cloned().unwrap_or_default());
    q.push(" AND o.expected_close <= ").bind_text(end.to_string());
    q.push(" GROUP BY o.owner_id, o.department_id, o.stage_id, bucket");
    q.fetch_all(tx).await
}

/// Opportunities won in each interval (closing time), bucketed by interval.
pub async fn won_cells(tx: &mut Tx, grant: &Grant, part: Part, f: &OppFilter, intervals: &[(i64, i64)]) -> Result<Vec<Cell>, sqlx::Error> {
    if empty(grant, part) || intervals.is_empty() {
        return Ok(Vec::new());
    }
    let mut q = sql("SELECT o.owner_id, o.department_id, o.stage_id, TRUE AS won, ");
    push_interval_index(&mut q, "o.closed_at", intervals);
    q.push(", COUNT(*) AS count, CAST(COALESCE(SUM(o.amount), 0) AS BIGINT) AS amount FROM opportunities o");
    q.push(" WHERE o.deleted_at IS NULL AND o.status = 'won'");
    push_part(&mut q, grant, part);
    push_opp_filter(&mut q, f, None, None);
    push_in_intervals(&mut q, "o.closed_at", intervals);
    q.push(" GROUP BY o.owner_id, o.department_id, o.stage_id, bucket");
    q.fetch_all(tx).await
}

/// A rollup read: the rolled part of the user's view under the dashboard's filter
/// (process, owner, team, currency), rollup rows aliased `o`.
fn rollup(select: &str, grant: &Grant, f: &OppFilter, months: Option<(i64, i64)>) -> SqlBuilder {
    let mut q = sql(select);
    q.push(" WHERE TRUE");
    push_rolled(&mut q, grant);
    push_opp_filter(&mut q, &OppFilter { status: None, ..f.clone() }, None, None);
    if let Some((from, to)) = months {
        q.push(" AND o.month >= ").bind_i64(from);
        q.push(" AND o.month <= ").bind_i64(to);
    }
    q
}

/// Open opportunities by owner, department, stage and expected close month
/// (`YYYYMM`, 0 when none): (owner, department, stage, month, count, amount).
pub async fn rolled_open(tx: &mut Tx, grant: &Grant, f: &OppFilter) -> Result<Vec<RolledCell>, sqlx::Error> {
    let mut q = rollup(
        "SELECT NULLIF(o.owner_id, 0), NULLIF(o.department_id, 0), o.stage_id, o.close_month, CAST(SUM(o.n) AS BIGINT), \
         CAST(SUM(o.amount) AS BIGINT) FROM opportunity_rollup_open o",
        grant,
        f,
        None,
    );
    q.push(" GROUP BY o.owner_id, o.department_id, o.stage_id, o.close_month HAVING SUM(o.n) <> 0");
    q.fetch_all(tx).await
}

/// Won opportunities by owner, department, stage and UTC month closed, for the
/// months `from..=to` (`YYYYMM`).
pub async fn rolled_won(tx: &mut Tx, grant: &Grant, f: &OppFilter, from: i64, to: i64) -> Result<Vec<RolledCell>, sqlx::Error> {
    let mut q = rollup(
        "SELECT NULLIF(o.owner_id, 0), NULLIF(o.department_id, 0), o.stage_id, o.month, CAST(SUM(o.n) AS BIGINT), \
         CAST(SUM(o.amount) AS BIGINT) FROM opportunity_rollup_won o",
        grant,
        f,
        Some((from, to)),
    );
    q.push(" GROUP BY o.owner_id, o.department_id, o.stage_id, o.month HAVING SUM(o.n) <> 0");
    q.fetch_all(tx).await
}

/// Opportunities created in the UTC months `from..=to` by furthest stage and status.
pub async fn rolled_created(
    tx: &mut Tx,
    grant: &Grant,
    f: &OppFilter,
    from: i64,
    to: i64,
) -> Result<Vec<(Option<i64>, String, i64)>, sqlx::Error> {
    let mut q = rollup(
        "SELECT NULLIF(o.furthest_stage_id, 0), o.status, CAST(SUM(o.n) AS BIGINT) FROM opportunity_rollup_created o",
        grant,
        f,
        Some((from, to)),
    );
    q.push(" GROUP BY o.furthest_stage_id, o.status");
    q.fetch_all(tx).await
}

/// Stage moves made in the UTC months `from..=to`: (stage left, moves, total ms).
pub async fn rolled_moves(tx: &mut Tx, grant: &Grant, f: &OppFilter, from: i64, to: i64) -> Result<Vec<(i64, i64, i64)>, sqlx::Error> {
    let mut q = rollup(
        "SELECT o.from_stage_id, CAST(SUM(o.n) AS BIGINT), CAST(SUM(o.total_ms) AS BIGINT) FROM opportunity_rollup_moves o",
        grant,
        f,
        Some((from, to)),
    );
    q.push(" GROUP BY o.from_stage_id");
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
