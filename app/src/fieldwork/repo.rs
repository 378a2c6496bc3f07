//! Work order SQL. Every read of a work order takes a [`Grant`] and applies its scope
//! (the engineer it is dispatched to and their department).
use crate::fieldwork::types::*;
use crate::platform::authz::Grant;
use crate::platform::db::{sql, Backend, SqlBuilder, Tx};

pub(crate) fn select() -> SqlBuilder {
    sql("SELECT w.id, w.number, w.request_id, r.number AS request_number, r.subject AS request_subject, w.customer_id, \
         c.name AS customer_name, w.status, w.skill, w.address, w.instructions, w.owner_id, u.display_name AS engineer_name, \
         w.department_id, w.planned_start, w.planned_end, w.currency, w.chargeable, w.total, w.confirmed_at, w.confirmed_by, \
         w.confirmed_via, w.cancel_reason, w.version, w.created_at, w.updated_at \
         FROM work_orders w JOIN service_requests r ON r.id = w.request_id JOIN customers c ON c.id = w.customer_id \
         LEFT JOIN users u ON u.id = w.owner_id WHERE w.deleted_at IS NULL")
}

pub async fn get(tx: &mut Tx, grant: &Grant, id: i64) -> Result<Option<WorkOrder>, sqlx::Error> {
    let mut b = select();
    b.push(" AND w.id = ").bind_i64(id);
    grant.push_filter(&mut b, "w");
    b.fetch_optional(tx).await
}

/// A request's work orders the grant reaches, newest first.
pub async fn for_request(tx: &mut Tx, grant: &Grant, request_id: i64) -> Result<Vec<WorkOrder>, sqlx::Error> {
    let mut b = select();
    b.push(" AND w.request_id = ").bind_i64(request_id);
    grant.push_filter(&mut b, "w");
    b.push(" ORDER BY w.id DESC");
    b.fetch_all(tx).await
}

/// Work orders waiting to be dispatched, oldest first.
pub async fn waiting(tx: &mut Tx, grant: &Grant, limit: i64) -> Result<Vec<WorkOrder>, sqlx::Error> {
    let mut b = select();
    b.push(" AND w.status = 'new'");
    grant.push_filter(&mut b, "w");
    b.push(" ORDER BY w.id LIMIT ").bind_i64(limit);
    b.fetch_all(tx).await
}

pub async fn items(tx: &mut Tx, work_order_id: i64) -> Result<Vec<WorkItem>, sqlx::Error> {
    sql("SELECT id, product_id, description, qty_milli, unit_price, amount FROM work_order_items WHERE work_order_id = $1 ORDER BY position")
        .arg_i64(work_order_id)
        .fetch_all(tx)
        .await
}

/// Priced lines as saved: product, description, quantity, unit price, amount.
pub struct PricedItem {
    pub product_id: i64,
    pub description: String,
    pub qty_milli: i64,
    pub unit_price: i64,
    pub amount: i64,
}

pub struct NewWorkOrder<'a> {
    pub number: &'a str,
    pub customer_id: i64,
    pub currency: &'a str,
    pub total: i64,
}

pub async fn insert(tx: &mut Tx, v: &ValidWorkOrder, n: &NewWorkOrder<'_>, actor: i64, now: i64) -> Result<i64, sqlx::Error> {
    sql("INSERT INTO work_orders (number, request_id, customer_id, skill, address, instructions, currency, chargeable, total, \
         created_at, created_by, updated_at, updated_by) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $10, $11) RETURNING id")
    .arg_text(n.number)
    .arg_i64(v.request_id)
    .arg_i64(n.customer_id)
    .arg_text(v.skill.clone())
    .arg_text(v.address.clone())
    .arg_text(v.instructions.clone())
    .arg_text(n.currency)
    .arg_bool(v.chargeable)
    .arg_i64(n.total)
    .arg_i64(now)
    .arg_i64(actor)
    .fetch_i64(tx)
    .await
}

pub async fn replace_items(tx: &mut Tx, work_order_id: i64, items: &[PricedItem]) -> Result<(), sqlx::Error> {
    sql("DELETE FROM work_order_items WHERE work_order_id = $1").arg_i64(work_order_id).execute(tx).await?;
    for (i, it) in items.iter().enumerate() {
        sql("INSERT INTO work_order_items (work_order_id, position, product_id, description, qty_milli, unit_price, amount) \
             VALUES ($1, $2, $3, $4, $5, $6, $7)")
        .arg_i64(work_order_id)
        .arg_i64(i as i64)
        .arg_i64(it.product_id)
        .arg_text(it.description.clone())
        .arg_i64(it.qty_milli)
        .arg_i64(it.unit_price)
        .arg_i64(it.amount)
        .execute(tx)
        .await?;
    }
    Ok(())
}

/// Starts an update of one work order: `SET version, updated_at, updated_by` followed by
/// the caller's assignments; [`finish`] adds the version guard.
pub fn update(actor: i64, now: i64) -> SqlBuilder {
    let mut b = sql("UPDATE work_orders SET version = version + 1, updated_at = ");
    b.bind_i64(now).push(", updated_by = ").bind_i64(actor);
    b
}

/// Runs an [`update`] for `id` at `version`. `false` when someone else changed it first.
pub async fn finish(tx: &mut Tx, mut b: SqlBuilder, id: i64, version: i64) -> Result<bool, sqlx::Error> {
    b.push(" WHERE id = ").bind_i64(id).push(" AND version = ").bind_i64(version).push(" AND deleted_at IS NULL");
    Ok(b.execute(tx).await? == 1)
}

