//! SQL for processes, opportunities and their stage history. Every opportunity read
//! takes a `Grant` and applies its data scope and the privacy rule.
use crate::opportunities::types::*;
use crate::platform::authz::{Grant, Scope};
use crate::platform::db::{sql, SqlBuilder, Tx};

pub async fn processes(tx: &mut Tx) -> Result<Vec<Process>, sqlx::Error> {
    let heads: Vec<(i64, Option<String>, Option<String>, bool)> =
        sql("SELECT id, code, name, is_default FROM sales_processes WHERE hidden = FALSE ORDER BY position, id")
            .fetch_all(&mut *tx)
            .await?;
    let stages: Vec<Stage> = sql("SELECT id, process_id, code, name, position, probability, kind, required_fields, required_activity \
         FROM sales_stages WHERE deleted_at IS NULL ORDER BY process_id, position, id")
    .fetch_all(tx)
    .await?;
    Ok(heads
        .into_iter()
        .map(|(id, code, name, is_default)| Process {
            id,
            code,
            name,
            is_default,
            stages: stages.iter().filter(|s| s.process_id == id).cloned().collect(),
        })
        .collect())
}

/// Private opportunities are seen by their owner and collaborators (and by whoever
/// sees everything), whatever the viewer's department scope.
fn push_privacy(q: &mut SqlBuilder, grant: &Grant) {
    if grant.scope == Scope::All {
        return;
    }
    q.push(" AND (o.is_private = FALSE OR o.owner_id = ").bind_i64(grant.user_id);
    q.push(" OR o.id IN (SELECT pc.opportunity_id FROM opportunity_collaborators pc WHERE pc.user_id = ").bind_i64(grant.user_id);
    q.push("))");
}

pub(crate) fn scoped(q: &mut SqlBuilder, grant: &Grant) {
    grant.push_filter(q, "o");
    push_privacy(q, grant);
}

const DETAIL: &str = "SELECT o.id, o.name, o.customer_id, c.name AS customer_name, o.contact_id, k.name AS contact_name, o.process_id, \
     o.stage_id, o.status, o.amount, o.currency, o.expected_close, o.source, o.importance, o.needs, o.budget, o.decision_makers, \
     o.competitors, o.is_private, o.close_reason, o.review, o.closed_at, o.stage_entered_at, o.owner_id, u.display_name AS owner_name, \
     o.department_id, d.path AS department_path, o.version, o.created_at, o.updated_at, o.deleted_at, o.registration, \
     o.registration_note \
     FROM opportunities o JOIN customers c ON c.id = o.customer_id LEFT JOIN contacts k ON k.id = o.contact_id \
     LEFT JOIN users u ON u.id = o.owner_id LEFT JOIN departments d ON d.id = o.department_id WHERE o.id = ";

pub async fn get(tx: &mut Tx, grant: &Grant, id: i64) -> Result<Option<Opportunity>, sqlx::Error> {
    let mut q = sql(DETAIL);
    q.bind_i64(id);
    q.push(" AND o.deleted_at IS NULL");
    scoped(&mut q, grant);
    q.fetch_optional(tx).await
}

/// Above this many open opportunities in the user's scope, the board walks each stage's
/// index and filters by scope; at or below it, it starts from the scope's own rows.
const SPARSE_SCOPE: i64 = 20_000;

/// The open opportunities in the grant's scope (any process): the owner's or the
/// department's rows through their index, plus those shared with the user.
fn push_open_in_scope(q: &mut SqlBuilder, grant: &Grant) {
    q.push("SELECT x.id FROM opportunities x WHERE x.status = 'open'");
    grant.push_scope_only(q, "x");
    q.push(" UNION ALL SELECT s.opportunity_id FROM opportunity_collaborators s WHERE s.user_id = ").bind_i64(grant.user_id);
}

