//! Ownership (C3, C4): reassignment with reason and history, and the public pool
//! (公海) — release, claim with a daily limit, and automatic return after N days
//! without a follow-up.
//!
//! Rules:
//! - A customer with no owner is in the pool. Anyone holding `customer × claim` sees
//!   the pool and may claim from it, up to `pool.daily_claim_limit` claims per local day.
//! - Whoever may edit a customer may release it to the pool, with a reason.
//! - Reassigning needs `customer × assign` reaching both the customer and the new owner.
//! - Every owner change writes a `customer_owner_changes` row and an audit entry, in
//!   the same transaction, and restarts the pool clock (`last_touch_at`).
//! - A customer entering the pool loses its collaborators (C3).
//! - The return job moves customers whose `last_touch_at` is older than
//!   `pool.return_days` days back to the pool; a follow-up logged meanwhile wins.
use crate::customers::repo::{self, OwnerInfo};
use crate::customers::service::customer_in_scope;
use crate::customers::types::*;
use crate::platform::audit::{self, AuditEntry};
use crate::platform::authz::{authorize, Action, CurrentUser, Entity, Grant};
use crate::platform::db::{sql, Db, SqlBuilder, Tx};
use crate::platform::error::{AppError, AppResult};
use crate::platform::settings;
use crate::platform::time::now_ms;

pub const RETURN_DAYS_KEY: &str = "pool.return_days";
pub const CLAIM_LIMIT_KEY: &str = "pool.daily_claim_limit";
const DAY_MS: i64 = 86_400_000;

pub async fn pool_settings(tx: &mut Tx) -> Result<PoolSettings, sqlx::Error> {
    Ok(PoolSettings {
        return_days: settings::get_i64(tx, RETURN_DAYS_KEY, 30).await?,
        daily_claim_limit: settings::get_i64(tx, CLAIM_LIMIT_KEY, 5).await?,
    })
}

pub async fn get_pool_settings(db: &Db, user: &CurrentUser) -> AppResult<PoolSettings> {
    authorize(user, Entity::Setting, Action::View)?;
    let mut tx = db.read().await?;
    Ok(pool_settings(&mut tx).await?)
}

pub async fn save_pool_settings(db: &Db, user: &CurrentUser, new: PoolSettings) -> AppResult<PoolSettings> {
    authorize(user, Entity::Setting, Action::Edit)?;
    new.validate().map_err(AppError::Validation)?;
    let mut tx = db.write().await?;
    let before = pool_settings(&mut tx).await?;
    let now = now_ms();
    settings::set(&mut tx, RETURN_DAYS_KEY, &new.return_days.to_string(), Some(user.id), now).await?;
    settings::set(&mut tx, CLAIM_LIMIT_KEY, &new.daily_claim_limit.to_string(), Some(user.id), now).await?;
    audit::record(
        &mut tx,
        AuditEntry::by(Some(user.id), &user.display_name, "update").on("setting", 0).summary("pool").before(before).after(new),
    )
    .await?;
    tx.commit().await?;
    Ok(new)
}

/// One row of `customer_owner_changes`.
struct Change<'a> {
    customer_id: i64,
    kind: &'a str,
    from: Option<i64>,
    to: Option<i64>,
    reason: Option<&'a str>,
    by: Option<i64>,
    at: i64,
}

async fn record_change(tx: &mut Tx, c: Change<'_>) -> Result<u64, sqlx::Error> {
    sql("INSERT INTO customer_owner_changes (customer_id, kind, from_owner_id, to_owner_id, reason, changed_by, changed_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7)")
    .arg_i64(c.customer_id)
    .arg_text(c.kind)
    .arg_opt_i64(c.from)
    .arg_opt_i64(c.to)
    .arg_opt_text(c.reason.map(str::to_string))
    .arg_opt_i64(c.by)
    .arg_i64(c.at)
    .execute(tx)
    .await
}

