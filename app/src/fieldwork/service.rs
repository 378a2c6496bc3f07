//! Work order rules (V3). A work order belongs to a service request the user can see and
//! to its customer; its lines are priced for that customer (price policies, i.e. the
//! customer's discount) in the base currency when saved. Chargeable work needs the
//! customer's agreement before dispatch, and changing the charges asks for it again.
//! Dispatching books an engineer for a span of time and is refused, with the booking in
//! the way, when that span overlaps another of the engineer's work orders. The engineer
//! finds the visit in their plan. Every change is version-checked and audited.
use crate::activities::types::{ActivityKind, ActivityStatus, ValidActivity};
use crate::fieldwork::repo::{self, NewWorkOrder, PricedItem};
use crate::fieldwork::types::*;
use crate::platform::audit::{self, AuditEntry};
use crate::platform::authz::{authorize, Action, CurrentUser, Entity};
use crate::platform::db::{sql, Db, Tx};
use crate::platform::error::{AppError, AppResult};
use crate::platform::i18n::{tr_args, Locale};
use crate::platform::time::{format_ms, local_today, now_ms, parse_date_ms};

const DAY_MS: i64 = 86_400_000;

fn offset() -> i32 {
    crate::account::api::tz_offset_minutes()
}

fn today() -> String {
    let (y, m, d) = local_today();
    format!("{y:04}-{m:02}-{d:02}")
}

async fn load(tx: &mut Tx, user: &CurrentUser, id: i64, action: Action) -> AppResult<WorkOrder> {
    let grant = authorize(user, Entity::WorkOrder, action)?;
    repo::get(tx, &grant, id).await?.ok_or(AppError::NotFound)
}

async fn load_at(tx: &mut Tx, user: &CurrentUser, id: i64, version: i64, action: Action) -> AppResult<WorkOrder> {
    let w = load(tx, user, id, action).await?;
    if w.version != version {
        return Err(AppError::Conflict);
    }
    Ok(w)
}

/// The request a work order is for, inside the user's request scope.
async fn request(tx: &mut Tx, user: &CurrentUser, id: i64) -> AppResult<crate::tickets::types::ServiceRequest> {
    let grant = authorize(user, Entity::ServiceRequest, Action::View)?;
    crate::tickets::repo::get(tx, &grant, id).await?.ok_or_else(|| AppError::validation("request_id", "validation.invalid_choice"))
}

/// Prices each line for the customer today, in the base currency. Returns the lines and
/// the total.
async fn price(tx: &mut Tx, user: &CurrentUser, customer_id: i64, v: &ValidWorkOrder) -> AppResult<(Vec<PricedItem>, i64, String)> {
    let currency = crate::finance::service::base_currency(tx).await?;
    let date = today();
    let mut lines = Vec::new();
    let mut total: i64 = 0;
    for (i, (product_id, qty)) in v.items.iter().enumerate() {
        let product = crate::catalog::repo::get(tx, *product_id, false)
            .await?
            .filter(|p| p.active && p.deleted_at.is_none())
            .ok_or_else(|| AppError::validation(&format!("items.{i}.product_id"), "validation.invalid_choice"))?;
        let q =
            crate::catalog::service::price(tx, user, &product, Some(customer_id), *qty, &date, currency).await.map_err(|e| match e {
                AppError::Validation(_) => AppError::validation(&format!("items.{i}.product_id"), "validation.no_rate"),
                e => e,
            })?;
        total = total.checked_add(q.line_total).ok_or_else(|| AppError::validation(&format!("items.{i}.qty"), "validation.quantity"))?;
        lines.push(PricedItem {
            product_id: product.id,
            description: product.name,
            qty_milli: *qty,
            unit_price: q.unit_price,
            amount: q.line_total,
        });
    }
    Ok((lines, total, currency.code().to_string()))
}

/// Active products for a work order's lines.
pub async fn products(db: &Db, user: &CurrentUser) -> AppResult<Vec<WorkProduct>> {
    if authorize(user, Entity::WorkOrder, Action::Create).is_err() {
        authorize(user, Entity::WorkOrder, Action::Edit)?;
    }
    let mut tx = db.read().await?;
    Ok(repo::products(&mut tx).await?)
}

