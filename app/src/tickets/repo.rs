//! Service desk SQL. Every read of a request takes a [`Grant`] and applies its scope
//! (the request's owner and department: whoever works it).
use crate::platform::authz::Grant;
use crate::platform::db::{like_escape, sql, SqlBuilder, Tx};
use crate::tickets::types::*;

fn select() -> SqlBuilder {
    sql("SELECT r.id, r.number, r.customer_id, c.name AS customer_name, r.contact_id, ct.name AS contact_name, r.kind, r.channel, \
         r.priority, r.subject, r.description, r.product_id, p.name AS product_name, r.asset_id, a.serial_no AS asset_serial, \
         a.name AS asset_name, a.warranty_ends_on, r.status, r.owner_id, u.display_name AS owner_name, r.department_id, \
         d.name AS department_name, r.response_due_at, r.resolution_due_at, r.response_warn_at, r.resolution_warn_at, r.around_the_clock, \
         r.first_response_at, r.resolved_at, r.closed_at, r.resolution, r.response_escalated_at, r.resolution_escalated_at, r.lead_id, \
         r.satisfaction, r.product_issue, r.close_override, r.waiting_since, r.paused_minutes, r.version, r.created_at, r.updated_at \
         FROM service_requests r JOIN customers c ON c.id = r.customer_id LEFT JOIN contacts ct ON ct.id = r.contact_id \
         LEFT JOIN products p ON p.id = r.product_id LEFT JOIN service_assets a ON a.id = r.asset_id \
         LEFT JOIN users u ON u.id = r.owner_id LEFT JOIN departments d ON d.id = r.department_id WHERE r.deleted_at IS NULL")
}

pub async fn get(tx: &mut Tx, grant: &Grant, id: i64) -> Result<Option<ServiceRequest>, sqlx::Error> {
    let mut b = select();
    b.push(" AND r.id = ").bind_i64(id);
    grant.push_filter(&mut b, "r");
    b.fetch_optional(tx).await
}

pub async fn list(
    tx: &mut Tx,
    grant: &Grant,
    f: &ServiceFilter,
    user_id: i64,
    now: i64,
    limit: i64,
) -> Result<Vec<ServiceRequest>, sqlx::Error> {
    let mut b = select();
    grant.push_filter(&mut b, "r");
    match f.status.as_deref() {
        Some("open") => {
            b.push(" AND r.status IN ('open', 'in_progress', 'waiting')");
        }
        Some(s) if STATUSES.contains(&s) => {
            b.push(" AND r.status = ").bind_text(s);
        }
        _ => {}
    }
    if let Some(k) = f.kind.as_deref().filter(|k| KINDS.contains(k)) {
        b.push(" AND r.kind = ").bind_text(k);
    }
    if f.mine {
        b.push(" AND r.owner_id = ").bind_i64(user_id);
    }
    if f.at_risk {
        b.push(" AND r.status IN ('open', 'in_progress', 'waiting') AND ((r.first_response_at IS NULL AND r.response_warn_at <= ");
        b.bind_i64(now).push(") OR (r.waiting_since IS NULL AND r.resolution_warn_at <= ").bind_i64(now).push("))");
    }
    if let Some(c) = f.customer_id {
        b.push(" AND r.customer_id = ").bind_i64(c);
    }
    if f.product_issue {
        b.push(" AND r.product_issue = ").bind_bool(true);
    }
    if let Some(term) = f.q.as_deref().map(str::trim).filter(|t| !t.is_empty()) {
        let pattern = format!("%{}%", like_escape(&term.to_lowercase()));
        b.push(" AND (LOWER(r.number) LIKE ").bind_text(pattern.clone()).push(" ESCAPE '\\' OR LOWER(r.subject) LIKE ");
        b.bind_text(pattern.clone()).push(" ESCAPE '\\' OR LOWER(c.name) LIKE ").bind_text(pattern.clone());
        b.push(" ESCAPE '\\' OR LOWER(a.serial_no) LIKE ").bind_text(pattern).push(" ESCAPE '\\')");
    }
    if let Some((at, id)) = f.after {
        b.push(" AND (r.updated_at < ").bind_i64(at).push(" OR (r.updated_at = ").bind_i64(at);
        b.push(" AND r.id < ").bind_i64(id).push("))");
    }
    b.push(" ORDER BY r.updated_at DESC, r.id DESC LIMIT ").bind_i64(limit);
    b.fetch_all(tx).await
}

