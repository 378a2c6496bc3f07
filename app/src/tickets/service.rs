//! Service desk rules (V1, V2, V7). A request is for a customer the user can see; it
//! goes where the route of its kind says (a person, else a department's queue, else the
//! person who logged it) and gets response and resolution deadlines from the SLA policy
//! of its kind and priority, counted in business hours unless the policy runs around
//! the clock. Changes are version-checked and audited. The SLA job warns the owner when
//! a target turns at risk and escalates to the route's supervisor (else the owner) when
//! it is breached, each once, as planned follow-ups in the recipient's language. While a
//! request waits for the customer its resolution clock stands still: the deadline moves
//! later by the business time waited when it stops waiting (a staff move, or the
//! customer answering on the portal).
use crate::activities::types::{ActivityKind, ActivityStatus, ValidActivity};
use crate::customers::service::customer_in_scope;
use crate::platform::audit::{self, AuditEntry};
use crate::platform::authz::{authorize, Action, CurrentUser, Entity};
use crate::platform::db::{sql, Db, Tx};
use crate::platform::error::{AppError, AppResult};
use crate::platform::i18n::{tr_args, Locale};
use crate::platform::time::{format_ms, local_today, now_ms};
use crate::tickets::repo::{self, Deadlines, NewRequest};
use crate::tickets::sla::BusinessCalendar;
use crate::tickets::types::*;

const PAGE: i64 = 50;
const HOURS_KEY: &str = "service.hours";

fn offset() -> i32 {
    crate::account::api::tz_offset_minutes()
}

/// The business hours in settings (office hours Monday to Friday until set).
pub async fn hours(tx: &mut Tx) -> AppResult<BusinessHours> {
    Ok(crate::platform::settings::get_text(tx, HOURS_KEY).await?.and_then(|s| serde_json::from_str(&s).ok()).unwrap_or_default())
}

async fn calendar(tx: &mut Tx) -> AppResult<BusinessCalendar> {
    Ok(hours(tx).await?.calendar(offset()).unwrap_or_else(|_| BusinessCalendar::office(offset())))
}

/// The calendar a request's clock runs on: the company's, or around the clock.
fn request_calendar(cal: BusinessCalendar, around_the_clock: bool) -> BusinessCalendar {
    if around_the_clock {
        BusinessCalendar::always(cal.offset_minutes)
    } else {
        cal
    }
}

/// The request stops waiting for the customer at `now`: its resolution warning and
/// deadline (`warn_due`) move later by the business time waited since `since`.
fn push_resume(b: &mut crate::platform::db::SqlBuilder, cal: &BusinessCalendar, since: i64, now: i64, warn_due: (i64, i64)) {
    let (paused, warn_at, due_at) = crate::tickets::sla::resume(cal, since, now, warn_due.0, warn_due.1);
    b.push(", waiting_since = NULL, paused_minutes = paused_minutes + ").bind_i64(paused);
    b.push(", resolution_warn_at = ").bind_i64(warn_at).push(", resolution_due_at = ").bind_i64(due_at);
}

/// A customer's rating of resolved request `r` on the portal (the customer's own return
/// visit): kept like a return visit on the channel `portal`; a dissatisfied customer
/// (1–3) reopens the request and the owner is told to follow up. Returns whether it
/// reopened. The caller checked the score, the comment and that the request is theirs.
pub(crate) async fn customer_rated(tx: &mut Tx, r: &PortalRated, portal_user: i64, score: i64, comment: &str, now: i64) -> AppResult<bool> {
    let v = VisitInput { channel: "portal".into(), satisfaction: score, comment: comment.into(), product_issue: false };
    repo::insert_visit(tx, r.id, &v, None, Some(portal_user), now).await?;
    let reopen = !satisfied(score);
    let mut b = sql("UPDATE service_requests SET version = version + 1, updated_at = ");
    b.bind_i64(now).push(", satisfaction = ").bind_i64(score);
    if reopen {
        b.push(", status = 'in_progress', resolved_at = NULL, closed_at = NULL, close_override = NULL");
    }
    b.push(" WHERE id = ").bind_i64(r.id).push(" AND status IN ('resolved', 'closed')");
    if b.execute(&mut *tx).await? != 1 {
        return Err(AppError::Conflict);
    }
    if let (true, Some(owner)) = (reopen, r.owner_id) {
        notify(tx, owner, "service.notice_unsatisfied", &r.number, &r.subject, r.customer_id, r.id, now, now).await?;
    }
    Ok(reopen)
}

/// What rating a request on the portal needs to know of it.
#[derive(Clone, Debug, sqlx::FromRow)]
pub struct PortalRated {
    pub id: i64,
    pub number: String,
    pub subject: String,
    pub customer_id: i64,
    pub owner_id: Option<i64>,
    pub status: String,
    pub resolved_at: Option<i64>,
}

