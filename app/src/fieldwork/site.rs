//! The engineer's work on site (V4). The tablet loads the day once ([`kit`]) and sends
//! what the engineer does as changes, one at a time, each with a key it made ([`sync`]).
//! A change is claimed by its key before it is applied, in the same transaction, so the
//! same change sent twice (a retry after a lost answer, two tabs) applies once and gets
//! the first answer again. Only the engineer the work order is dispatched to may work on
//! it. A change the office has made moot meanwhile (the order cancelled, moved to someone
//! else, finished) or that stock refuses is kept as a conflict, never dropped: the tablet
//! shows it and so does the work order's page in the office.
use crate::activities::types::{ActivityKind, ActivityStatus, ValidActivity};
use crate::fieldwork::field::*;
use crate::fieldwork::repo;
use crate::fieldwork::types::WorkOrder;
use crate::platform::audit::{self, AuditEntry};
use crate::platform::authz::{authorize, Action, CurrentUser, Entity};
use crate::platform::db::{sql, Db, Tx};
use crate::platform::error::{AppError, AppResult};
use crate::platform::time::{local_today, now_ms, parse_date_ms};
use std::path::{Path, PathBuf};

const DAY_MS: i64 = 86_400_000;

/// The engineer's jobs for today (in their zone) in planned order, with work started on
/// an earlier day still open, and the warehouses and parts to pick from offline.
pub async fn kit(db: &Db, user: &CurrentUser) -> AppResult<FieldKit> {
    let grant = authorize(user, Entity::WorkOrder, Action::View)?;
    let offset = crate::account::api::tz_offset_minutes();
    let (y, m, d) = local_today();
    let day = format!("{y:04}-{m:02}-{d:02}");
    let start = parse_date_ms(&day, offset).unwrap_or_default();
    let mut tx = db.read().await?;
    let mut b = repo::select();
    b.push(" AND w.owner_id = ").bind_i64(user.id);
    b.push(" AND ((w.planned_start >= ").bind_i64(start).push(" AND w.planned_start < ").bind_i64(start + DAY_MS);
    b.push(" AND w.status IN ('dispatched', 'in_progress', 'completed')) OR w.status = 'in_progress')");
    grant.push_filter(&mut b, "w");
    b.push(" ORDER BY w.planned_start, w.id");
    let orders: Vec<WorkOrder> = b.fetch_all(&mut tx).await?;
    let mut jobs = Vec::with_capacity(orders.len());
    for order in orders {
        let items = repo::items(&mut tx, order.id).await?;
        let phone: Option<(Option<String>,)> =
            sql("SELECT phone FROM customers WHERE id = $1").arg_i64(order.customer_id).fetch_optional(&mut tx).await?;
        let site = record(&mut tx, order.id).await?;
        jobs.push(FieldJob { order, items, customer_phone: phone.and_then(|p| p.0), site });
    }
    let warehouses =
        crate::inventory::service::list_warehouses(&mut tx).await?.into_iter().filter(|w| w.active).map(|w| (w.id, w.name)).collect();
    let parts = repo::products(&mut tx).await?.into_iter().filter(|p| p.kind == "product").collect();
    Ok(FieldKit { user_id: user.id, day, jobs, warehouses, parts, fetched_at: now_ms() })
}

#[derive(sqlx::FromRow)]
struct SiteColumns {
    checked_in_at: Option<i64>,
    checked_out_at: Option<i64>,
    labour_minutes: Option<i64>,
    resolution: Option<String>,
    signed_by: Option<String>,
    signature_id: Option<i64>,
    completed_at: Option<i64>,
}

#[derive(sqlx::FromRow)]
struct EntryRow {
    change_key: String,
    op: String,
    payload: String,
    happened_at: i64,
    outcome: String,
    reason: Option<String>,
    attachment_id: Option<i64>,
    user_name: String,
}

