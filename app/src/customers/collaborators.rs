//! Collaborators (C3, S3): people besides the owner who work on a customer or an
//! opportunity — a pre-sales engineer, a colleague in another branch, the manager's
//! assistant. On an opportunity they form its project team.
//!
//! Rules, the same for both entities (`Entity::collaborators` names the table):
//! - The owner, or whoever may reassign the record, adds and removes collaborators
//!   (anyone active, in any department: sharing across teams is the point). A
//!   collaborator may also take themselves off.
//! - `view` access adds the record to the collaborator's View scope, `edit` to
//!   their View and Edit scope (see `Grant::push_filter`); their role must still grant
//!   the action at all. Delete, reassign, release and export stay with the owner's scope.
//!   A private opportunity is visible to its collaborators.
//! - The owner is never a collaborator: reassigning to a collaborator drops their row.
//! - Every change is audited.
use crate::customers::service::customer_in_scope;
use crate::customers::types::{Collaborator, Collaborators, ShareAccess};
use crate::platform::audit::{self, AuditEntry};
use crate::platform::authz::{authorize, Action, CurrentUser, Entity};
use crate::platform::db::{sql, Db, Tx};
use crate::platform::error::{AppError, AppResult};
use crate::platform::time::now_ms;

/// Most collaborators one record may have; a longer list means it belongs to a team.
pub const MAX_COLLABORATORS: i64 = 20;

/// What sharing needs to know about the record.
struct Shared {
    table: &'static str,
    column: &'static str,
    name: String,
    owner_id: Option<i64>,
    department_path: Option<String>,
    department_id: Option<i64>,
    live: bool,
}

/// Loads a customer or opportunity the user may view.
async fn shared(tx: &mut Tx, user: &CurrentUser, entity: Entity, id: i64) -> AppResult<Shared> {
    let (table, column) = entity.collaborators().ok_or(AppError::NotFound)?;
    Ok(match entity {
        Entity::Opportunity => {
            let o = crate::opportunities::service::load(tx, user, id, Action::View).await?;
            Shared {
                table,
                column,
                name: o.name,
                owner_id: o.owner_id,
                department_path: o.department_path,
                department_id: o.department_id,
                live: o.deleted_at.is_none(),
            }
        }
        _ => {
            let c = customer_in_scope(tx, user, id, Action::View).await?;
            Shared {
                table,
                column,
                name: c.name,
                owner_id: c.owner_id,
                department_path: c.department_path,
                department_id: c.department_id,
                live: c.deleted_at.is_none(),
            }
        }
    })
}

fn may_manage(user: &CurrentUser, entity: Entity, s: &Shared) -> bool {
    (s.owner_id == Some(user.id) && authorize(user, entity, Action::Edit).is_ok())
        || authorize(user, entity, Action::Assign).is_ok_and(|g| g.reaches(s.owner_id, s.department_path.as_deref(), s.department_id))
}

/// The access `user_id` holds on customer `id` as a collaborator, if any.
pub async fn access_of(tx: &mut Tx, customer_id: i64, user_id: i64) -> Result<Option<ShareAccess>, sqlx::Error> {
    let row: Option<(String,)> = sql("SELECT access FROM customer_collaborators WHERE customer_id = $1 AND user_id = $2")
        .arg_i64(customer_id)
        .arg_i64(user_id)
        .fetch_optional(tx)
        .await?;
    Ok(row.and_then(|r| ShareAccess::from_code(&r.0)))
}

async fn shared_access(tx: &mut Tx, s: &Shared, id: i64, user_id: i64) -> Result<Option<ShareAccess>, sqlx::Error> {
    let row: Option<(String,)> = sql(&format!("SELECT access FROM {} WHERE {} = $1 AND user_id = $2", s.table, s.column))
        .arg_i64(id)
        .arg_i64(user_id)
        .fetch_optional(tx)
        .await?;
    Ok(row.and_then(|r| ShareAccess::from_code(&r.0)))
}

async fn rows(tx: &mut Tx, s: &Shared, id: i64) -> Result<Vec<Collaborator>, sqlx::Error> {
    sql(&format!(
        "SELECT s.user_id, u.display_name, d.name AS department_name, s.access, s.added_at, b.display_name AS added_by_name \
         FROM {} s JOIN users u ON u.id = s.user_id LEFT JOIN departments d ON d.id = u.department_id \
         LEFT JOIN users b ON b.id = s.added_by WHERE s.{} = $1 ORDER BY s.added_at, s.user_id",
        s.table, s.column
    ))
    .arg_i64(id)
    .fetch_all(tx)
    .await
}

pub async fn list(db: &Db, user: &CurrentUser, entity: Entity, id: i64) -> AppResult<Collaborators> {
    let mut tx = db.read().await?;
    let s = shared(&mut tx, user, entity, id).await?;
    Ok(Collaborators { rows: rows(&mut tx, &s, id).await?, can_manage: may_manage(user, entity, &s) && s.live })
}