/// Raises a work order for a request. Returns its id.
pub async fn create(db: &Db, user: &CurrentUser, input: &WorkOrderInput) -> AppResult<i64> {
    authorize(user, Entity::WorkOrder, Action::Create)?;
    let mut v = input.validate().map_err(AppError::Validation)?;
    let mut tx = db.write().await?;
    let r = request(&mut tx, user, v.request_id).await?;
    if !r.open() {
        return Err(AppError::validation("request_id", "work.request_not_open"));
    }
    if v.address.is_empty() {
        let address: Option<(Option<String>,)> =
            sql("SELECT address FROM customers WHERE id = $1").arg_i64(r.customer_id).fetch_optional(&mut tx).await?;
        v.address = address.and_then(|a| a.0).unwrap_or_default();
    }
    let (lines, total, currency) = price(&mut tx, user, r.customer_id, &v).await?;
    let number = crate::platform::numbering::next_number(&mut tx, "work_order", local_today()).await?;
    let now = now_ms();
    let n = NewWorkOrder { number: &number, customer_id: r.customer_id, currency: &currency, total };
    let id = repo::insert(&mut tx, &v, &n, user.id, now).await?;
    repo::replace_items(&mut tx, id, &lines).await?;
    audit::record(
        &mut tx,
        AuditEntry::by(Some(user.id), &user.display_name, "create")
            .on("work_order", id)
            .summary(format!("{number} {} {}", r.number, r.customer_name.clone().unwrap_or_default()))
            .after(&v),
    )
    .await?;
    tx.commit().await?;
    Ok(id)
}