/// The customer answered on the portal while request `id` waited for them: it goes back
/// to work and its resolution clock runs again. Returns whether it was waiting.
pub(crate) async fn customer_answered(tx: &mut Tx, id: i64, actor: &str, now: i64) -> AppResult<bool> {
    let row: Option<(String, Option<i64>, bool, i64, i64)> =
        sql("SELECT number, waiting_since, around_the_clock, resolution_warn_at, resolution_due_at FROM service_requests \
         WHERE id = $1 AND status = 'waiting'")
        .arg_i64(id)
        .fetch_optional(&mut *tx)
        .await?;
    let Some((number, since, around_the_clock, warn_at, due_at)) = row else {
        return Ok(false);
    };
    let cal = request_calendar(calendar(tx).await?, around_the_clock);
    let mut b = sql("UPDATE service_requests SET version = version + 1, status = 'in_progress', updated_at = ");
    b.bind_i64(now);
    match since {
        Some(since) => push_resume(&mut b, &cal, since, now, (warn_at, due_at)),
        None => {
            b.push(", waiting_since = NULL");
        }
    }
    b.push(" WHERE id = ").bind_i64(id).push(" AND status = 'waiting'");
    b.execute(&mut *tx).await?;
    audit::record(tx, AuditEntry::by(None, actor, "update").on("service_request", id).summary(format!("{number} waiting → in_progress")))
        .await?;
    Ok(true)
}

/// Warning times and deadlines for a request created at `start` under `policy`.
pub fn deadlines(cal: &BusinessCalendar, policy: &SlaPolicy, start: i64) -> Deadlines {
    let always = BusinessCalendar::always(cal.offset_minutes);
    let cal = if policy.around_the_clock { &always } else { cal };
    let at = |minutes: i64| cal.add_business_minutes(start, minutes);
    let share = |minutes: i64| (minutes * policy.warn_percent / 100).max(1);
    Deadlines {
        response_warn_at: at(share(policy.response_minutes)),
        response_due_at: at(policy.response_minutes),
        resolution_warn_at: at(share(policy.resolution_minutes)),
        resolution_due_at: at(policy.resolution_minutes),
    }
}

async fn policy_for(tx: &mut Tx, kind: &str, priority: &str) -> AppResult<SlaPolicy> {
    repo::policy(tx, kind, priority).await?.ok_or_else(|| AppError::validation("priority", "validation.invalid_choice"))
}

async fn load(tx: &mut Tx, user: &CurrentUser, id: i64, action: Action) -> AppResult<ServiceRequest> {
    let grant = authorize(user, Entity::ServiceRequest, action)?;
    Ok(repo::get(tx, &grant, id).await?.ok_or(AppError::NotFound)?.with_states(now_ms()))
}

/// Loads for a change at the version the user saw.
async fn load_at(tx: &mut Tx, user: &CurrentUser, id: i64, version: i64, action: Action) -> AppResult<ServiceRequest> {
    let r = load(tx, user, id, action).await?;
    if r.version != version {
        return Err(AppError::Conflict);
    }
    Ok(r)
}

/// The contact and asset must belong to the request's customer; an asset names its
/// product when the request does not.
async fn check_links(tx: &mut Tx, user: &CurrentUser, v: &mut ValidService) -> AppResult<()> {
    customer_in_scope(tx, user, v.customer_id, Action::View).await.map_err(|e| match e {
        AppError::NotFound | AppError::Forbidden => AppError::validation("customer_id", "validation.invalid_choice"),
        e => e,
    })?;
    if let Some(c) = v.contact_id {
        let owner: Option<(i64,)> =
            sql("SELECT customer_id FROM contacts WHERE id = $1 AND deleted_at IS NULL").arg_i64(c).fetch_optional(tx).await?;
        if owner != Some((v.customer_id,)) {
            return Err(AppError::validation("contact_id", "validation.invalid_choice"));
        }
    }
    if let Some(a) = v.asset_id {
        let asset = repo::asset(tx, a).await?.filter(|a| a.customer_id == v.customer_id);
        let Some(asset) = asset else {
            return Err(AppError::validation("asset_id", "validation.invalid_choice"));
        };
        v.product_id = v.product_id.or(asset.product_id);
    }
    if let Some(p) = v.product_id {
        let n = sql("SELECT COUNT(*) FROM products WHERE id = $1").arg_i64(p).fetch_i64(tx).await?;
        if n == 0 {
            return Err(AppError::validation("product_id", "validation.invalid_choice"));
        }
    }
    Ok(())
}