/// The fields a new request is saved with, besides the validated input.
pub struct NewRequest<'a> {
    pub number: &'a str,
    pub owner_id: Option<i64>,
    pub department_id: Option<i64>,
    pub deadlines: Deadlines,
    pub around_the_clock: bool,
}

/// Warning times and deadlines of the two targets.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Deadlines {
    pub response_warn_at: i64,
    pub response_due_at: i64,
    pub resolution_warn_at: i64,
    pub resolution_due_at: i64,
}

pub async fn insert(tx: &mut Tx, v: &ValidService, n: &NewRequest<'_>, actor: Option<i64>, now: i64) -> Result<i64, sqlx::Error> {
    sql("INSERT INTO service_requests (number, customer_id, contact_id, kind, channel, priority, subject, description, product_id, asset_id, \
         owner_id, department_id, response_warn_at, response_due_at, resolution_warn_at, resolution_due_at, around_the_clock, \
         created_at, created_by, updated_at, updated_by) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $18, $19) RETURNING id")
    .arg_text(n.number)
    .arg_i64(v.customer_id)
    .arg_opt_i64(v.contact_id)
    .arg_text(v.kind.clone())
    .arg_text(v.channel.clone())
    .arg_text(v.priority.clone())
    .arg_text(v.subject.clone())
    .arg_text(v.description.clone())
    .arg_opt_i64(v.product_id)
    .arg_opt_i64(v.asset_id)
    .arg_opt_i64(n.owner_id)
    .arg_opt_i64(n.department_id)
    .arg_i64(n.deadlines.response_warn_at)
    .arg_i64(n.deadlines.response_due_at)
    .arg_i64(n.deadlines.resolution_warn_at)
    .arg_i64(n.deadlines.resolution_due_at)
    .arg_bool(n.around_the_clock)
    .arg_i64(now)
    .arg_opt_i64(actor)
    .fetch_i64(tx)
    .await
}

/// Starts an update of one request at `version`: `SET updated_at, updated_by, version`
/// followed by the caller's assignments; [`finish`] adds the guard.
pub fn update(actor: i64, now: i64) -> SqlBuilder {
    let mut b = sql("UPDATE service_requests SET version = version + 1, updated_at = ");
    b.bind_i64(now).push(", updated_by = ").bind_i64(actor);
    b
}

/// Runs an [`update`] for `id` at `version`. `false` when someone else changed it first.
pub async fn finish(tx: &mut Tx, mut b: SqlBuilder, id: i64, version: i64) -> Result<bool, sqlx::Error> {
    b.push(" WHERE id = ").bind_i64(id).push(" AND version = ").bind_i64(version).push(" AND deleted_at IS NULL");
    Ok(b.execute(tx).await? == 1)
}

pub async fn policy(tx: &mut Tx, kind: &str, priority: &str) -> Result<Option<SlaPolicy>, sqlx::Error> {
    sql("SELECT kind, priority, response_minutes, resolution_minutes, warn_percent, around_the_clock FROM sla_policies WHERE kind = $1 AND priority = $2")
        .arg_text(kind)
        .arg_text(priority)
        .fetch_optional(tx)
        .await
}

pub async fn policies(tx: &mut Tx) -> Result<Vec<SlaPolicy>, sqlx::Error> {
    sql("SELECT kind, priority, response_minutes, resolution_minutes, warn_percent, around_the_clock FROM sla_policies").fetch_all(tx).await
}