/// What happened on site for a work order (the caller has checked it may be seen).
pub async fn record(tx: &mut Tx, id: i64) -> Result<SiteRecord, sqlx::Error> {
    let c: Option<SiteColumns> = sql("SELECT checked_in_at, checked_out_at, labour_minutes, resolution, signed_by, signature_id, \
         completed_at FROM work_orders WHERE id = $1")
    .arg_i64(id)
    .fetch_optional(&mut *tx)
    .await?;
    let Some(c) = c else { return Ok(SiteRecord::default()) };
    let parts = sql("SELECT p.product_id, d.name, d.unit, p.warehouse_id, w.name AS warehouse_name, p.qty_milli \
         FROM work_order_parts p JOIN products d ON d.id = p.product_id JOIN warehouses w ON w.id = p.warehouse_id \
         WHERE p.work_order_id = $1 ORDER BY p.id")
    .arg_i64(id)
    .fetch_all(&mut *tx)
    .await?;
    // Notes, photos and refused changes; the rest shows in the columns above.
    let rows: Vec<EntryRow> = sql("SELECT f.change_key, f.op, f.payload, f.happened_at, f.outcome, f.reason, f.attachment_id, \
         u.display_name AS user_name FROM field_changes f JOIN users u ON u.id = f.user_id \
         WHERE f.work_order_id = $1 AND (f.op IN ('note', 'photo') OR f.outcome = 'conflict') ORDER BY f.happened_at, f.id")
    .arg_i64(id)
    .fetch_all(&mut *tx)
    .await?;
    let entries = rows
        .into_iter()
        .map(|r| {
            let v: serde_json::Value = serde_json::from_str(&r.payload).unwrap_or_default();
            let text = ["text", "name", "resolution", "signer"]
                .iter()
                .find_map(|k| v.get(*k).and_then(|t| t.as_str()))
                .map(str::to_string)
                .unwrap_or_default();
            FieldEntry {
                key: r.change_key,
                op: r.op,
                text,
                happened_at: r.happened_at,
                outcome: r.outcome,
                reason: r.reason,
                attachment_id: r.attachment_id,
                user_name: r.user_name,
            }
        })
        .collect();
    Ok(SiteRecord {
        checked_in_at: c.checked_in_at,
        checked_out_at: c.checked_out_at,
        labour_minutes: c.labour_minutes,
        resolution: c.resolution,
        signed_by: c.signed_by,
        signature_id: c.signature_id,
        completed_at: c.completed_at,
        parts,
        entries,
    })
}

async fn prior(tx: &mut Tx, key: &str) -> Result<Option<(i64, SyncResult)>, sqlx::Error> {
    let row: Option<(i64, String, Option<String>)> =
        sql("SELECT user_id, outcome, reason FROM field_changes WHERE change_key = $1").arg_text(key).fetch_optional(tx).await?;
    Ok(row.map(|(user_id, outcome, reason)| (user_id, SyncResult { key: key.to_string(), outcome, reason })))
}

fn answer_to_repeat(user: &CurrentUser, found: (i64, SyncResult)) -> AppResult<SyncResult> {
    // Keys are random; one of another person's is refused rather than answered.
    if found.0 == user.id {
        Ok(found.1)
    } else {
        Err(AppError::validation("key", "validation.invalid_choice"))
    }
}

/// A photo or signature, decoded and checked to be what it claims.
fn decode(op: &FieldOp) -> AppResult<Option<(String, &'static str, Vec<u8>)>> {
    use base64::Engine;
    let (name, data, field) = match op {
        FieldOp::Photo { name, data } => {
            let stem: String = name.chars().filter(|c| !c.is_control() && !matches!(c, '/' | '\\')).take(80).collect();
            let stem = stem.trim_end_matches(".jpeg").trim_end_matches(".jpg");
            (format!("{}.jpg", if stem.is_empty() { "photo" } else { stem }), data, "photo")
        }
        FieldOp::Signature { data, .. } => ("signature.png".to_string(), data, "signature"),
        _ => return Ok(None),
    };
    let bytes =
        base64::engine::general_purpose::STANDARD.decode(data.trim()).map_err(|_| AppError::validation(field, "attachment.bad_type"))?;
    let mime =
        crate::activities::attachments::check_type(&name, &bytes).ok_or_else(|| AppError::validation(field, "attachment.bad_type"))?;
    Ok(Some((name, mime, bytes)))
}