/// Logs a request and routes it. Returns its id.
pub async fn create(db: &Db, user: &CurrentUser, input: &ServiceInput) -> AppResult<i64> {
    authorize(user, Entity::ServiceRequest, Action::Create)?;
    let mut v = input.validate().map_err(AppError::Validation)?;
    let mut tx = db.write().await?;
    check_links(&mut tx, user, &mut v).await?;
    let now = now_ms();
    let o = open_request(&mut tx, &v, Some(user.id), (Some(user.id), user.department_id), now).await?;
    audit::record(
        &mut tx,
        AuditEntry::by(Some(user.id), &user.display_name, "create")
            .on("service_request", o.id)
            .summary(format!("{} {}", o.number, v.subject))
            .after(&v),
    )
    .await?;
    if let Some(owner) = o.owner_id.filter(|o| *o != user.id) {
        notify(&mut tx, owner, "service.notice_assigned", &o.number, &v.subject, v.customer_id, o.id, o.response_due_at, now).await?;
    }
    tx.commit().await?;
    Ok(o.id)
}

/// A request just opened: where it went and when it must be answered.
pub(crate) struct Opened {
    pub id: i64,
    pub number: String,
    pub owner_id: Option<i64>,
    pub response_due_at: i64,
}

/// Numbers, routes and inserts a checked request. Routing: the route's person (in their
/// department), else the route's department as a queue, else `fallback` (whoever
/// logged it, or for a portal request the customer's owner).
pub(crate) async fn open_request(
    tx: &mut Tx,
    v: &ValidService,
    actor: Option<i64>,
    fallback: (Option<i64>, Option<i64>),
    now: i64,
) -> AppResult<Opened> {
    let policy = policy_for(tx, &v.kind, &v.priority).await?;
    let cal = calendar(tx).await?;
    let route = repo::route(tx, &v.kind).await?.unwrap_or_default();
    let assignee = match route.assignee_id {
        Some(a) => repo::active_user(tx, a).await?,
        None => None,
    };
    let (owner_id, department_id) = match (assignee, route.department_id) {
        (Some((a, dept)), route_dept) => (Some(a), dept.or(route_dept)),
        (None, Some(d)) => (None, Some(d)),
        (None, None) => fallback,
    };
    let number = crate::platform::numbering::next_number(tx, "service_request", local_today()).await?;
    let n = NewRequest {
        number: &number,
        owner_id,
        department_id,
        deadlines: deadlines(&cal, &policy, now),
        around_the_clock: policy.around_the_clock,
    };
    let id = repo::insert(tx, v, &n, actor, now).await?;
    Ok(Opened { id, number: number.clone(), owner_id, response_due_at: n.deadlines.response_due_at })
}

pub async fn get(db: &Db, user: &CurrentUser, id: i64) -> AppResult<ServiceDetail> {
    let mut tx = db.read().await?;
    let request = load(&mut tx, user, id, Action::View).await?;
    let can_edit = authorize(user, Entity::ServiceRequest, Action::Edit).is_ok();
    let can_assign = authorize(user, Entity::ServiceRequest, Action::Assign).is_ok();
    let assignees = if can_assign { repo::active_users(&mut tx).await? } else { Vec::new() };
    let can_convert = request.kind == "consultation" && request.lead_id.is_none() && authorize(user, Entity::Lead, Action::Create).is_ok();
    let moves = status_moves(&request.status).iter().map(|s| s.to_string()).collect();
    let visits = repo::visits(&mut tx, id).await?;
    let can_override = request.kind == "complaint" && authorize(user, Entity::ServiceRequest, Action::Approve).is_ok();
    let messages = repo::messages(&mut tx, id).await?;
    Ok(ServiceDetail { request, moves, can_edit, can_assign, assignees, can_convert, visits, can_override, messages })
}

pub async fn list(db: &Db, user: &CurrentUser, f: &ServiceFilter) -> AppResult<ServicePage> {
    let grant = authorize(user, Entity::ServiceRequest, Action::View)?;
    let mut tx = db.read().await?;
    let now = now_ms();
    let mut rows = repo::list(&mut tx, &grant, f, user.id, now, PAGE + 1).await?;
    let next = (rows.len() as i64 > PAGE).then(|| {
        rows.truncate(PAGE as usize);
        rows.last().map(|r| (r.updated_at, r.id))
    });
    Ok(ServicePage { rows: rows.into_iter().map(|r| r.with_states(now)).collect(), next: next.flatten() })
}

/// Open requests whose response or resolution is at risk or breached (the dashboard).
pub async fn at_risk(db: &Db, user: &CurrentUser, limit: i64) -> AppResult<Vec<AtRiskRequest>> {
    let grant = authorize(user, Entity::ServiceRequest, Action::View)?;
    let mut tx = db.read().await?;
    let now = now_ms();
    let rows = repo::at_risk(&mut tx, &grant, now, limit.clamp(1, 100)).await?;
    Ok(rows
        .into_iter()
        .map(|r| r.with_states(now))
        .map(|r| {
            let response = r.first_response_at.is_none();
            AtRiskRequest {
                id: r.id,
                number: r.number,
                subject: r.subject,
                customer_name: r.customer_name.unwrap_or_default(),
                priority: r.priority,
                owner_name: r.owner_name,
                target: if response { "response" } else { "resolution" }.into(),
                state: if response { r.response_state } else { r.resolution_state },
                due_at: if response { r.response_due_at } else { r.resolution_due_at },
            }
        })
        .collect())
}