/// Cards of the open opportunities of one process, at most `per_stage` per stage,
/// most recently updated first, one query per stage so the board costs about the same
/// with 500 or 500 000 open opportunities:
/// - everything in scope, or a scope holding many open opportunities: walk the stage's
///   `(stage_id, status, updated_at, id)` index in order, check the scope on each row,
///   stop after `per_stage`;
/// - a scope holding few (a salesperson, a small team among many): start from the
///   scope's own open rows (owner or department index, plus shared ones) and sort those.
pub async fn board_cards(tx: &mut Tx, grant: &Grant, stages: &[i64], f: &BoardQuery, per_stage: i64) -> Result<Vec<Card>, sqlx::Error> {
    let sparse = grant.scope != Scope::All && {
        let mut c = sql("SELECT COUNT(*) FROM (");
        push_open_in_scope(&mut c, grant);
        c.push(") k");
        c.fetch_i64(&mut *tx).await? <= SPARSE_SCOPE
    };
    let mut cards = Vec::new();
    for &stage in stages {
        let mut q = sql("SELECT o.id, o.name, c.name AS customer_name, o.stage_id, o.amount, o.currency, o.expected_close, \
             u.display_name AS owner_name, o.stage_entered_at, o.version, o.registration \
             FROM opportunities o JOIN customers c ON c.id = o.customer_id LEFT JOIN users u ON u.id = o.owner_id WHERE ");
        if sparse {
            // `+` keeps SQLite off the stage index, so the scope's rows drive the query.
            q.push("+o.stage_id = ").bind_i64(stage);
            q.push(" AND o.status = 'open' AND o.deleted_at IS NULL AND o.id IN (");
            push_open_in_scope(&mut q, grant);
            q.push(")");
        } else {
            q.push("o.stage_id = ").bind_i64(stage);
            q.push(" AND o.status = 'open' AND o.deleted_at IS NULL");
            grant.push_filter_hinted(&mut q, "o", f.owner.is_none());
        }
        push_privacy(&mut q, grant);
        if let Some(owner) = f.owner {
            q.push(" AND o.owner_id = ").bind_i64(owner);
        }
        if let Some(d) = f.department {
            push_team(&mut q, d);
        }
        if let Some(d) = &f.close_from {
            q.push(" AND o.expected_close >= ").bind_text(d.clone());
        }
        if let Some(d) = &f.close_to {
            q.push(" AND o.expected_close <= ").bind_text(d.clone());
        }
        q.push(" ORDER BY o.updated_at DESC, o.id DESC LIMIT ").bind_i64(per_stage);
        cards.extend(q.fetch_all::<Card>(&mut *tx).await?);
    }
    Ok(cards)
}

pub async fn by_customer(tx: &mut Tx, grant: &Grant, customer_id: i64) -> Result<Vec<OpportunityRow>, sqlx::Error> {
    let mut q = sql("SELECT o.id, o.name, o.stage_id, o.process_id, o.status, o.amount, o.currency, o.expected_close, \
         u.display_name AS owner_name, o.updated_at FROM opportunities o LEFT JOIN users u ON u.id = o.owner_id \
         WHERE o.customer_id = ");
    q.bind_i64(customer_id);
    q.push(" AND o.deleted_at IS NULL");
    scoped(&mut q, grant);
    q.push(" ORDER BY o.status = 'open' DESC, o.updated_at DESC, o.id DESC LIMIT 200");
    q.fetch_all(tx).await
}

pub async fn insert(
    tx: &mut Tx,
    v: &ValidOpportunity,
    stage: &Stage,
    owner: (i64, Option<i64>),
    actor: i64,
    now: i64,
) -> Result<i64, sqlx::Error> {
    sql("INSERT INTO opportunities (name, customer_id, contact_id, process_id, stage_id, status, amount, currency, expected_close, source, \
         importance, needs, budget, decision_makers, competitors, is_private, stage_entered_at, owner_id, department_id, version, \
         created_at, created_by, updated_at, updated_by, furthest_stage_id) \
         VALUES ($1, $2, $3, $4, $5, 'open', $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, 1, $16, $19, $16, $19, $5) RETURNING id")
    .arg_text(v.name.clone())
    .arg_i64(v.customer_id)
    .arg_opt_i64(v.contact_id)
    .arg_i64(stage.process_id)
    .arg_i64(stage.id)
    .arg_i64(v.amount)
    .arg_text(v.currency.code())
    .arg_opt_text(v.expected_close.clone())
    .arg_opt_text(v.source.clone())
    .arg_opt_text(v.importance.clone())
    .arg_opt_text(v.needs.clone())
    .arg_opt_text(v.budget.clone())
    .arg_opt_text(v.decision_makers.clone())
    .arg_opt_text(v.competitors.clone())
    .arg_bool(v.is_private)
    .arg_i64(now)
    .arg_i64(owner.0)
    .arg_opt_i64(owner.1)
    .arg_i64(actor)
    .fetch_i64(tx)
    .await
}

/// Saves the form fields (not the stage) if `version` still matches.
pub async fn update(
    tx: &mut Tx,
    id: i64,
    version: i64,
    v: &ValidOpportunity,
    owner: (i64, Option<i64>),
    actor: i64,
    now: i64,
) -> Result<bool, sqlx::Error> {
    let n = sql("UPDATE opportunities SET name = $1, contact_id = $2, amount = $3, currency = $4, expected_close = $5, source = $6, \
         importance = $7, needs = $8, budget = $9, decision_makers = $10, competitors = $11, is_private = $12, owner_id = $13, \
         department_id = $14, version = version + 1, updated_at = $15, updated_by = $16 \
         WHERE id = $17 AND version = $18 AND deleted_at IS NULL")
    .arg_text(v.name.clone())
    .arg_opt_i64(v.contact_id)
    .arg_i64(v.amount)
    .arg_text(v.currency.code())
    .arg_opt_text(v.expected_close.clone())
    .arg_opt_text(v.source.clone())
    .arg_opt_text(v.importance.clone())
    .arg_opt_text(v.needs.clone())
    .arg_opt_text(v.budget.clone())
    .arg_opt_text(v.decision_makers.clone())
    .arg_opt_text(v.competitors.clone())
    .arg_bool(v.is_private)
    .arg_i64(owner.0)
    .arg_opt_i64(owner.1)
    .arg_i64(now)
    .arg_i64(actor)
    .arg_i64(id)
    .arg_i64(version)
    .execute(tx)
    .await?;
    Ok(n == 1)
}