/// Adds `who` with `access`, or changes the access of an existing collaborator.
#[tracing::instrument(skip(db, user), fields(user = user.id))]
pub async fn add(db: &Db, user: &CurrentUser, entity: Entity, id: i64, who: i64, access: ShareAccess) -> AppResult<()> {
    let mut tx = db.write().await?;
    let c = shared(&mut tx, user, entity, id).await?;
    if !may_manage(user, entity, &c) || !c.live {
        return Err(AppError::Forbidden);
    }
    if c.owner_id == Some(who) {
        return Err(AppError::validation("collaborator", "share.is_owner"));
    }
    let person: Option<(String,)> =
        sql("SELECT display_name FROM users WHERE id = $1 AND active = $2").arg_i64(who).arg_bool(true).fetch_optional(&mut tx).await?;
    let (name,) = person.ok_or_else(|| AppError::validation("collaborator", "validation.invalid_choice"))?;
    let before = shared_access(&mut tx, &c, id, who).await?;
    if before == Some(access) {
        return Ok(());
    }
    let (table, column) = (c.table, c.column);
    if before.is_none() {
        let count = sql(&format!("SELECT COUNT(*) FROM {table} WHERE {column} = $1")).arg_i64(id).fetch_i64(&mut tx).await?;
        if count >= MAX_COLLABORATORS {
            return Err(AppError::validation("collaborator", "share.too_many"));
        }
        sql(&format!("INSERT INTO {table} ({column}, user_id, access, added_by, added_at) VALUES ($1, $2, $3, $4, $5)"))
            .arg_i64(id)
            .arg_i64(who)
            .arg_text(access.code())
            .arg_i64(user.id)
            .arg_i64(now_ms())
            .execute(&mut tx)
            .await?;
    } else {
        sql(&format!("UPDATE {table} SET access = $1 WHERE {column} = $2 AND user_id = $3"))
            .arg_text(access.code())
            .arg_i64(id)
            .arg_i64(who)
            .execute(&mut tx)
            .await?;
    }
    audit::record(
        &mut tx,
        AuditEntry::by(Some(user.id), &user.display_name, "share")
            .on(entity.code(), id)
            .summary(format!("{} · {} ({})", c.name, name, access.code()))
            .before(serde_json::json!({ "user_id": who, "access": before.map(ShareAccess::code) }))
            .after(serde_json::json!({ "user_id": who, "access": access.code() })),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// Takes `who` off the record's collaborators (a manager, or `who` themselves).
#[tracing::instrument(skip(db, user), fields(user = user.id))]
pub async fn remove(db: &Db, user: &CurrentUser, entity: Entity, id: i64, who: i64) -> AppResult<()> {
    let mut tx = db.write().await?;
    let c = shared(&mut tx, user, entity, id).await?;
    if who != user.id && !may_manage(user, entity, &c) {
        return Err(AppError::Forbidden);
    }
    let Some(before) = shared_access(&mut tx, &c, id, who).await? else {
        return Err(AppError::NotFound);
    };
    sql(&format!("DELETE FROM {} WHERE {} = $1 AND user_id = $2", c.table, c.column)).arg_i64(id).arg_i64(who).execute(&mut tx).await?;
    let name: Option<(String,)> = sql("SELECT display_name FROM users WHERE id = $1").arg_i64(who).fetch_optional(&mut tx).await?;
    audit::record(
        &mut tx,
        AuditEntry::by(Some(user.id), &user.display_name, "unshare")
            .on(entity.code(), id)
            .summary(format!("{} · {}", c.name, name.map(|n| n.0).unwrap_or_default()))
            .before(serde_json::json!({ "user_id": who, "access": before.code() })),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// Copies the merged customer's collaborators onto the kept one (the merged record
/// keeps its own rows, so undo only removes what this added). Returns the added users.
pub async fn copy_for_merge(tx: &mut Tx, from: i64, to: i64, to_owner: Option<i64>) -> Result<Vec<i64>, sqlx::Error> {
    let theirs: Vec<(i64, String, Option<i64>, i64)> =
        sql("SELECT user_id, access, added_by, added_at FROM customer_collaborators WHERE customer_id = $1")
            .arg_i64(from)
            .fetch_all(&mut *tx)
            .await?;
    let mut added = Vec::new();
    for (who, access, by, at) in theirs {
        if Some(who) == to_owner || access_of(tx, to, who).await?.is_some() {
            continue;
        }
        sql("INSERT INTO customer_collaborators (customer_id, user_id, access, added_by, added_at) VALUES ($1, $2, $3, $4, $5)")
            .arg_i64(to)
            .arg_i64(who)
            .arg_text(access)
            .arg_opt_i64(by)
            .arg_i64(at)
            .execute(&mut *tx)
            .await?;
        added.push(who);
    }
    Ok(added)
}

/// Drops the new owner's collaborator row after an owner change.
pub async fn drop_owner(tx: &mut Tx, customer_id: i64, owner: i64) -> Result<(), sqlx::Error> {
    sql("DELETE FROM customer_collaborators WHERE customer_id = $1 AND user_id = $2")
        .arg_i64(customer_id)
        .arg_i64(owner)
        .execute(tx)
        .await?;
    Ok(())
}
