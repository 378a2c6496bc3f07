//! SQL for activities. Scope follows the linked customer, which the service checks.
use crate::activities::types::*;
use crate::platform::db::{sql, SqlBuilder, Tx};

/// The activity columns with owner, contact and customer names, joined once per row
/// (an activity links at most one contact and one customer).
const SELECT: &str =
    "SELECT a.id, a.kind, a.status, a.subject, a.body, a.occurred_at, a.result, a.owner_id, u.display_name AS owner_name, \
     k.id AS contact_id, k.name AS contact_name, c.id AS customer_id, c.name AS customer_name, a.version \
     FROM activities a LEFT JOIN users u ON u.id = a.owner_id \
     LEFT JOIN activity_links lk ON lk.activity_id = a.id AND lk.entity = 'contact' LEFT JOIN contacts k ON k.id = lk.entity_id \
     LEFT JOIN activity_links lc ON lc.activity_id = a.id AND lc.entity = 'customer' LEFT JOIN customers c ON c.id = lc.entity_id";

pub async fn insert(tx: &mut Tx, v: &ValidActivity, actor: i64, now: i64) -> Result<i64, sqlx::Error> {
    sql("INSERT INTO activities (kind, status, subject, body, occurred_at, owner_id, version, created_at, created_by, updated_at, updated_by) \
         VALUES ($1, $2, $3, $4, $5, $6, 1, $7, $6, $7, $6) RETURNING id")
    .arg_text(v.kind.code())
    .arg_text(v.status.code())
    .arg_text(v.subject.clone())
    .arg_opt_text(v.body.clone())
    .arg_i64(v.occurred_at)
    .arg_i64(actor)
    .arg_i64(now)
    .fetch_i64(tx)
    .await
}

pub async fn link(tx: &mut Tx, activity_id: i64, entity: &str, entity_id: i64) -> Result<u64, sqlx::Error> {
    sql("INSERT INTO activity_links (activity_id, entity, entity_id) VALUES ($1, $2, $3)")
        .arg_i64(activity_id)
        .arg_text(entity)
        .arg_i64(entity_id)
        .execute(tx)
        .await
}

pub async fn get(tx: &mut Tx, id: i64, include_deleted: bool) -> Result<Option<Activity>, sqlx::Error> {
    let mut q = sql(SELECT);
    q.push(" WHERE a.id = ").bind_i64(id);
    if !include_deleted {
        q.push(" AND a.deleted_at IS NULL");
    }
    q.fetch_optional(tx).await
}

/// Newest first, keyset-paged on (occurred_at, id), optionally one kind.
pub fn timeline_query(customer_id: i64, kind: Option<ActivityKind>, after: Option<(i64, i64)>, limit: i64) -> SqlBuilder {
    let mut q = sql(SELECT);
    q.push(" WHERE a.id IN (SELECT activity_id FROM activity_links WHERE entity = 'customer' AND entity_id = ");
    q.bind_i64(customer_id).push(") AND a.deleted_at IS NULL");
    if let Some(k) = kind {
        q.push(" AND a.kind = ").bind_text(k.code());
    }
    if let Some((at, id)) = after {
        q.push(" AND (a.occurred_at, a.id) < (").bind_i64(at).push(", ").bind_i64(id).push(")");
    }
    q.push(" ORDER BY a.occurred_at DESC, a.id DESC LIMIT ").bind_i64(limit);
    q
}

/// The user's planned activities, soonest first (the visit plan).
pub async fn planned_for(tx: &mut Tx, owner_id: i64, limit: i64) -> Result<Vec<Activity>, sqlx::Error> {
    let mut q = sql(SELECT);
    q.push(" WHERE a.owner_id = ").bind_i64(owner_id);
    q.push(" AND a.status = 'planned' AND a.deleted_at IS NULL ORDER BY a.occurred_at, a.id LIMIT ").bind_i64(limit);
    q.fetch_all(tx).await
}

pub async fn complete(tx: &mut Tx, id: i64, version: i64, result: &str, actor: i64, now: i64) -> Result<bool, sqlx::Error> {
    let n = sql("UPDATE activities SET status = 'done', result = $1, version = version + 1, updated_at = $2, updated_by = $3 \
         WHERE id = $4 AND version = $5 AND status = 'planned' AND deleted_at IS NULL")
    .arg_text(result)
    .arg_i64(now)
    .arg_i64(actor)
    .arg_i64(id)
    .arg_i64(version)
    .execute(tx)
    .await?;
    Ok(n == 1)
}

pub async fn set_deleted(tx: &mut Tx, id: i64, deleted_at: Option<i64>, actor: i64, now: i64) -> Result<u64, sqlx::Error> {
    sql("UPDATE activities SET deleted_at = $1, version = version + 1, updated_at = $2, updated_by = $3 WHERE id = $4")
        .arg_opt_i64(deleted_at)
        .arg_i64(now)
        .arg_i64(actor)
        .arg_i64(id)
        .execute(tx)
        .await
}

/// A follow-up happened: the customer's pool clock restarts.
pub async fn touch_customer(tx: &mut Tx, customer_id: i64, at: i64) -> Result<u64, sqlx::Error> {
    sql("UPDATE customers SET last_touch_at = $1 WHERE id = $2 AND last_touch_at < $1").arg_i64(at).arg_i64(customer_id).execute(tx).await
}