/// Moves to `stage` (closing when it is a won or lost stage) if `version` still matches,
/// and writes the history row with the time spent in the stage it leaves.
#[allow(clippy::too_many_arguments)]
pub async fn set_stage(
    tx: &mut Tx,
    o: &Opportunity,
    stage: &Stage,
    reason: Option<String>,
    review: Option<String>,
    actor: i64,
    now: i64,
) -> Result<Option<i64>, sqlx::Error> {
    let status = stage.kind().code();
    let closed_at = (stage.kind() != StageKind::Open).then_some(now);
    let n =
        sql("UPDATE opportunities SET stage_id = $1, status = $2, closed_at = $3, close_reason = $4, review = $5, stage_entered_at = $6, \
         version = version + 1, updated_at = $6, updated_by = $7, \
         furthest_stage_id = CASE WHEN $2 = 'lost' THEN furthest_stage_id \
             WHEN furthest_stage_id IS NULL OR (SELECT f.position FROM sales_stages f WHERE f.id = furthest_stage_id) < $10 THEN $1 \
             ELSE furthest_stage_id END \
         WHERE id = $8 AND version = $9 AND deleted_at IS NULL")
        .arg_i64(stage.id)
        .arg_text(status)
        .arg_opt_i64(closed_at)
        .arg_opt_text(reason)
        .arg_opt_text(review)
        .arg_i64(now)
        .arg_i64(actor)
        .arg_i64(o.id)
        .arg_i64(o.version)
        .arg_i64(stage.position)
        .execute(&mut *tx)
        .await?;
    if n != 1 {
        return Ok(None);
    }
    record_move(tx, o.id, Some(o.stage_id), stage.id, actor, now, Some((now - o.stage_entered_at).max(0))).await?;
    Ok(Some(o.version + 1))
}

pub async fn record_move(
    tx: &mut Tx,
    id: i64,
    from: Option<i64>,
    to: i64,
    actor: i64,
    now: i64,
    time_in_stage: Option<i64>,
) -> Result<(), sqlx::Error> {
    sql("INSERT INTO opportunity_stage_history (opportunity_id, from_stage_id, to_stage_id, moved_by, moved_at, time_in_stage) \
         VALUES ($1, $2, $3, $4, $5, $6)")
    .arg_i64(id)
    .arg_opt_i64(from)
    .arg_i64(to)
    .arg_i64(actor)
    .arg_i64(now)
    .arg_opt_i64(time_in_stage)
    .execute(tx)
    .await?;
    Ok(())
}

pub async fn history(tx: &mut Tx, id: i64) -> Result<Vec<StageMove>, sqlx::Error> {
    sql("SELECT h.from_stage_id, h.to_stage_id, u.display_name AS moved_by_name, h.moved_at, h.time_in_stage \
         FROM opportunity_stage_history h LEFT JOIN users u ON u.id = h.moved_by WHERE h.opportunity_id = $1 \
         ORDER BY h.moved_at DESC, h.id DESC LIMIT 200")
    .arg_i64(id)
    .fetch_all(tx)
    .await
}

/// Completed activities of `kind` logged against the opportunity.
pub async fn activities_of_kind(tx: &mut Tx, id: i64, kind: &str) -> Result<i64, sqlx::Error> {
    sql("SELECT COUNT(*) FROM activity_links l JOIN activities a ON a.id = l.activity_id \
         WHERE l.entity = 'opportunity' AND l.entity_id = $1 AND a.kind = $2 AND a.status = 'done' AND a.deleted_at IS NULL")
    .arg_i64(id)
    .arg_text(kind)
    .fetch_i64(tx)
    .await
}

pub async fn soft_delete(tx: &mut Tx, id: i64, version: i64, actor: i64, now: i64) -> Result<bool, sqlx::Error> {
    let n = sql("UPDATE opportunities SET deleted_at = $1, version = version + 1, updated_at = $1, updated_by = $2 \
         WHERE id = $3 AND version = $4 AND deleted_at IS NULL")
    .arg_i64(now)
    .arg_i64(actor)
    .arg_i64(id)
    .arg_i64(version)
    .execute(tx)
    .await?;
    Ok(n == 1)
}