async fn audit_change(tx: &mut Tx, user: &CurrentUser, r: &ServiceRequest, what: String) -> AppResult<()> {
    audit::record(
        tx,
        AuditEntry::by(Some(user.id), &user.display_name, "update").on("service_request", r.id).summary(format!("{} {what}", r.number)),
    )
    .await?;
    Ok(())
}

/// A note on the request's and the customer's timeline, by the user, done now.
async fn log_note(tx: &mut Tx, user: &CurrentUser, r: &ServiceRequest, subject: String, body: Option<String>, now: i64) -> AppResult<()> {
    let v =
        ValidActivity { kind: ActivityKind::Note, status: ActivityStatus::Done, subject, body, occurred_at: now, contact_id: r.contact_id };
    let a = crate::activities::repo::insert(tx, &v, user.id, now).await?;
    crate::activities::repo::link(tx, a, "customer", r.customer_id).await?;
    crate::activities::repo::link(tx, a, "service_request", r.id).await?;
    Ok(())
}

/// The first reply to the customer: stops the response clock and starts the work.
pub async fn respond(db: &Db, user: &CurrentUser, id: i64, version: i64, note: &str) -> AppResult<()> {
    let note = note.trim();
    if note.is_empty() {
        return Err(AppError::validation("note", "validation.required"));
    }
    if note.chars().count() > TEXT_MAX {
        return Err(AppError::validation("note", "validation.too_long"));
    }
    let mut tx = db.write().await?;
    let r = load_at(&mut tx, user, id, version, Action::Edit).await?;
    if !r.open() {
        return Err(AppError::validation("note", "service.not_open"));
    }
    let now = now_ms();
    let mut b = repo::update(user.id, now);
    if r.first_response_at.is_none() {
        b.push(", first_response_at = ").bind_i64(now);
    }
    if r.status == "open" {
        b.push(", status = 'in_progress'");
    }
    if !repo::finish(&mut tx, b, id, version).await? {
        return Err(AppError::Conflict);
    }
    let locale = user.locale.unwrap_or_default();
    log_note(&mut tx, user, &r, tr_args(locale, "service.reply_subject", &[("number", r.number.clone())]), Some(note.to_string()), now)
        .await?;
    // The customer reads the reply on the portal.
    repo::add_message(&mut tx, r.id, Some(user.id), None, note, now).await?;
    audit_change(&mut tx, user, &r, "reply".into()).await?;
    tx.commit().await?;
    Ok(())
}

/// Moves a request along [`status_moves`]. Resolving needs the resolution; reopening
/// clears the resolution and closing times (the deadlines stay as they were).
pub async fn set_status(db: &Db, user: &CurrentUser, id: i64, version: i64, status: &str, resolution: &str) -> AppResult<()> {
    let mut tx = db.write().await?;
    let r = load_at(&mut tx, user, id, version, Action::Edit).await?;
    if !status_moves(&r.status).contains(&status) {
        return Err(AppError::validation("status", "service.bad_move"));
    }
    // A complaint closes only once a return visit found the customer satisfied.
    if status == "closed" && r.kind == "complaint" && !r.satisfaction.is_some_and(satisfied) {
        return Err(AppError::validation("status", "service.complaint_needs_satisfaction"));
    }
    let resolution = resolution.trim();
    if status == "resolved" && resolution.is_empty() {
        return Err(AppError::validation("resolution", "validation.required"));
    }
    if resolution.chars().count() > TEXT_MAX {
        return Err(AppError::validation("resolution", "validation.too_long"));
    }
    let now = now_ms();
    let mut b = repo::update(user.id, now);
    b.push(", status = ").bind_text(status);
    if status == "waiting" {
        b.push(", waiting_since = ").bind_i64(now);
    } else if let Some(since) = r.waiting_since {
        let cal = request_calendar(calendar(&mut tx).await?, r.around_the_clock);
        push_resume(&mut b, &cal, since, now, (r.resolution_warn_at, r.resolution_due_at));
    }
    match status {
        "resolved" => {
            b.push(", resolved_at = ").bind_i64(now).push(", resolution = ").bind_text(resolution);
        }
        "closed" => {
            b.push(", closed_at = ").bind_i64(now);
        }
        "in_progress" if !r.open() => {
            b.push(", resolved_at = NULL, closed_at = NULL");
        }
        _ => {}
    }
    if !repo::finish(&mut tx, b, id, version).await? {
        return Err(AppError::Conflict);
    }
    if status == "resolved" {
        let locale = user.locale.unwrap_or_default();
        log_note(
            &mut tx,
            user,
            &r,
            tr_args(locale, "service.resolved_subject", &[("number", r.number.clone())]),
            Some(resolution.to_string()),
            now,
        )
        .await?;
    }
    audit_change(&mut tx, user, &r, format!("{} → {status}", r.status)).await?;
    tx.commit().await?;
    Ok(())
}