/// Writes the new owner (or the pool, for `None`) if the version still matches.
async fn set_owner(
    tx: &mut Tx,
    id: i64,
    version: i64,
    owner: Option<&OwnerInfo>,
    actor: Option<i64>,
    now: i64,
) -> Result<bool, sqlx::Error> {
    let q = match owner {
        Some(_) => sql("UPDATE customers SET owner_id = $5, department_id = $6, pool_since = NULL, last_touch_at = $1, \
                        version = version + 1, updated_at = $1, updated_by = $2 WHERE id = $3 AND version = $4 AND deleted_at IS NULL"),
        None => sql("UPDATE customers SET owner_id = NULL, pool_since = $1, last_touch_at = $1, \
                     version = version + 1, updated_at = $1, updated_by = $2 WHERE id = $3 AND version = $4 AND deleted_at IS NULL"),
    };
    let q = q.arg_i64(now).arg_opt_i64(actor).arg_i64(id).arg_i64(version);
    let q = match owner {
        Some(o) => q.arg_i64(o.id).arg_opt_i64(o.department_id),
        None => q,
    };
    let done = q.execute(&mut *tx).await? == 1;
    match (done, owner) {
        (true, Some(o)) => crate::customers::collaborators::drop_owner(tx, id, o.id).await?,
        // Nobody works a pool customer: whoever claims it next starts without the old team.
        (true, None) => {
            sql("DELETE FROM customer_collaborators WHERE customer_id = $1").arg_i64(id).execute(tx).await?;
        }
        _ => {}
    }
    Ok(done)
}

fn check_reason(reason: &str, required: bool) -> AppResult<Option<String>> {
    let r = reason.trim();
    if r.is_empty() {
        return if required { Err(AppError::validation("reason", "validation.required")) } else { Ok(None) };
    }
    if r.chars().count() > REASON_MAX {
        return Err(AppError::validation("reason", "validation.too_long"));
    }
    Ok(Some(r.to_string()))
}

/// Records an owner change made through the edit form (no reason is asked there).
pub async fn note_owner_edit(tx: &mut Tx, customer_id: i64, from: Option<i64>, to: i64, actor: i64, now: i64) -> Result<(), sqlx::Error> {
    record_change(tx, Change { customer_id, kind: "reassign", from, to: Some(to), reason: None, by: Some(actor), at: now }).await?;
    crate::customers::collaborators::drop_owner(tx, customer_id, to).await?;
    sql("UPDATE customers SET last_touch_at = $1 WHERE id = $2").arg_i64(now).arg_i64(customer_id).execute(tx).await?;
    Ok(())
}

pub async fn owner_history(db: &Db, user: &CurrentUser, customer_id: i64) -> AppResult<Vec<OwnerChange>> {
    let mut tx = db.read().await?;
    customer_in_scope(&mut tx, user, customer_id, Action::View).await?;
    Ok(sql("SELECT h.id, h.kind, f.display_name AS from_name, t.display_name AS to_name, h.reason, b.display_name AS changed_by_name, h.changed_at \
         FROM customer_owner_changes h LEFT JOIN users f ON f.id = h.from_owner_id LEFT JOIN users t ON t.id = h.to_owner_id \
         LEFT JOIN users b ON b.id = h.changed_by WHERE h.customer_id = $1 ORDER BY h.changed_at DESC, h.id DESC LIMIT 100")
    .arg_i64(customer_id)
    .fetch_all(&mut tx)
    .await?)
}