/// Follow-ups linked to the opportunity, newest first.
pub async fn activities(tx: &mut Tx, id: i64) -> Result<Vec<OpportunityActivity>, sqlx::Error> {
    sql("SELECT a.id, a.kind, a.status, a.subject, a.occurred_at, u.display_name AS by_name \
         FROM activity_links l JOIN activities a ON a.id = l.activity_id LEFT JOIN users u ON u.id = a.owner_id \
         WHERE l.entity = 'opportunity' AND l.entity_id = $1 AND a.deleted_at IS NULL ORDER BY a.occurred_at DESC, a.id DESC LIMIT 200")
    .arg_i64(id)
    .fetch_all(tx)
    .await
}

/// ` AND` the opportunity belongs to department `d` or one under it.
pub(crate) fn push_team(q: &mut SqlBuilder, d: i64) {
    q.push(" AND o.department_id IN (SELECT t.id FROM departments t WHERE t.path LIKE ((SELECT p.path FROM departments p WHERE p.id = ");
    q.bind_i64(d);
    q.push(") || '%'))");
}

/// Appends the conditions of `f` for opportunities under alias `o`. Closing dates are
/// given as UTC millisecond bounds (`closed_from` included, `closed_before` excluded).
pub(crate) fn push_opp_filter(q: &mut SqlBuilder, f: &OppFilter, closed_from: Option<i64>, closed_before: Option<i64>) {
    let eq = |q: &mut SqlBuilder, col: &str, v: Option<i64>| {
        if let Some(v) = v {
            q.push(&format!(" AND o.{col} = ")).bind_i64(v);
        }
    };
    eq(q, "process_id", f.process);
    eq(q, "stage_id", f.stage);
    eq(q, "owner_id", f.owner);
    if let Some(s) = &f.status {
        q.push(" AND o.status = ").bind_text(s.clone());
    }
    if let Some(d) = f.department {
        push_team(q, d);
    }
    if let Some(c) = &f.currency {
        q.push(" AND o.currency = ").bind_text(c.clone());
    }
    if let Some(d) = &f.close_from {
        q.push(" AND o.expected_close >= ").bind_text(d.clone());
    }
    if let Some(d) = &f.close_to {
        q.push(" AND o.expected_close <= ").bind_text(d.clone());
    }
    if let Some(ms) = closed_from {
        q.push(" AND o.closed_at >= ").bind_i64(ms);
    }
    if let Some(ms) = closed_before {
        q.push(" AND o.closed_at < ").bind_i64(ms);
    }
    if let Some(r) = &f.registration {
        q.push(" AND o.registration = ").bind_text(r.clone());
    }
}

/// A page of the list, most recently updated first, after the `(updated_at, id)` cursor.
pub async fn list(
    tx: &mut Tx,
    grant: &Grant,
    f: &OppFilter,
    closed: (Option<i64>, Option<i64>),
    after: Option<(i64, i64)>,
    limit: i64,
) -> Result<Vec<ListRow>, sqlx::Error> {
    let mut q =
        sql("SELECT o.id, o.name, o.customer_id, c.name AS customer_name, o.process_id, o.stage_id, o.status, o.amount, o.currency, \
         o.expected_close, o.closed_at, u.display_name AS owner_name, o.updated_at \
         FROM opportunities o JOIN customers c ON c.id = o.customer_id LEFT JOIN users u ON u.id = o.owner_id \
         WHERE o.deleted_at IS NULL");
    scoped(&mut q, grant);
    push_opp_filter(&mut q, f, closed.0, closed.1);
    if let Some((at, id)) = after {
        q.push(" AND (o.updated_at < ").bind_i64(at);
        q.push(" OR (o.updated_at = ").bind_i64(at);
        q.push(" AND o.id < ").bind_i64(id);
        q.push("))");
    }
    q.push(" ORDER BY o.updated_at DESC, o.id DESC LIMIT ").bind_i64(limit);
    q.fetch_all(tx).await
}

/// Count and summed amount per (currency, stage) of everything the filter covers.
pub async fn list_sums(
    tx: &mut Tx,
    grant: &Grant,
    f: &OppFilter,
    closed: (Option<i64>, Option<i64>),
) -> Result<Vec<(String, i64, i64, i64)>, sqlx::Error> {
    let mut q = sql("SELECT o.currency, o.stage_id, COUNT(*), CAST(COALESCE(SUM(o.amount), 0) AS BIGINT) FROM opportunities o \
         WHERE o.deleted_at IS NULL");
    scoped(&mut q, grant);
    push_opp_filter(&mut q, f, closed.0, closed.1);
    q.push(" GROUP BY o.currency, o.stage_id");
    q.fetch_all(tx).await
}