pub async fn save_policy(tx: &mut Tx, p: &SlaPolicy, actor: i64, now: i64) -> Result<u64, sqlx::Error> {
    sql("UPDATE sla_policies SET response_minutes = $1, resolution_minutes = $2, warn_percent = $3, around_the_clock = $4, \
         updated_at = $5, updated_by = $6, version = version + 1 WHERE kind = $7 AND priority = $8")
    .arg_i64(p.response_minutes)
    .arg_i64(p.resolution_minutes)
    .arg_i64(p.warn_percent)
    .arg_bool(p.around_the_clock)
    .arg_i64(now)
    .arg_i64(actor)
    .arg_text(p.kind.clone())
    .arg_text(p.priority.clone())
    .execute(tx)
    .await
}

pub async fn route(tx: &mut Tx, kind: &str) -> Result<Option<ServiceRoute>, sqlx::Error> {
    sql("SELECT kind, department_id, assignee_id, escalate_to FROM service_routes WHERE kind = $1").arg_text(kind).fetch_optional(tx).await
}

pub async fn routes(tx: &mut Tx) -> Result<Vec<ServiceRoute>, sqlx::Error> {
    sql("SELECT kind, department_id, assignee_id, escalate_to FROM service_routes").fetch_all(tx).await
}

pub async fn save_route(tx: &mut Tx, r: &ServiceRoute, actor: i64, now: i64) -> Result<u64, sqlx::Error> {
    sql("UPDATE service_routes SET department_id = $1, assignee_id = $2, escalate_to = $3, updated_at = $4, updated_by = $5, \
         version = version + 1 WHERE kind = $6")
    .arg_opt_i64(r.department_id)
    .arg_opt_i64(r.assignee_id)
    .arg_opt_i64(r.escalate_to)
    .arg_i64(now)
    .arg_i64(actor)
    .arg_text(r.kind.clone())
    .execute(tx)
    .await
}

/// An active user's department, or `None` when there is no such active user.
pub async fn active_user(tx: &mut Tx, id: i64) -> Result<Option<(i64, Option<i64>)>, sqlx::Error> {
    sql("SELECT id, department_id FROM users WHERE id = $1 AND active = $2").arg_i64(id).arg_bool(true).fetch_optional(tx).await
}

pub async fn active_users(tx: &mut Tx) -> Result<Vec<(i64, String)>, sqlx::Error> {
    sql("SELECT id, display_name FROM users WHERE active = $1 ORDER BY display_name, id").arg_bool(true).fetch_all(tx).await
}

pub async fn departments(tx: &mut Tx) -> Result<Vec<(i64, String)>, sqlx::Error> {
    sql("SELECT id, name FROM departments ORDER BY path").fetch_all(tx).await
}

/// Requests of a grant's scope whose target is at risk or breached, soonest first.
pub async fn at_risk(tx: &mut Tx, grant: &Grant, now: i64, limit: i64) -> Result<Vec<ServiceRequest>, sqlx::Error> {
    let mut b = select();
    b.push(" AND r.status IN ('open', 'in_progress', 'waiting') AND ((r.first_response_at IS NULL AND r.response_warn_at <= ");
    b.bind_i64(now).push(") OR (r.waiting_since IS NULL AND r.resolution_warn_at <= ").bind_i64(now).push("))");
    grant.push_filter(&mut b, "r");
    b.push(" ORDER BY CASE WHEN r.first_response_at IS NULL THEN r.response_due_at ELSE r.resolution_due_at END, r.id LIMIT ")
        .bind_i64(limit);
    b.fetch_all(tx).await
}

const ASSET: &str = "SELECT a.id, a.customer_id, a.product_id, p.name AS product_name, a.name, a.serial_no, a.installed_on, a.warranty_ends_on, \
                     a.location, a.note, a.version FROM service_assets a LEFT JOIN products p ON p.id = a.product_id WHERE a.deleted_at IS NULL";

pub async fn assets(tx: &mut Tx, customer_id: i64) -> Result<Vec<Asset>, sqlx::Error> {
    sql(&format!("{ASSET} AND a.customer_id = $1 ORDER BY a.id")).arg_i64(customer_id).fetch_all(tx).await
}

pub async fn asset(tx: &mut Tx, id: i64) -> Result<Option<Asset>, sqlx::Error> {
    sql(&format!("{ASSET} AND a.id = $1")).arg_i64(id).fetch_optional(tx).await
}

