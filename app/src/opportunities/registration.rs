//! Registration (报备, S4): who got to a customer first.
//!
//! When an opportunity is created, it is checked against the open opportunities of other
//! owners on the same customer or on a customer whose name matches (the same name key, or
//! the same distinctive core, as duplicate detection computes them). With a conflict the
//! opportunity is saved as `pending`: it cannot move or close until a manager who may
//! assign opportunities over its owner approves it, or rejects it with a reason, which
//! closes it as lost. The check runs across data scopes (that is its point), and tells the
//! salesperson only the other opportunity's name, customer, owner and stage.
use crate::opportunities::repo;
use crate::opportunities::service::{load, pick_process, shared_edit, with_rights};
use crate::opportunities::types::*;
use crate::platform::audit::{self, AuditEntry};
use crate::platform::authz::{authorize, Action, CurrentUser, Entity, Scope};
use crate::platform::db::{sql, Db, Tx};
use crate::platform::error::{AppError, AppResult, FieldError};
use crate::platform::time::now_ms;

/// Other owners' open opportunities on the same or a name-matching customer.
pub async fn conflicts(tx: &mut Tx, customer_id: i64, owner_id: Option<i64>, exclude: Option<i64>) -> Result<Vec<Conflict>, sqlx::Error> {
    let mut q = sql("SELECT o.id, o.name, c.name AS customer_name, u.display_name AS owner_name, o.stage_id, o.registration \
         FROM opportunities o JOIN customers c ON c.id = o.customer_id LEFT JOIN users u ON u.id = o.owner_id \
         JOIN customers me ON me.id = ");
    q.bind_i64(customer_id);
    q.push(
        " WHERE o.status = 'open' AND o.deleted_at IS NULL AND c.deleted_at IS NULL \
         AND (o.customer_id = me.id OR c.name_key = me.name_key OR (me.name_core <> '' AND c.name_core = me.name_core))",
    );
    if let Some(owner) = owner_id {
        q.push(" AND (o.owner_id IS NULL OR o.owner_id <> ").bind_i64(owner);
        q.push(")");
    }
    if let Some(id) = exclude {
        q.push(" AND o.id <> ").bind_i64(id);
    }
    q.push(" ORDER BY o.created_at, o.id LIMIT 10");
    q.fetch_all(tx).await
}

/// Marks a new opportunity pending when it conflicts; returns the conflicts.
pub async fn check_new(tx: &mut Tx, user: &CurrentUser, id: i64, name: &str, customer_id: i64, owner_id: i64) -> AppResult<Vec<Conflict>> {
    let found = conflicts(tx, customer_id, Some(owner_id), Some(id)).await?;
    if !found.is_empty() {
        sql("UPDATE opportunities SET registration = 'pending' WHERE id = $1").arg_i64(id).execute(&mut *tx).await?;
        let list: Vec<String> = found.iter().map(|c| format!("#{} {} · {}", c.id, c.name, c.customer_name)).collect();
        audit::record(
            tx,
            AuditEntry::by(Some(user.id), &user.display_name, "register")
                .on("opportunity", id)
                .summary(format!("{name} ⟷ {}", list.join("; "))),
        )
        .await?;
    }
    Ok(found)
}

/// Approves or rejects a pending registration. Rejecting needs a reason and closes the
/// opportunity as lost with it.
#[tracing::instrument(skip(db, user, note), fields(user = user.id))]
pub async fn decide(db: &Db, user: &CurrentUser, id: i64, version: i64, approve: bool, note: &str) -> AppResult<Opportunity> {
    let grant = authorize(user, Entity::Opportunity, Action::Assign)?;
    let note = Some(note.trim().to_string()).filter(|n| !n.is_empty());
    if !approve && note.is_none() {
        return Err(AppError::validation("registration_note", "validation.required"));
    }
    if note.as_ref().is_some_and(|n| n.chars().count() > REASON_MAX) {
        return Err(AppError::validation("registration_note", "validation.too_long"));
    }
    let mut tx = db.write().await?;
    let o = load(&mut tx, user, id, Action::View).await?;
    // Nobody approves their own registration, unless they see everything (an administrator).
    let own = o.owner_id == Some(user.id) && grant.scope != Scope::All;
    if own || !grant.reaches(o.owner_id, o.department_path.as_deref(), o.department_id) {
        return Err(AppError::Forbidden);
    }
    if o.version != version {
        return Err(AppError::Conflict);
    }
    if o.registration != "pending" {
        return Err(AppError::validation("registration", "registration.not_pending"));
    }
    let now = now_ms();
    let mut version = o.version;
    if !approve {
        let all = repo::processes(&mut tx).await?;
        let process = pick_process(&all, Some(o.process_id))?;
        let lost = process.stages.iter().find(|s| s.kind() == StageKind::Lost).cloned().ok_or(AppError::NotFound)?;
        version = repo::set_stage(&mut tx, &o, &lost, note.clone(), None, user.id, now).await?.ok_or(AppError::Conflict)?;
    }
    let n = sql("UPDATE opportunities SET registration = $1, registration_note = $2, registration_decided_by = $3, \
         registration_decided_at = $4, version = version + 1, updated_at = $4, updated_by = $3 WHERE id = $5 AND version = $6")
    .arg_text(if approve { "approved" } else { "rejected" })
    .arg_opt_text(note.clone())
    .arg_i64(user.id)
    .arg_i64(now)
    .arg_i64(id)
    .arg_i64(version)
    .execute(&mut tx)
    .await?;
    if n != 1 {
        return Err(AppError::Conflict);
    }
    audit::record(
        &mut tx,
        AuditEntry::by(Some(user.id), &user.display_name, if approve { "approve" } else { "reject" })
            .on("opportunity", id)
            .summary(format!("{}: {}", o.name, note.unwrap_or_default())),
    )
    .await?;
    let saved = load(&mut tx, user, id, Action::View).await?;
    let shared = shared_edit(&mut tx, id, user.id).await?;
    tx.commit().await?;
    Ok(with_rights(saved, user, shared))
}

/// Refuses moving or closing an opportunity whose registration waits for approval.
pub fn ensure_registered(o: &Opportunity) -> AppResult<()> {
    if o.registration == "pending" {
        return Err(AppError::Validation(vec![FieldError::new("stage", "registration.pending_move")]));
    }
    Ok(())
}