/// Applies one change from the engineer's tablet, once. See the module's description.
#[tracing::instrument(skip(db, user, change, dir), fields(user = user.id, key = %change.key, op = change.op.code()))]
pub async fn sync(db: &Db, user: &CurrentUser, change: &FieldChange, dir: &Path) -> AppResult<SyncResult> {
    if !change.key_ok() {
        return Err(AppError::validation("key", "validation.invalid_choice"));
    }
    let grant = authorize(user, Entity::WorkOrder, Action::View)?;
    {
        let mut tx = db.read().await?;
        if let Some(found) = prior(&mut tx, &change.key).await? {
            return answer_to_repeat(user, found);
        }
    }
    change.op.validate().map_err(AppError::Validation)?;
    let file = decode(&change.op)?;
    let mut tx = db.write().await?;
    let w = repo::get(&mut tx, &grant, change.work_order_id).await?.ok_or(AppError::NotFound)?;
    let now = now_ms();
    let at = change.happened_at(now);
    // Claim the key first: a second copy racing this one stops here.
    let claimed = sql("INSERT INTO field_changes (change_key, user_id, work_order_id, op, payload, happened_at, received_at, outcome) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, 'applied') RETURNING id")
    .arg_text(change.key.clone())
    .arg_i64(user.id)
    .arg_i64(w.id)
    .arg_text(change.op.code())
    .arg_text(change.op.stored().to_string())
    .arg_i64(at)
    .arg_i64(now)
    .fetch_i64(&mut tx)
    .await;
    let change_id = match claimed {
        Ok(id) => id,
        Err(e) if e.as_database_error().is_some_and(|d| d.is_unique_violation()) => {
            drop(tx);
            let mut tx = db.read().await?;
            let found = prior(&mut tx, &change.key).await?.ok_or(AppError::Conflict)?;
            return answer_to_repeat(user, found);
        }
        Err(e) => return Err(e.into()),
    };
    let mut written: Option<PathBuf> = None;
    let reason = match apply(&mut tx, user, &w, change, change_id, at, now, file, dir, &mut written).await {
        Ok(Ok(())) => None,
        Ok(Err(Refused(reason))) => Some(reason),
        Err(e) => {
            if let Some(path) = written {
                let _ = tokio::fs::remove_file(path).await;
            }
            return Err(e);
        }
    };
    let result = async {
        if let Some(reason) = reason {
            sql("UPDATE field_changes SET outcome = 'conflict', reason = $1 WHERE id = $2")
                .arg_text(reason)
                .arg_i64(change_id)
                .execute(&mut tx)
                .await?;
        }
        let summary = match reason {
            None => format!("{} on site: {}", w.number, change.op.code()),
            Some(r) => format!("{} on site: {} refused ({r})", w.number, change.op.code()),
        };
        audit::record(
            &mut tx,
            AuditEntry::by(Some(user.id), &user.display_name, "update")
                .on("work_order", w.id)
                .summary(summary)
                .after(serde_json::json!({ "key": change.key, "change": change.op.stored(), "at": at })),
        )
        .await?;
        tx.commit().await?;
        Ok::<_, AppError>(SyncResult {
            key: change.key.clone(),
            outcome: if reason.is_some() { "conflict" } else { "applied" }.to_string(),
            reason: reason.map(str::to_string),
        })
    }
    .await;
    if result.is_err() {
        if let Some(path) = written {
            let _ = tokio::fs::remove_file(path).await;
        }
    }
    result
}