/// A return visit (回访) on a resolved or closed request. A dissatisfied customer (1–3)
/// reopens the request; a product issue puts it on the quality list.
pub async fn record_visit(db: &Db, user: &CurrentUser, id: i64, version: i64, input: &VisitInput) -> AppResult<()> {
    let v = input.validate().map_err(AppError::Validation)?;
    let mut tx = db.write().await?;
    let r = load_at(&mut tx, user, id, version, Action::Edit).await?;
    if !matches!(r.status.as_str(), "resolved" | "closed") {
        return Err(AppError::validation("satisfaction", "service.visit_after_resolution"));
    }
    let now = now_ms();
    repo::insert_visit(&mut tx, id, &v, Some(user.id), None, now).await?;
    let reopen = !satisfied(v.satisfaction);
    let mut b = repo::update(user.id, now);
    b.push(", satisfaction = ").bind_i64(v.satisfaction);
    if v.product_issue {
        b.push(", product_issue = ").bind_bool(true);
    }
    if reopen {
        b.push(", status = 'in_progress', resolved_at = NULL, closed_at = NULL, close_override = NULL");
    }
    if !repo::finish(&mut tx, b, id, version).await? {
        return Err(AppError::Conflict);
    }
    let locale = user.locale.unwrap_or_default();
    let subject = tr_args(locale, "service.visit_subject", &[("number", r.number.clone()), ("score", v.satisfaction.to_string())]);
    log_note(&mut tx, user, &r, subject, Some(v.comment.clone()).filter(|c| !c.is_empty()), now).await?;
    let what = format!(
        "return visit {}/5{}{}",
        v.satisfaction,
        if v.product_issue { ", product issue" } else { "" },
        if reopen { ", reopened" } else { "" }
    );
    audit_change(&mut tx, user, &r, what).await?;
    tx.commit().await?;
    Ok(())
}