pub async fn serial_taken(tx: &mut Tx, serial: &str, except: i64) -> Result<bool, sqlx::Error> {
    Ok(sql("SELECT COUNT(*) FROM service_assets WHERE serial_no = $1 AND id <> $2 AND deleted_at IS NULL")
        .arg_text(serial)
        .arg_i64(except)
        .fetch_i64(tx)
        .await?
        > 0)
}

fn asset_values(b: SqlBuilder, v: &ValidAsset) -> SqlBuilder {
    b.arg_opt_i64(v.product_id)
        .arg_text(v.name.clone())
        .arg_text(v.serial_no.clone())
        .arg_opt_text(v.installed_on.clone())
        .arg_opt_text(v.warranty_ends_on.clone())
        .arg_text(v.location.clone())
        .arg_text(v.note.clone())
}

pub async fn insert_asset(tx: &mut Tx, v: &ValidAsset, actor: i64, now: i64) -> Result<i64, sqlx::Error> {
    asset_values(
        sql("INSERT INTO service_assets (product_id, name, serial_no, installed_on, warranty_ends_on, location, note, customer_id, \
             created_at, created_by, updated_at, updated_by) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $9, $10) RETURNING id"),
        v,
    )
    .arg_i64(v.customer_id)
    .arg_i64(now)
    .arg_i64(actor)
    .fetch_i64(tx)
    .await
}

pub async fn update_asset(tx: &mut Tx, id: i64, version: i64, v: &ValidAsset, actor: i64, now: i64) -> Result<bool, sqlx::Error> {
    Ok(asset_values(
        sql("UPDATE service_assets SET product_id = $1, name = $2, serial_no = $3, installed_on = $4, warranty_ends_on = $5, location = $6, \
             note = $7, updated_at = $8, updated_by = $9, version = version + 1 WHERE id = $10 AND version = $11 AND deleted_at IS NULL"),
        v,
    )
    .arg_i64(now)
    .arg_i64(actor)
    .arg_i64(id)
    .arg_i64(version)
    .execute(tx)
    .await?
        == 1)
}

pub async fn delete_asset(tx: &mut Tx, id: i64, version: i64, actor: i64, now: i64) -> Result<bool, sqlx::Error> {
    Ok(sql("UPDATE service_assets SET deleted_at = $1, updated_at = $1, updated_by = $2, version = version + 1 \
            WHERE id = $3 AND version = $4 AND deleted_at IS NULL")
    .arg_i64(now)
    .arg_i64(actor)
    .arg_i64(id)
    .arg_i64(version)
    .execute(tx)
    .await?
        == 1)
}

/// One SLA event the job acts on: the request, whom to tell, in which language.
#[derive(Clone, Debug, sqlx::FromRow)]
pub struct SlaEvent {
    pub id: i64,
    pub number: String,
    pub subject: String,
    pub customer_id: i64,
    pub customer_name: String,
    pub due_at: i64,
    pub owner_id: Option<i64>,
    pub escalate_to: Option<i64>,
}

/// Up to 200 requests whose `target` (`response` or `resolution`) reached its warning
/// time (`escalate` false) or its deadline (`escalate` true) and was not acted on yet.
pub async fn sla_due(tx: &mut Tx, target: &str, escalate: bool, now: i64) -> Result<Vec<SlaEvent>, sqlx::Error> {
    let (at, mark) = match (target, escalate) {
        ("response", false) => ("response_warn_at", "response_warned_at"),
        ("response", true) => ("response_due_at", "response_escalated_at"),
        (_, false) => ("resolution_warn_at", "resolution_warned_at"),
        (_, true) => ("resolution_due_at", "resolution_escalated_at"),
    };
    // The resolution clock stands still while the request waits for the customer.
    let running = if target == "response" {
        "r.first_response_at IS NULL AND r.resolved_at IS NULL"
    } else {
        "r.resolved_at IS NULL AND r.waiting_since IS NULL"
    };
    // A warning that comes due after the deadline already passed is not sent: the
    // escalation says more.
    let not_late = if escalate { String::new() } else { format!(" AND r.{} > $1", at.replace("warn", "due")) };
    sql(&format!(
        "SELECT r.id, r.number, r.subject, r.customer_id, c.name AS customer_name, r.{due} AS due_at, r.owner_id, sr.escalate_to \
         FROM service_requests r JOIN customers c ON c.id = r.customer_id LEFT JOIN service_routes sr ON sr.kind = r.kind \
         WHERE {running} AND r.status IN ('open', 'in_progress', 'waiting') AND r.deleted_at IS NULL AND r.{at} <= $1 AND r.{mark} IS NULL{not_late} \
         ORDER BY r.{at}, r.id LIMIT 200",
        due = if escalate { at.to_string() } else { at.replace("warn", "due") }
    ))
    .arg_i64(now)
    .fetch_all(tx)
    .await
}