/// Why a change was not applied: a message code. Database errors travel separately.
struct Refused(&'static str);

type Applied = Result<(), Refused>;

/// Applies the change to the work order, or says why not. Errors other than a refusal
/// abort the whole change (nothing kept, the tablet sends it again later).
#[allow(clippy::too_many_arguments)]
async fn apply(
    tx: &mut Tx,
    user: &CurrentUser,
    w: &WorkOrder,
    change: &FieldChange,
    change_id: i64,
    at: i64,
    now: i64,
    file: Option<(String, &'static str, Vec<u8>)>,
    dir: &Path,
    written: &mut Option<PathBuf>,
) -> Result<Applied, AppError> {
    if w.owner_id != Some(user.id) {
        return Ok(Err(Refused("field.reassigned")));
    }
    match w.status.as_str() {
        "cancelled" => return Ok(Err(Refused("field.cancelled"))),
        "completed" => return Ok(Err(Refused("field.already_completed"))),
        "new" => return Ok(Err(Refused("field.not_dispatched"))),
        _ => {}
    }
    let site = record(tx, w.id).await?;
    let mut b = repo::update(user.id, now);
    let started = site.checked_in_at.is_some();
    if !started {
        // Any work on site means the engineer is there.
        b.push(", checked_in_at = ").bind_i64(at).push(", status = 'in_progress'");
    }
    match &change.op {
        FieldOp::CheckIn | FieldOp::Note { .. } => {}
        FieldOp::CheckOut => {
            b.push(", checked_out_at = ").bind_i64(at);
        }
        FieldOp::Labour { minutes } => {
            b.push(", labour_minutes = ").bind_i64(*minutes);
        }
        FieldOp::Part { product_id, warehouse_id, qty_milli } => {
            let product = crate::catalog::repo::get(tx, *product_id, false).await?.filter(|p| p.active && p.deleted_at.is_none());
            if product.is_none() || !crate::inventory::service::active_warehouse(tx, *warehouse_id).await? {
                return Ok(Err(Refused("field.part_unavailable")));
            }
            let allow = crate::inventory::service::allow_negative(tx).await?;
            let take = crate::inventory::service::StockChange {
                warehouse_id: *warehouse_id,
                product_id: *product_id,
                on_hand: -qty_milli,
                reserved: 0,
                kind: "out",
                reference: Some(("work_order", w.id)),
                note: &w.number,
            };
            if crate::inventory::service::change(tx, &take, allow, Some(user.id), now).await?.is_none() {
                return Ok(Err(Refused("field.no_stock")));
            }
            sql("INSERT INTO work_order_parts (work_order_id, product_id, warehouse_id, qty_milli, change_id, created_at, created_by) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7)")
            .arg_i64(w.id)
            .arg_i64(*product_id)
            .arg_i64(*warehouse_id)
            .arg_i64(*qty_milli)
            .arg_i64(change_id)
            .arg_i64(now)
            .arg_i64(user.id)
            .execute(&mut *tx)
            .await?;
        }
        FieldOp::Photo { .. } | FieldOp::Signature { .. } => {
            let (name, mime, bytes) = file.ok_or_else(|| AppError::internal("file not decoded"))?;
            let visit = visit(tx, user, w, now).await?;
            let (attachment, path) = crate::activities::attachments::store(tx, user.id, visit, &name, mime, &bytes, dir).await?;
            *written = Some(path);
            sql("UPDATE field_changes SET attachment_id = $1 WHERE id = $2")
                .arg_i64(attachment)
                .arg_i64(change_id)
                .execute(&mut *tx)
                .await?;
            if let FieldOp::Signature { signer, .. } = &change.op {
                b.push(", signed_by = ").bind_text(signer.trim()).push(", signature_id = ").bind_i64(attachment);
            }
        }
        FieldOp::Complete { resolution } => {
            b.push(", status = 'completed', completed_at = ").bind_i64(at).push(", resolution = ").bind_text(resolution.trim());
            if site.checked_out_at.is_none() {
                b.push(", checked_out_at = ").bind_i64(at);
            }
            // The planned visit becomes the visit that happened, with its outcome.
            let visit = visit(tx, user, w, now).await?;
            sql("UPDATE activities SET status = 'done', result = $1, occurred_at = $2, updated_at = $3, updated_by = $4, \
                 version = version + 1 WHERE id = $5")
            .arg_text(resolution.trim())
            .arg_i64(site.checked_in_at.unwrap_or(at))
            .arg_i64(now)
            .arg_i64(user.id)
            .arg_i64(visit)
            .execute(&mut *tx)
            .await?;
        }
    }
    if !repo::finish(tx, b, w.id, w.version).await? {
        return Err(AppError::Conflict);
    }
    Ok(Ok(()))
}

/// The work order's visit activity (planned at dispatch), made now if there is none.
async fn visit(tx: &mut Tx, user: &CurrentUser, w: &WorkOrder, now: i64) -> AppResult<i64> {
    let found: Option<(i64,)> = sql("SELECT a.id FROM activities a JOIN activity_links l ON l.activity_id = a.id \
         WHERE l.entity = 'work_order' AND l.entity_id = $1 AND a.deleted_at IS NULL ORDER BY a.id DESC LIMIT 1")
    .arg_i64(w.id)
    .fetch_optional(&mut *tx)
    .await?;
    if let Some((id,)) = found {
        return Ok(id);
    }
    let v = ValidActivity {
        kind: ActivityKind::Visit,
        status: ActivityStatus::Planned,
        subject: format!("{} {}", w.number, w.customer_name).chars().take(200).collect(),
        body: None,
        occurred_at: w.planned_start.unwrap_or(now),
        contact_id: None,
    };
    let a = crate::activities::repo::insert(tx, &v, user.id, now).await?;
    crate::fieldwork::service::link_visit(tx, a, w).await?;
    Ok(a)
}