/// Who counts as an engineer: a profile, or the field engineer role (whose profile,
/// until someone fills it in, is empty).
const ENGINEER: &str = "(EXISTS (SELECT 1 FROM engineer_profiles e WHERE e.user_id = u.id) OR EXISTS \
    (SELECT 1 FROM user_roles ur JOIN roles r ON r.id = ur.role_id WHERE ur.user_id = u.id AND r.code = 'field_engineer'))";

/// Engineers (active people with a profile or the role), by name.
pub async fn engineers(tx: &mut Tx) -> Result<Vec<Engineer>, sqlx::Error> {
    sql(&format!(
        "SELECT u.id AS user_id, u.display_name AS name, COALESCE(e.skills, '') AS skills, COALESCE(e.region, '') AS region, \
         COALESCE(e.version, 0) AS version FROM users u LEFT JOIN engineer_profiles e ON e.user_id = u.id \
         WHERE u.active = $1 AND {ENGINEER} ORDER BY u.display_name, u.id"
    ))
    .arg_bool(true)
    .fetch_all(tx)
    .await
}

/// Active people who are not engineers yet.
pub async fn others(tx: &mut Tx) -> Result<Vec<(i64, String)>, sqlx::Error> {
    sql(&format!("SELECT u.id, u.display_name FROM users u WHERE u.active = $1 AND NOT {ENGINEER} ORDER BY u.display_name, u.id"))
        .arg_bool(true)
        .fetch_all(tx)
        .await
}

/// One engineer's name and department, for a dispatch. On PostgreSQL the person's row
/// is locked until the transaction ends, so two dispatchers booking the same engineer
/// at once take turns and the second sees the first one's booking (SQLite has a single
/// writer anyway).
pub async fn engineer_for_dispatch(tx: &mut Tx, user_id: i64) -> Result<Option<(String, Option<i64>)>, sqlx::Error> {
    let lock = if tx.backend() == Backend::Postgres { " FOR UPDATE OF u" } else { "" };
    sql(&format!("SELECT u.display_name, u.department_id FROM users u WHERE u.id = $1 AND u.active = $2 AND {ENGINEER}{lock}"))
        .arg_i64(user_id)
        .arg_bool(true)
        .fetch_optional(tx)
        .await
}

/// Work orders holding engineers' time that overlaps `[from, to)`: dispatched or under
/// way. `engineer` narrows it to one person.
pub async fn bookings(tx: &mut Tx, engineer: Option<i64>, from: i64, to: i64) -> Result<Vec<Booking>, sqlx::Error> {
    let mut b = sql("SELECT w.id AS work_order_id, w.number, c.name AS customer_name, w.owner_id AS engineer_id, \
                     w.planned_start AS start, w.planned_end AS \"end\", w.status \
                     FROM work_orders w JOIN customers c ON c.id = w.customer_id \
                     WHERE w.deleted_at IS NULL AND w.status IN ('dispatched', 'in_progress') AND w.owner_id IS NOT NULL");
    if let Some(e) = engineer {
        b.push(" AND w.owner_id = ").bind_i64(e);
    }
    b.push(" AND w.planned_start < ").bind_i64(to).push(" AND w.planned_end > ").bind_i64(from);
    b.push(" ORDER BY w.planned_start, w.id");
    b.fetch_all(tx).await
}

pub async fn engineer_profile_version(tx: &mut Tx, user_id: i64) -> Result<Option<i64>, sqlx::Error> {
    let row: Option<(i64,)> = sql("SELECT version FROM engineer_profiles WHERE user_id = $1").arg_i64(user_id).fetch_optional(tx).await?;
    Ok(row.map(|r| r.0))
}

pub async fn insert_engineer(tx: &mut Tx, user_id: i64, skills: &str, region: &str, actor: i64, now: i64) -> Result<(), sqlx::Error> {
    sql("INSERT INTO engineer_profiles (user_id, skills, region, updated_at, updated_by) VALUES ($1, $2, $3, $4, $5)")
        .arg_i64(user_id)
        .arg_text(skills)
        .arg_text(region)
        .arg_i64(now)
        .arg_i64(actor)
        .execute(tx)
        .await?;
    Ok(())
}

/// `false` when the profile changed since `version`.
pub async fn update_engineer(
    tx: &mut Tx,
    user_id: i64,
    version: i64,
    skills: &str,
    region: &str,
    actor: i64,
    now: i64,
) -> Result<bool, sqlx::Error> {
    let n = sql("UPDATE engineer_profiles SET skills = $1, region = $2, version = version + 1, updated_at = $3, updated_by = $4 \
                 WHERE user_id = $5 AND version = $6")
    .arg_text(skills)
    .arg_text(region)
    .arg_i64(now)
    .arg_i64(actor)
    .arg_i64(user_id)
    .arg_i64(version)
    .execute(tx)
    .await?;
    Ok(n == 1)
}

/// Active products, service items first, for a work order's lines.
pub async fn products(tx: &mut Tx) -> Result<Vec<WorkProduct>, sqlx::Error> {
    sql("SELECT id, name, kind, unit FROM products WHERE active = $1 AND deleted_at IS NULL ORDER BY kind DESC, name, id")
        .arg_bool(true)
        .fetch_all(tx)
        .await
}