/// Moves a customer the user may edit to the pool.
#[tracing::instrument(skip(db, user, reason), fields(user = user.id))]
pub async fn release_customer(db: &Db, user: &CurrentUser, id: i64, version: i64, reason: &str) -> AppResult<()> {
    let reason = check_reason(reason, true)?;
    let mut tx = db.write().await?;
    let c = customer_in_scope(&mut tx, user, id, Action::Edit).await?;
    // Collaborators with edit access may not give the owner's customer away.
    if !authorize(user, Entity::Customer, Action::Edit)?.reaches(c.owner_id, c.department_path.as_deref(), c.department_id) {
        return Err(AppError::Forbidden);
    }
    if c.owner_id.is_none() {
        return Err(AppError::Conflict);
    }
    let now = now_ms();
    if c.version != version || !set_owner(&mut tx, id, version, None, Some(user.id), now).await? {
        return Err(AppError::Conflict);
    }
    record_change(
        &mut tx,
        Change { customer_id: id, kind: "release", from: c.owner_id, to: None, reason: reason.as_deref(), by: Some(user.id), at: now },
    )
    .await?;
    audit::record(
        &mut tx,
        AuditEntry::by(Some(user.id), &user.display_name, "release")
            .on("customer", id)
            .summary(format!("{}: {}", c.name, reason.unwrap_or_default()))
            .before(serde_json::json!({ "owner_id": c.owner_id })),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// Start of the user's local day, in UTC milliseconds.
fn local_midnight(now: i64, offset_minutes: i32) -> i64 {
    let off = offset_minutes as i64 * 60_000;
    (now + off).div_euclid(DAY_MS) * DAY_MS - off
}

async fn claims_since(tx: &mut Tx, user_id: i64, since: i64) -> Result<i64, sqlx::Error> {
    sql("SELECT COUNT(*) FROM customer_owner_changes WHERE changed_by = $1 AND kind = 'claim' AND changed_at >= $2")
        .arg_i64(user_id)
        .arg_i64(since)
        .fetch_i64(tx)
        .await
}

/// Takes a customer from the pool. Refused when the daily limit is used up or when
/// someone else claimed it first (`Conflict`).
#[tracing::instrument(skip(db, user), fields(user = user.id))]
pub async fn claim_customer(db: &Db, user: &CurrentUser, id: i64, offset_minutes: i32) -> AppResult<()> {
    let claim = authorize(user, Entity::Customer, Action::Claim)?;
    let mut tx = db.write().await?;
    // Serialises one user's concurrent claims so the daily limit holds on PostgreSQL too.
    sql("UPDATE users SET version = version WHERE id = $1").arg_i64(user.id).execute(&mut tx).await?;
    let now = now_ms();
    let rules = pool_settings(&mut tx).await?;
    if rules.daily_claim_limit > 0 && claims_since(&mut tx, user.id, local_midnight(now, offset_minutes)).await? >= rules.daily_claim_limit
    {
        return Err(AppError::validation("claim", "pool.limit_reached"));
    }
    // Claim reaches every customer; one that has an owner was taken first by someone else.
    let c = repo::get(&mut tx, &claim, id, false).await?.ok_or(AppError::NotFound)?;
    if c.owner_id.is_some() {
        return Err(AppError::Conflict);
    }
    let me = repo::owner_info(&mut tx, user.id).await?.ok_or(AppError::Forbidden)?;
    if !set_owner(&mut tx, id, c.version, Some(&me), Some(user.id), now).await? {
        return Err(AppError::Conflict);
    }
    record_change(
        &mut tx,
        Change { customer_id: id, kind: "claim", from: None, to: Some(user.id), reason: None, by: Some(user.id), at: now },
    )
    .await?;
    audit::record(&mut tx, AuditEntry::by(Some(user.id), &user.display_name, "claim").on("customer", id).summary(c.name.clone())).await?;
    tx.commit().await?;
    Ok(())
}

/// The pool, newest arrivals first, with the user's claims left today.
pub async fn list_pool(db: &Db, user: &CurrentUser, q: Option<String>, after: Option<String>, offset_minutes: i32) -> AppResult<PoolPage> {
    authorize(user, Entity::Customer, Action::Claim)?;
    let after = match after.as_deref().filter(|s| !s.is_empty()) {
        Some(s) => {
            Some(crate::activities::types::decode_cursor(s).ok_or_else(|| AppError::validation("after", "validation.invalid_choice"))?)
        }
        None => None,
    };
    let mut tx = db.read().await?;
    let mut query =
        sql("SELECT c.id, c.name, c.industry, c.region, c.pool_since FROM customers c WHERE c.owner_id IS NULL AND c.deleted_at IS NULL");
    if let Some(term) = q.as_deref().map(str::trim).filter(|t| !t.is_empty()) {
        repo::push_search(&mut query, tx.backend(), &term.chars().take(100).collect::<String>());
    }
    if let Some((at, id)) = after {
        query.push(" AND (COALESCE(c.pool_since, 0), c.id) < (").bind_i64(at).push(", ").bind_i64(id).push(")");
    }
    query.push(" ORDER BY COALESCE(c.pool_since, 0) DESC, c.id DESC LIMIT ").bind_i64(PAGE_SIZE + 1);
    let mut rows: Vec<PoolRow> = query.fetch_all(&mut tx).await?;
    let next = if rows.len() as i64 > PAGE_SIZE {
        rows.truncate(PAGE_SIZE as usize);
        rows.last().map(|r| crate::activities::types::encode_cursor(r.pool_since.unwrap_or(0), r.id))
    } else {
        None
    };
    let rules = pool_settings(&mut tx).await?;
    let claims_left = if rules.daily_claim_limit > 0 {
        let used = claims_since(&mut tx, user.id, local_midnight(now_ms(), offset_minutes)).await?;
        Some((rules.daily_claim_limit - used).max(0))
    } else {
        None
    };
    Ok(PoolPage { rows, next, claims_left })
}

/// Which customers a transfer moves.
#[derive(Clone, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
pub enum Selection {
    /// These customers.
    Ids(Vec<i64>),
    /// Every customer this person owns (e.g. when they leave).
    OwnedBy(i64),
}

fn selection_query(grant: &Grant, sel: &Selection) -> SqlBuilder {
    let mut q = sql("SELECT c.id, c.name, c.owner_id, c.version FROM customers c WHERE c.deleted_at IS NULL");
    match sel {
        Selection::Ids(ids) => {
            q.push(" AND c.id IN (");
            for (i, id) in ids.iter().enumerate() {
                if i > 0 {
                    q.push(", ");
                }
                q.bind_i64(*id);
            }
            q.push(")");
        }
        Selection::OwnedBy(u) => {
            q.push(" AND c.owner_id = ").bind_i64(*u);
        }
    }
    grant.push_filter(&mut q, "c");
    q.push(" ORDER BY c.id");
    q
}

/// How many customers `sel` covers within the user's assign scope.
pub async fn transfer_count(db: &Db, user: &CurrentUser, sel: &Selection) -> AppResult<i64> {
    let grant = authorize(user, Entity::Customer, Action::Assign)?;
    let mut tx = db.read().await?;
    let rows: Vec<(i64, String, Option<i64>, i64)> = selection_query(&grant, sel).fetch_all(&mut tx).await?;
    Ok(rows.len() as i64)
}

/// Most customers one transfer moves; the rest can be moved by running it again.
pub const TRANSFER_MAX: usize = 10_000;

/// Reassigns the selected customers (within the user's assign scope) to `to`, with a
/// reason, writing one history row per customer and one audit entry for the transfer.
#[tracing::instrument(skip(db, user, reason), fields(user = user.id))]
pub async fn transfer_customers(db: &Db, user: &CurrentUser, sel: &Selection, to: i64, reason: &str) -> AppResult<i64> {
    let grant = authorize(user, Entity::Customer, Action::Assign)?;
    let reason = check_reason(reason, true)?;
    if let Selection::Ids(ids) = sel {
        if ids.is_empty() || ids.len() > TRANSFER_MAX {
            return Err(AppError::validation("ids", "validation.invalid_choice"));
        }
    }
    let mut tx = db.write().await?;
    let target = repo::owner_info(&mut tx, to).await?.ok_or_else(|| AppError::validation("to", "validation.invalid_choice"))?;
    if !grant.reaches(Some(target.id), target.department_path.as_deref(), target.department_id) {
        return Err(AppError::validation("to", "validation.owner_out_of_scope"));
    }
    let mut rows: Vec<(i64, String, Option<i64>, i64)> = selection_query(&grant, sel).fetch_all(&mut tx).await?;
    if let Selection::Ids(ids) = sel {
        // Every chosen customer must be movable; a silent partial transfer would mislead.
        let wanted: std::collections::BTreeSet<i64> = ids.iter().copied().collect();
        if rows.len() != wanted.len() {
            return Err(AppError::NotFound);
        }
    }
    rows.retain(|r| r.2 != Some(to));
    rows.truncate(TRANSFER_MAX);
    let now = now_ms();
    for (id, _, from, version) in &rows {
        if !set_owner(&mut tx, *id, *version, Some(&target), Some(user.id), now).await? {
            return Err(AppError::Conflict);
        }
        record_change(
            &mut tx,
            Change { customer_id: *id, kind: "reassign", from: *from, to: Some(to), reason: reason.as_deref(), by: Some(user.id), at: now },
        )
        .await?;
    }
    if !rows.is_empty() {
        let ids: Vec<i64> = rows.iter().map(|r| r.0).collect();
        let summary = format!("{} → #{to}: {}", rows.len(), reason.clone().unwrap_or_default());
        let mut entry = AuditEntry::by(Some(user.id), &user.display_name, "reassign")
            .summary(summary)
            .after(serde_json::json!({ "to": to, "reason": reason, "customer_ids": ids }));
        entry.entity = Some("customer".into());
        if ids.len() == 1 {
            entry.entity_id = Some(ids[0]);
        }
        audit::record(&mut tx, entry).await?;
    }
    tx.commit().await?;
    Ok(rows.len() as i64)
}

/// Returns customers without a follow-up for `pool.return_days` days to the pool.
/// Runs from the server's background job; returns how many moved.
pub async fn auto_return(db: &Db, now: i64) -> AppResult<usize> {
    let mut total = 0;
    loop {
        let mut tx = db.write().await?;
        let days = pool_settings(&mut tx).await?.return_days;
        if days <= 0 {
            return Ok(total);
        }
        let cutoff = now - days * DAY_MS;
        let rows: Vec<(i64, Option<i64>, i64)> = sql(
            "SELECT id, owner_id, version FROM customers WHERE owner_id IS NOT NULL AND deleted_at IS NULL AND last_touch_at < $1 ORDER BY last_touch_at LIMIT 500",
        )
        .arg_i64(cutoff)
        .fetch_all(&mut tx)
        .await?;
        if rows.is_empty() {
            return Ok(total);
        }
        let reason = format!("{days}");
        let mut moved = Vec::new();
        for (id, from, version) in &rows {
            if set_owner(&mut tx, *id, *version, None, None, now).await? {
                record_change(
                    &mut tx,
                    Change { customer_id: *id, kind: "auto_return", from: *from, to: None, reason: Some(&reason), by: None, at: now },
                )
                .await?;
                moved.push(*id);
            }
        }
        let mut entry = AuditEntry::by(None, "system", "auto_return")
            .summary(format!("{} customers, {days} days without follow-up", moved.len()))
            .after(serde_json::json!({ "customer_ids": moved, "return_days": days }));
        entry.entity = Some("customer".into());
        audit::record(&mut tx, entry).await?;
        tx.commit().await?;
        total += moved.len();
        if rows.len() < 500 {
            return Ok(total);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn local_midnight_follows_the_users_zone() {
        // 2026-11-30 01:00 in Beijing is 2026-11-29 17:00 UTC.
        let at = crate::platform::time::parse_date_ms("2026-11-29", 0).unwrap() + 17 * 3_600_000;
        let beijing_midnight = crate::platform::time::parse_date_ms("2026-11-30", 480).unwrap();
        assert_eq!(local_midnight(at, 480), beijing_midnight);
        assert_eq!(local_midnight(at, 0), crate::platform::time::parse_date_ms("2026-11-29", 0).unwrap());
    }

    #[test]
    fn a_release_needs_a_reason_of_reasonable_length() {
        assert!(check_reason("  ", true).is_err());
        assert_eq!(check_reason("  ", false).unwrap(), None);
        assert_eq!(check_reason(" 客户已转向竞品 ", true).unwrap().as_deref(), Some("客户已转向竞品"));
        assert!(check_reason(&"长".repeat(REASON_MAX + 1), true).is_err());
    }

    #[test]
    fn pool_settings_are_range_checked() {
        assert!(PoolSettings { return_days: 30, daily_claim_limit: 5 }.validate().is_ok());
        assert!(PoolSettings { return_days: -1, daily_claim_limit: 5 }.validate().is_err());
        assert!(PoolSettings { return_days: 30, daily_claim_limit: 5000 }.validate().is_err());
    }
}