pub async fn mark_sla(tx: &mut Tx, id: i64, column: &str, now: i64) -> Result<u64, sqlx::Error> {
    debug_assert!(["response_warned_at", "resolution_warned_at", "response_escalated_at", "resolution_escalated_at"].contains(&column));
    sql(&format!("UPDATE service_requests SET {column} = $1 WHERE id = $2 AND {column} IS NULL")).arg_i64(now).arg_i64(id).execute(tx).await
}

pub async fn visits(tx: &mut Tx, request_id: i64) -> Result<Vec<ReturnVisit>, sqlx::Error> {
    sql("SELECT v.id, v.channel, v.satisfaction, v.comment, v.product_issue, v.created_at, \
         COALESCE(u.display_name, pu.display_name) AS created_by_name FROM service_visits v LEFT JOIN users u ON u.id = v.created_by \
         LEFT JOIN portal_users pu ON pu.id = v.portal_user_id WHERE v.request_id = $1 ORDER BY v.id DESC")
    .arg_i64(request_id)
    .fetch_all(tx)
    .await
}

/// Records a return visit by a member of staff (`actor`) or a rating a customer gave on
/// the portal (`portal_user`).
pub async fn insert_visit(
    tx: &mut Tx,
    request_id: i64,
    v: &VisitInput,
    actor: Option<i64>,
    portal_user: Option<i64>,
    now: i64,
) -> Result<i64, sqlx::Error> {
    sql("INSERT INTO service_visits (request_id, channel, satisfaction, comment, product_issue, created_at, created_by, portal_user_id) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id")
    .arg_i64(request_id)
    .arg_text(v.channel.clone())
    .arg_i64(v.satisfaction)
    .arg_text(v.comment.clone())
    .arg_bool(v.product_issue)
    .arg_i64(now)
    .arg_opt_i64(actor)
    .arg_opt_i64(portal_user)
    .fetch_i64(tx)
    .await
}

/// The conversation on a request, oldest first.
pub async fn messages(tx: &mut Tx, request_id: i64) -> Result<Vec<ServiceMessage>, sqlx::Error> {
    sql("SELECT m.id, m.body, m.created_at, m.portal_user_id IS NOT NULL AS from_customer, \
         COALESCE(u.display_name, p.display_name, '') AS author FROM service_messages m \
         LEFT JOIN users u ON u.id = m.user_id LEFT JOIN portal_users p ON p.id = m.portal_user_id \
         WHERE m.request_id = $1 ORDER BY m.id")
    .arg_i64(request_id)
    .fetch_all(tx)
    .await
}

/// Adds a message from a staff user (`user_id`) or a portal login (`portal_user_id`).
pub async fn add_message(
    tx: &mut Tx,
    request_id: i64,
    user_id: Option<i64>,
    portal_user_id: Option<i64>,
    body: &str,
    now: i64,
) -> Result<i64, sqlx::Error> {
    sql("INSERT INTO service_messages (request_id, user_id, portal_user_id, body, created_at) VALUES ($1, $2, $3, $4, $5) RETURNING id")
        .arg_i64(request_id)
        .arg_opt_i64(user_id)
        .arg_opt_i64(portal_user_id)
        .arg_text(body)
        .arg_i64(now)
        .fetch_i64(tx)
        .await
}