/// Saves a work order's items, address and instructions before the work starts. New
/// charges need the customer's agreement again.
pub async fn update(db: &Db, user: &CurrentUser, id: i64, version: i64, input: &WorkOrderInput) -> AppResult<()> {
    let v = input.validate().map_err(AppError::Validation)?;
    let mut tx = db.write().await?;
    let w = load_at(&mut tx, user, id, version, Action::Edit).await?;
    if !editable(&w.status) {
        return Err(AppError::validation("items", "work.not_editable"));
    }
    let (lines, total, _) = price(&mut tx, user, w.customer_id, &v).await?;
    let now = now_ms();
    let mut b = repo::update(user.id, now);
    b.push(", skill = ").bind_text(v.skill.clone()).push(", address = ").bind_text(v.address.clone());
    b.push(", instructions = ").bind_text(v.instructions.clone()).push(", chargeable = ").bind_bool(v.chargeable);
    b.push(", total = ").bind_i64(total);
    let recharge = v.chargeable && (total != w.total || !w.chargeable);
    if recharge || !v.chargeable {
        b.push(", confirmed_at = NULL, confirmed_by = NULL, confirmed_via = NULL");
    }
    if !repo::finish(&mut tx, b, id, version).await? {
        return Err(AppError::Conflict);
    }
    repo::replace_items(&mut tx, id, &lines).await?;
    audit::record(
        &mut tx,
        AuditEntry::by(Some(user.id), &user.display_name, "update")
            .on("work_order", id)
            .summary(format!("{} items {} → {}", w.number, w.total, total))
            .before(&w)
            .after(&v),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

pub async fn get(db: &Db, user: &CurrentUser, id: i64) -> AppResult<WorkOrderDetail> {
    let mut tx = db.read().await?;
    let order = load(&mut tx, user, id, Action::View).await?;
    let items = repo::items(&mut tx, id).await?;
    let can_edit = authorize(user, Entity::WorkOrder, Action::Edit).is_ok();
    let can_dispatch = authorize(user, Entity::WorkOrder, Action::Assign).is_ok();
    let engineers = if can_dispatch { repo::engineers(&mut tx).await? } else { Vec::new() };
    let site = crate::fieldwork::site::record(&mut tx, id).await?;
    let bill = crate::fieldwork::billing::posted(&mut tx, id).await?;
    let can_bill = can_edit && crate::fieldwork::billing::billable(&order, bill.as_ref());
    let can_open_bill = match (&bill, authorize(user, Entity::Contract, Action::View)) {
        (Some(b), Ok(grant)) => crate::contracts::repo::get(&mut tx, &grant, &today(), b.contract_id).await?.is_some(),
        _ => false,
    };
    Ok(WorkOrderDetail { order, items, can_edit, can_dispatch, engineers, site, bill, can_bill, can_open_bill })
}

/// A request's work orders (none for people who may not see work orders).
pub async fn for_request(db: &Db, user: &CurrentUser, request_id: i64) -> AppResult<Vec<WorkOrder>> {
    let Ok(grant) = authorize(user, Entity::WorkOrder, Action::View) else {
        return Ok(Vec::new());
    };
    let mut tx = db.read().await?;
    request(&mut tx, user, request_id).await.map_err(|_| AppError::NotFound)?;
    Ok(repo::for_request(&mut tx, &grant, request_id).await?)
}

async fn audit_change(tx: &mut Tx, user: &CurrentUser, w: &WorkOrder, what: String) -> AppResult<()> {
    audit::record(
        tx,
        AuditEntry::by(Some(user.id), &user.display_name, "update").on("work_order", w.id).summary(format!("{} {what}", w.number)),
    )
    .await?;
    Ok(())
}

/// Records the customer's agreement to the charges: who, how and when.
pub async fn confirm(db: &Db, user: &CurrentUser, id: i64, version: i64, input: &ConfirmInput) -> AppResult<()> {
    let (by, via) = input.validate().map_err(AppError::Validation)?;
    let mut tx = db.write().await?;
    let w = load_at(&mut tx, user, id, version, Action::Edit).await?;
    if !w.needs_confirmation() || !editable(&w.status) {
        return Err(AppError::validation("by", "work.nothing_to_confirm"));
    }
    let now = now_ms();
    let mut b = repo::update(user.id, now);
    b.push(", confirmed_at = ").bind_i64(now).push(", confirmed_by = ").bind_text(by.clone());
    b.push(", confirmed_via = ").bind_text(via.clone());
    if !repo::finish(&mut tx, b, id, version).await? {
        return Err(AppError::Conflict);
    }
    audit_change(&mut tx, user, &w, format!("customer confirmed {} {} by {by} ({via})", w.total, w.currency)).await?;
    tx.commit().await?;
    Ok(())
}

/// Books an engineer for the work order. `Ok(Some(booking))` (nothing saved) when the
/// span overlaps another of the engineer's work orders.
pub async fn dispatch(db: &Db, user: &CurrentUser, id: i64, version: i64, input: &DispatchInput) -> AppResult<Option<Booking>> {
    authorize(user, Entity::WorkOrder, Action::Assign)?;
    let (engineer_id, start, end) = input.validate(offset()).map_err(AppError::Validation)?;
    let mut tx = db.write().await?;
    let w = load_at(&mut tx, user, id, version, Action::Assign).await?;
    if !editable(&w.status) {
        return Err(AppError::validation("engineer_id", "work.not_editable"));
    }
    if w.needs_confirmation() {
        return Err(AppError::validation("engineer_id", "work.confirm_first"));
    }
    let Some((engineer_name, department_id)) = repo::engineer_for_dispatch(&mut tx, engineer_id).await? else {
        return Err(AppError::validation("engineer_id", "validation.invalid_choice"));
    };
    let taken = repo::bookings(&mut tx, Some(engineer_id), start, end).await?;
    if let Some(b) = clash(&taken, start, end, id) {
        return Ok(Some(b.clone()));
    }
    let now = now_ms();
    let mut b = repo::update(user.id, now);
    b.push(", status = 'dispatched', owner_id = ").bind_i64(engineer_id).push(", department_id = ").bind_opt_i64(department_id);
    b.push(", planned_start = ").bind_i64(start).push(", planned_end = ").bind_i64(end);
    if !repo::finish(&mut tx, b, id, version).await? {
        return Err(AppError::Conflict);
    }
    // The visit in the engineer's plan; a visit planned by an earlier dispatch goes.
    sql("UPDATE activities SET deleted_at = $1 WHERE status = 'planned' AND deleted_at IS NULL AND id IN \
         (SELECT activity_id FROM activity_links WHERE entity = 'work_order' AND entity_id = $2)")
    .arg_i64(now)
    .arg_i64(id)
    .execute(&mut tx)
    .await?;
    let locale: Option<(Option<String>,)> =
        sql("SELECT locale FROM users WHERE id = $1").arg_i64(engineer_id).fetch_optional(&mut tx).await?;
    let locale = locale.and_then(|(l,)| l).as_deref().and_then(Locale::from_tag).unwrap_or_default();
    let args = [
        ("number", w.number.clone()),
        ("customer", w.customer_name.clone()),
        ("start", format_ms(start, offset())),
        ("address", w.address.clone()),
    ];
    let v = ValidActivity {
        kind: ActivityKind::Visit,
        status: ActivityStatus::Planned,
        subject: tr_args(locale, "work.visit_subject", &args).chars().take(200).collect(),
        body: Some(tr_args(locale, "work.visit_body", &args)),
        occurred_at: start,
        contact_id: None,
    };
    let a = crate::activities::repo::insert(&mut tx, &v, engineer_id, now).await?;
    link_visit(&mut tx, a, &w).await?;
    let when = format!("{}–{}", format_ms(start, offset()), format_ms(end, offset()));
    audit_change(&mut tx, user, &w, format!("dispatched to {engineer_name} {when}")).await?;
    tx.commit().await?;
    Ok(None)
}

/// Puts a visit on the customer's timeline, the request's and the work order's.
pub(crate) async fn link_visit(tx: &mut Tx, activity: i64, w: &WorkOrder) -> Result<(), sqlx::Error> {
    crate::activities::repo::link(tx, activity, "customer", w.customer_id).await?;
    crate::activities::repo::link(tx, activity, "service_request", w.request_id).await?;
    crate::activities::repo::link(tx, activity, "work_order", w.id).await?;
    Ok(())
}

/// Cancels a work order that has not started, with a reason; it frees the engineer.
pub async fn cancel(db: &Db, user: &CurrentUser, id: i64, version: i64, reason: &str) -> AppResult<()> {
    let reason = reason.trim();
    if reason.is_empty() {
        return Err(AppError::validation("reason", "validation.required"));
    }
    if reason.chars().count() > NAME_MAX * 2 {
        return Err(AppError::validation("reason", "validation.too_long"));
    }
    let mut tx = db.write().await?;
    let w = load_at(&mut tx, user, id, version, Action::Edit).await?;
    if !editable(&w.status) {
        return Err(AppError::validation("reason", "work.not_editable"));
    }
    let now = now_ms();
    let mut b = repo::update(user.id, now);
    b.push(", status = 'cancelled', cancel_reason = ").bind_text(reason);
    if !repo::finish(&mut tx, b, id, version).await? {
        return Err(AppError::Conflict);
    }
    sql("UPDATE activities SET deleted_at = $1 WHERE status = 'planned' AND deleted_at IS NULL AND id IN \
         (SELECT activity_id FROM activity_links WHERE entity = 'work_order' AND entity_id = $2)")
    .arg_i64(now)
    .arg_i64(id)
    .execute(&mut tx)
    .await?;
    audit_change(&mut tx, user, &w, format!("cancelled: {reason}")).await?;
    tx.commit().await?;
    Ok(())
}

/// The dispatch board for a day (`YYYY-MM-DD` in the user's zone; empty for today):
/// every engineer with their bookings and the work orders waiting for dispatch.
pub async fn board(db: &Db, user: &CurrentUser, day: &str) -> AppResult<DispatchBoard> {
    let grant = authorize(user, Entity::WorkOrder, Action::View)?;
    let can_dispatch = authorize(user, Entity::WorkOrder, Action::Assign).is_ok();
    let day = if day.trim().is_empty() { today() } else { day.trim().to_string() };
    let day_start = parse_date_ms(&day, offset()).ok_or_else(|| AppError::validation("day", "validation.date"))?;
    let mut tx = db.read().await?;
    let engineers = repo::engineers(&mut tx).await?;
    let all = repo::bookings(&mut tx, None, day_start, day_start + DAY_MS).await?;
    // People outside the user's work order scope show as busy without the details.
    let visible: std::collections::HashSet<i64> = {
        let mut b = sql("SELECT w.id FROM work_orders w WHERE w.deleted_at IS NULL AND w.planned_start < ");
        b.bind_i64(day_start + DAY_MS).push(" AND w.planned_end > ").bind_i64(day_start);
        grant.push_filter(&mut b, "w");
        let rows: Vec<(i64,)> = b.fetch_all(&mut tx).await?;
        rows.into_iter().map(|r| r.0).collect()
    };
    let engineers = engineers
        .into_iter()
        .map(|e| {
            let bookings = all
                .iter()
                .filter(|b| b.engineer_id == e.user_id)
                .map(|b| {
                    if visible.contains(&b.work_order_id) {
                        b.clone()
                    } else {
                        Booking { work_order_id: 0, number: String::new(), customer_name: String::new(), ..b.clone() }
                    }
                })
                .collect();
            EngineerDay { engineer: e, bookings }
        })
        .collect();
    let waiting = repo::waiting(&mut tx, &grant, 200).await?;
    let users = if can_dispatch { repo::others(&mut tx).await? } else { Vec::new() };
    Ok(DispatchBoard { day, day_start, engineers, waiting, can_dispatch, users })
}

/// Adds a person as an engineer (`version` 0) or changes their skills and region.
pub async fn save_engineer(db: &Db, user: &CurrentUser, user_id: i64, version: i64, input: &EngineerInput) -> AppResult<()> {
    authorize(user, Entity::WorkOrder, Action::Assign)?;
    let (skills, region) = input.validate().map_err(AppError::Validation)?;
    let mut tx = db.write().await?;
    let now = now_ms();
    let current = repo::engineer_profile_version(&mut tx, user_id).await?;
    match (current, version) {
        (None, 0) => {
            if crate::tickets::repo::active_user(&mut tx, user_id).await?.is_none() {
                return Err(AppError::validation("user_id", "validation.invalid_choice"));
            }
            repo::insert_engineer(&mut tx, user_id, &skills, &region, user.id, now).await?;
        }
        (Some(_), v) if v > 0 => {
            if !repo::update_engineer(&mut tx, user_id, version, &skills, &region, user.id, now).await? {
                return Err(AppError::Conflict);
            }
        }
        _ => return Err(AppError::Conflict),
    }
    audit::record(
        &mut tx,
        AuditEntry::by(Some(user.id), &user.display_name, if version == 0 { "create" } else { "update" })
            .on("engineer_profile", user_id)
            .summary(format!("skills: {skills}; region: {region}")),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}