/// Closes a resolved complaint the customer is not satisfied with: needs approve and a reason.
pub async fn override_close(db: &Db, user: &CurrentUser, id: i64, version: i64, reason: &str) -> AppResult<()> {
    let reason = reason.trim();
    if reason.is_empty() {
        return Err(AppError::validation("reason", "validation.required"));
    }
    if reason.chars().count() > SHORT_MAX {
        return Err(AppError::validation("reason", "validation.too_long"));
    }
    let mut tx = db.write().await?;
    let r = load_at(&mut tx, user, id, version, Action::Approve).await?;
    if r.kind != "complaint" || r.status != "resolved" {
        return Err(AppError::validation("reason", "service.override_only_resolved_complaint"));
    }
    let now = now_ms();
    let mut b = repo::update(user.id, now);
    b.push(", status = 'closed', closed_at = ").bind_i64(now).push(", close_override = ").bind_text(reason);
    if !repo::finish(&mut tx, b, id, version).await? {
        return Err(AppError::Conflict);
    }
    audit::record(
        &mut tx,
        AuditEntry::by(Some(user.id), &user.display_name, "override")
            .on("service_request", id)
            .summary(format!("{} closed: {reason}", r.number)),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// Gives the request to another active user (their department comes along) and tells them.
pub async fn assign(db: &Db, user: &CurrentUser, id: i64, version: i64, owner_id: i64) -> AppResult<()> {
    let mut tx = db.write().await?;
    let r = load_at(&mut tx, user, id, version, Action::Assign).await?;
    let Some((owner, dept)) = repo::active_user(&mut tx, owner_id).await? else {
        return Err(AppError::validation("owner_id", "validation.invalid_choice"));
    };
    let now = now_ms();
    let mut b = repo::update(user.id, now);
    b.push(", owner_id = ").bind_i64(owner).push(", department_id = ").bind_opt_i64(dept.or(r.department_id));
    if !repo::finish(&mut tx, b, id, version).await? {
        return Err(AppError::Conflict);
    }
    audit_change(&mut tx, user, &r, format!("owner {:?} → {owner}", r.owner_id)).await?;
    if owner != user.id {
        let due = if r.first_response_at.is_none() { r.response_due_at } else { r.resolution_due_at };
        notify(&mut tx, owner, "service.notice_assigned", &r.number, &r.subject, r.customer_id, r.id, due, now).await?;
    }
    tx.commit().await?;
    Ok(())
}

/// A new priority takes the deadlines of its policy, counted from when the request came in.
pub async fn set_priority(db: &Db, user: &CurrentUser, id: i64, version: i64, priority: &str) -> AppResult<()> {
    if !PRIORITIES.contains(&priority) {
        return Err(AppError::validation("priority", "validation.invalid_choice"));
    }
    let mut tx = db.write().await?;
    let r = load_at(&mut tx, user, id, version, Action::Edit).await?;
    if !r.open() {
        return Err(AppError::validation("priority", "service.not_open"));
    }
    let policy = policy_for(&mut tx, &r.kind, priority).await?;
    let cal = calendar(&mut tx).await?;
    let mut d = deadlines(&cal, &policy, r.created_at);
    // Time already spent waiting for the customer stays off the resolution clock.
    if r.paused_minutes > 0 {
        let run = request_calendar(cal.clone(), policy.around_the_clock);
        d.resolution_warn_at = run.add_business_minutes(d.resolution_warn_at, r.paused_minutes);
        d.resolution_due_at = run.add_business_minutes(d.resolution_due_at, r.paused_minutes);
    }
    let now = now_ms();
    let mut b = repo::update(user.id, now);
    b.push(", priority = ").bind_text(priority).push(", around_the_clock = ").bind_bool(policy.around_the_clock);
    b.push(", response_warn_at = ").bind_i64(d.response_warn_at).push(", response_due_at = ").bind_i64(d.response_due_at);
    b.push(", resolution_warn_at = ").bind_i64(d.resolution_warn_at).push(", resolution_due_at = ").bind_i64(d.resolution_due_at);
    // Targets that moved later may warn again; ones already acted on keep their marks.
    b.push(", response_warned_at = CASE WHEN ")
        .bind_i64(d.response_warn_at)
        .push(" > ")
        .bind_i64(now)
        .push(" THEN NULL ELSE response_warned_at END");
    b.push(", resolution_warned_at = CASE WHEN ")
        .bind_i64(d.resolution_warn_at)
        .push(" > ")
        .bind_i64(now)
        .push(" THEN NULL ELSE resolution_warned_at END");
    b.push(", response_escalated_at = CASE WHEN ")
        .bind_i64(d.response_due_at)
        .push(" > ")
        .bind_i64(now)
        .push(" THEN NULL ELSE response_escalated_at END");
    b.push(", resolution_escalated_at = CASE WHEN ").bind_i64(d.resolution_due_at).push(" > ").bind_i64(now);
    b.push(" THEN NULL ELSE resolution_escalated_at END");
    if !repo::finish(&mut tx, b, id, version).await? {
        return Err(AppError::Conflict);
    }
    audit_change(&mut tx, user, &r, format!("priority {} → {priority}", r.priority)).await?;
    tx.commit().await?;
    Ok(())
}

/// A contact's name, mobile, phone and email.
type ContactRow = (String, Option<String>, Option<String>, Option<String>);

/// A pre-sales consultation becomes a lead for the sales team; the request keeps a link.
pub async fn convert_to_lead(db: &Db, user: &CurrentUser, id: i64, version: i64) -> AppResult<i64> {
    let r = {
        let mut tx = db.read().await?;
        let r = load_at(&mut tx, user, id, version, Action::Edit).await?;
        if r.kind != "consultation" || r.lead_id.is_some() {
            return Err(AppError::validation("kind", "service.not_convertible"));
        }
        r
    };
    let (contact, reach): (Option<ContactRow>, (Option<String>, Option<String>)) = {
        let mut tx = db.read().await?;
        let contact = match r.contact_id {
            Some(c) => sql("SELECT name, mobile, phone, email FROM contacts WHERE id = $1").arg_i64(c).fetch_optional(&mut tx).await?,
            None => None,
        };
        let reach = sql("SELECT phone, email FROM customers WHERE id = $1").arg_i64(r.customer_id).fetch_one(&mut tx).await?;
        (contact, reach)
    };
    let company = r.customer_name.clone().unwrap_or_default();
    // The contact's ways to reach them, else the customer's switchboard and mailbox.
    let (name, mobile, phone, email) = contact.unwrap_or((company.clone(), None, None, None));
    let (phone, email) = if mobile.is_none() && phone.is_none() && email.is_none() { reach } else { (phone, email) };
    let needs = if r.description.is_empty() { r.subject.clone() } else { format!("{}\n{}", r.subject, r.description) };
    let input = crate::leads::types::LeadInput {
        name,
        company,
        mobile: mobile.unwrap_or_default(),
        phone: phone.unwrap_or_default(),
        email: email.unwrap_or_default(),
        source: r.number.clone(),
        needs: needs.chars().take(crate::leads::types::TEXT_MAX).collect(),
        ..Default::default()
    };
    if input.mobile.is_empty() && input.phone.is_empty() && input.email.is_empty() {
        return Err(AppError::validation("kind", "service.lead_needs_reach"));
    }
    let lead = crate::leads::service::create(db, user, &input).await?;
    let mut tx = db.write().await?;
    let mut b = repo::update(user.id, now_ms());
    b.push(", lead_id = ").bind_i64(lead);
    if !repo::finish(&mut tx, b, id, version).await? {
        return Err(AppError::Conflict);
    }
    audit_change(&mut tx, user, &r, format!("→ lead {lead}")).await?;
    tx.commit().await?;
    Ok(lead)
}

/// A planned follow-up for `to`, in their language, linked to the customer and request.
#[allow(clippy::too_many_arguments)]
pub(crate) async fn notify(
    tx: &mut Tx,
    to: i64,
    key: &str,
    number: &str,
    subject: &str,
    customer_id: i64,
    request_id: i64,
    due: i64,
    now: i64,
) -> AppResult<()> {
    let locale: Option<(Option<String>,)> = sql("SELECT locale FROM users WHERE id = $1").arg_i64(to).fetch_optional(tx).await?;
    let locale = locale.and_then(|(l,)| l).as_deref().and_then(Locale::from_tag).unwrap_or_default();
    let args = [("number", number.to_string()), ("subject", subject.to_string()), ("due", format_ms(due, offset()))];
    let v = ValidActivity {
        kind: ActivityKind::Call,
        status: ActivityStatus::Planned,
        subject: tr_args(locale, key, &args).chars().take(200).collect(),
        body: Some(tr_args(locale, "service.notice_body", &args)),
        occurred_at: now,
        contact_id: None,
    };
    let a = crate::activities::repo::insert(tx, &v, to, now).await?;
    crate::activities::repo::link(tx, a, "customer", customer_id).await?;
    crate::activities::repo::link(tx, a, "service_request", request_id).await?;
    Ok(())
}

/// The SLA job: warnings for targets at risk, escalations for breaches, each once.
/// Returns how many it sent.
pub async fn sla_sweep(db: &Db, now: i64) -> AppResult<usize> {
    let mut total = 0;
    for (target, escalate) in [("response", true), ("resolution", true), ("response", false), ("resolution", false)] {
        loop {
            let mut tx = db.write().await?;
            let due = repo::sla_due(&mut tx, target, escalate, now).await?;
            if due.is_empty() {
                break;
            }
            let mark = match (target, escalate) {
                ("response", false) => "response_warned_at",
                ("response", true) => "response_escalated_at",
                (_, false) => "resolution_warned_at",
                (_, true) => "resolution_escalated_at",
            };
            for e in &due {
                let key = format!("service.notice_{}_{}", if escalate { "breach" } else { "warn" }, target);
                let to = if escalate { e.escalate_to.or(e.owner_id) } else { e.owner_id };
                if let Some(to) = to {
                    notify(&mut tx, to, &key, &e.number, &e.subject, e.customer_id, e.id, e.due_at, now).await?;
                }
                // An escalation also tells the owner when someone else was told.
                if escalate {
                    if let (Some(owner), Some(sup)) = (e.owner_id, e.escalate_to) {
                        if owner != sup {
                            notify(&mut tx, owner, &key, &e.number, &e.subject, e.customer_id, e.id, e.due_at, now).await?;
                        }
                    }
                    repo::mark_sla(&mut tx, e.id, mark.replace("escalated", "warned").as_str(), now).await?;
                }
                repo::mark_sla(&mut tx, e.id, mark, now).await?;
                audit::record(
                    &mut tx,
                    AuditEntry::by(None, "system", if escalate { "escalate" } else { "warn" })
                        .on("service_request", e.id)
                        .summary(format!("{} {target}", e.number)),
                )
                .await?;
            }
            tx.commit().await?;
            total += due.len();
        }
    }
    Ok(total)
}

/// The settings page: policies, routes, business hours. Needs the settings grant.
pub async fn settings(db: &Db, user: &CurrentUser) -> AppResult<ServiceSettings> {
    authorize(user, Entity::Setting, Action::View)?;
    let mut tx = db.read().await?;
    Ok(ServiceSettings {
        policies: repo::policies(&mut tx).await?,
        routes: repo::routes(&mut tx).await?,
        hours: hours(&mut tx).await?,
        users: repo::active_users(&mut tx).await?,
        departments: repo::departments(&mut tx).await?,
    })
}

/// Saves the whole settings page at once; new deadlines apply to requests created after.
pub async fn save_settings(db: &Db, user: &CurrentUser, s: &ServiceSettings) -> AppResult<()> {
    authorize(user, Entity::Setting, Action::Edit)?;
    let mut errors = Vec::new();
    for p in &s.policies {
        if let Err(e) = p.validate() {
            errors.extend(e);
        }
    }
    if let Err(e) = s.hours.calendar(offset()) {
        errors.extend(e);
    }
    let mut tx = db.write().await?;
    for r in &s.routes {
        for (field, who) in [("assignee", r.assignee_id), ("escalate_to", r.escalate_to)] {
            if let Some(u) = who {
                if repo::active_user(&mut tx, u).await?.is_none() {
                    errors.push(crate::platform::error::FieldError::new(&format!("route.{}.{field}", r.kind), "validation.invalid_choice"));
                }
            }
        }
        if let Some(d) = r.department_id {
            if sql("SELECT COUNT(*) FROM departments WHERE id = $1").arg_i64(d).fetch_i64(&mut tx).await? == 0 {
                errors.push(crate::platform::error::FieldError::new(&format!("route.{}.department", r.kind), "validation.invalid_choice"));
            }
        }
    }
    if !errors.is_empty() {
        return Err(AppError::Validation(errors));
    }
    let now = now_ms();
    for p in &s.policies {
        repo::save_policy(&mut tx, p, user.id, now).await?;
    }
    for r in &s.routes {
        repo::save_route(&mut tx, r, user.id, now).await?;
    }
    let hours = serde_json::to_string(&s.hours).map_err(AppError::internal)?;
    crate::platform::settings::set(&mut tx, HOURS_KEY, &hours, Some(user.id), now).await?;
    audit::record(
        &mut tx,
        AuditEntry::by(Some(user.id), &user.display_name, "update").on("setting", 0).summary("service desk: SLA, routes, hours").after(s),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// A customer's installed assets, for whoever may see the customer.
pub async fn assets(db: &Db, user: &CurrentUser, customer_id: i64) -> AppResult<Vec<Asset>> {
    let mut tx = db.read().await?;
    customer_in_scope(&mut tx, user, customer_id, Action::View).await?;
    Ok(repo::assets(&mut tx, customer_id).await?)
}

/// Who may record a customer's assets: whoever sees the customer and either works
/// service requests or may edit the customer.
async fn asset_access(tx: &mut Tx, user: &CurrentUser, customer_id: i64) -> AppResult<()> {
    customer_in_scope(tx, user, customer_id, Action::View).await?;
    if authorize(user, Entity::ServiceRequest, Action::Edit).is_ok() {
        return Ok(());
    }
    customer_in_scope(tx, user, customer_id, Action::Edit).await.map(|_| ())
}

/// Adds (`id` None) or changes an asset.
pub async fn save_asset(db: &Db, user: &CurrentUser, id: Option<i64>, version: i64, input: &AssetInput) -> AppResult<i64> {
    let v = input.validate().map_err(AppError::Validation)?;
    let mut tx = db.write().await?;
    asset_access(&mut tx, user, v.customer_id).await?;
    if let Some(p) = v.product_id {
        if sql("SELECT COUNT(*) FROM products WHERE id = $1").arg_i64(p).fetch_i64(&mut tx).await? == 0 {
            return Err(AppError::validation("product_id", "validation.invalid_choice"));
        }
    }
    if repo::serial_taken(&mut tx, &v.serial_no, id.unwrap_or(0)).await? {
        return Err(AppError::validation("serial_no", "service.serial_taken"));
    }
    let now = now_ms();
    let id = match id {
        None => repo::insert_asset(&mut tx, &v, user.id, now).await?,
        Some(id) => {
            let before = repo::asset(&mut tx, id).await?.filter(|a| a.customer_id == v.customer_id).ok_or(AppError::NotFound)?;
            if before.version != version || !repo::update_asset(&mut tx, id, version, &v, user.id, now).await? {
                return Err(AppError::Conflict);
            }
            id
        }
    };
    audit::record(
        &mut tx,
        AuditEntry::by(Some(user.id), &user.display_name, if version == 0 { "create" } else { "update" })
            .on("service_asset", id)
            .summary(format!("{} {}", v.serial_no, v.name))
            .after(&v),
    )
    .await?;
    tx.commit().await?;
    Ok(id)
}

/// Removes an asset from the customer's list (soft: requests that name it keep it).
pub async fn delete_asset(db: &Db, user: &CurrentUser, id: i64, version: i64) -> AppResult<()> {
    let mut tx = db.write().await?;
    let a = repo::asset(&mut tx, id).await?.ok_or(AppError::NotFound)?;
    asset_access(&mut tx, user, a.customer_id).await?;
    if !repo::delete_asset(&mut tx, id, version, user.id, now_ms()).await? {
        return Err(AppError::Conflict);
    }
    audit::record(
        &mut tx,
        AuditEntry::by(Some(user.id), &user.display_name, "delete").on("service_asset", id).summary(a.serial_no.clone()).before(&a),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}
