//! Administration rules: users, departments, roles and the audit log.
use crate::account::service::hash_password;
use crate::account::types::NewPassword;
use crate::admin::repo::{self, AuditFilter};
use crate::admin::types::*;
use crate::platform::audit::{self, AuditEntry, ChainStatus};
use crate::platform::authz::{authorize, Action, CurrentUser, Entity};
use crate::platform::db::{Db, Tx};
use crate::platform::error::{AppError, AppResult, FieldError};
use crate::platform::time::{now_ms, parse_date_ms};

/// Who did it, for audit rows written outside a signed-in request (CLI, seeding).
#[derive(Clone, Debug)]
pub struct Actor {
    pub id: Option<i64>,
    pub name: String,
}

impl From<&CurrentUser> for Actor {
    fn from(u: &CurrentUser) -> Self {
        Actor { id: Some(u.id), name: u.display_name.clone() }
    }
}

pub async fn list_users(db: &Db, user: &CurrentUser) -> AppResult<Vec<UserRow>> {
    authorize(user, Entity::User, Action::View)?;
    let mut tx = db.read().await?;
    Ok(repo::list_users(&mut tx).await?)
}

async fn check_references(tx: &mut Tx, v: &ValidUser, errors: &mut Vec<FieldError>) -> AppResult<Vec<i64>> {
    if let Some(d) = v.department_id {
        if !repo::department_exists(tx, d).await? {
            errors.push(FieldError::new("department_id", "validation.invalid_choice"));
        }
    }
    let ids = repo::role_ids(tx, &v.roles).await?;
    if ids.len() != v.roles.len() {
        errors.push(FieldError::new("roles", "validation.invalid_choice"));
    }
    Ok(ids)
}

/// Creates a user with roles. Used by the admin page (after `authorize`), the CLI and demo seeding.
pub async fn create_user_as(db: &Db, actor: &Actor, input: &UserInput) -> AppResult<i64> {
    let mut errors = Vec::new();
    let valid = input.validate().unwrap_or_else(|e| {
        errors.extend(e);
        ValidUser { username: String::new(), display_name: String::new(), email: None, department_id: None, roles: vec![], active: true }
    });
    let password = NewPassword::parse("password", &input.password).map_err(|e| errors.push(e)).ok();
    let mut tx = db.write().await?;
    let role_ids = check_references(&mut tx, &valid, &mut errors).await?;
    if !valid.username.is_empty() && repo::username_taken(&mut tx, &valid.username, None).await? {
        errors.push(FieldError::new("username", "validation.username_taken"));
    }
    if !errors.is_empty() {
        return Err(AppError::Validation(errors));
    }
    drop(tx);
    let hash = hash_password(password.expect("validated").as_str().to_string()).await?;
    let mut tx = db.write().await?;
    let id = repo::insert_user(&mut tx, &valid, &hash, now_ms()).await?;
    repo::replace_roles(&mut tx, id, &role_ids).await?;
    audit::record(&mut tx, AuditEntry::by(actor.id, &actor.name, "create").on("user", id).summary(valid.username.clone()).after(&valid))
        .await?;
    tx.commit().await?;
    Ok(id)
}

pub async fn create_user(db: &Db, user: &CurrentUser, input: &UserInput) -> AppResult<i64> {
    authorize(user, Entity::User, Action::Create)?;
    create_user_as(db, &user.into(), input).await
}

/// Saves an edit to a user; an empty password keeps the old one. Deactivating ends their sessions.
pub async fn update_user(db: &Db, user: &CurrentUser, id: i64, version: i64, input: &UserInput) -> AppResult<UserRow> {
    authorize(user, Entity::User, Action::Edit)?;
    let mut errors = Vec::new();
    let valid = input.validate().map_err(AppError::Validation)?;
    let password =
        if input.password.is_empty() { None } else { NewPassword::parse("password", &input.password).map_err(|e| errors.push(e)).ok() };
    if id == user.id && !valid.active {
        errors.push(FieldError::new("active", "validation.cannot_deactivate_self"));
    }
    if id == user.id && !valid.roles.iter().any(|r| r == "admin") && user.permissions.can(Entity::User, Action::Edit) {
        errors.push(FieldError::new("roles", "validation.cannot_drop_own_admin"));
    }
    let mut tx = db.write().await?;
    let before = repo::user_by_id(&mut tx, id).await?.ok_or(AppError::NotFound)?;
    let role_ids = check_references(&mut tx, &valid, &mut errors).await?;
    if repo::username_taken(&mut tx, &valid.username, Some(id)).await? {
        errors.push(FieldError::new("username", "validation.username_taken"));
    }
    if !errors.is_empty() {
        return Err(AppError::Validation(errors));
    }
    if before.version != version {
        return Err(AppError::Conflict);
    }
    drop(tx);
    let hash = match password {
        Some(p) => Some(hash_password(p.as_str().to_string()).await?),
        None => None,
    };
    let mut tx = db.write().await?;
    if !repo::update_user(&mut tx, id, version, &valid, now_ms()).await? {
        return Err(AppError::Conflict);
    }
    repo::replace_roles(&mut tx, id, &role_ids).await?;
    if let Some(h) = &hash {
        repo::set_password_hash(&mut tx, id, h).await?;
    }
    if !valid.active || hash.is_some() {
        repo::end_sessions(&mut tx, id).await?;
    }
    let summary = if hash.is_some() { format!("{} (password reset)", valid.username) } else { valid.username.clone() };
    audit::record(
        &mut tx,
        AuditEntry::by(Some(user.id), &user.display_name, "update").on("user", id).summary(summary).before(&before).after(&valid),
    )
    .await?;
    let after = repo::user_by_id(&mut tx, id).await?.ok_or(AppError::NotFound)?;
    tx.commit().await?;
    Ok(after)
}

pub async fn list_departments(db: &Db, user: &CurrentUser) -> AppResult<Vec<DepartmentRow>> {
    // Everyone who manages users or customers needs the tree for pickers.
    if authorize(user, Entity::Department, Action::View).is_err() {
        authorize(user, Entity::User, Action::View)?;
    }
    let mut tx = db.read().await?;
    Ok(repo::list_departments(&mut tx).await?)
}

fn department_name(name: &str) -> AppResult<String> {
    let name = name.trim();
    if name.is_empty() {
        Err(AppError::validation("name", "validation.required"))
    } else if name.chars().count() > DEPARTMENT_NAME_MAX {
        Err(AppError::validation("name", "validation.too_long"))
    } else {
        Ok(name.to_string())
    }
}

pub async fn create_department_as(db: &Db, actor: &Actor, name: &str, parent_id: Option<i64>) -> AppResult<i64> {
    let name = department_name(name)?;
    let mut tx = db.write().await?;
    let parent = match parent_id {
        Some(p) => Some((
            p,
            repo::department_path(&mut tx, p).await?.ok_or_else(|| AppError::validation("parent_id", "validation.invalid_choice"))?,
        )),
        None => None,
    };
    let id = repo::insert_department(&mut tx, &name, parent, now_ms()).await?;
    audit::record(&mut tx, AuditEntry::by(actor.id, &actor.name, "create").on("department", id).summary(name)).await?;
    tx.commit().await?;
    Ok(id)
}

pub async fn create_department(db: &Db, user: &CurrentUser, name: &str, parent_id: Option<i64>) -> AppResult<i64> {
    authorize(user, Entity::Department, Action::Create)?;
    create_department_as(db, &user.into(), name, parent_id).await
}

pub async fn rename_department(db: &Db, user: &CurrentUser, id: i64, version: i64, name: &str) -> AppResult<()> {
    authorize(user, Entity::Department, Action::Edit)?;
    let name = department_name(name)?;
    let mut tx = db.write().await?;
    if !repo::department_exists(&mut tx, id).await? {
        return Err(AppError::NotFound);
    }
    if !repo::rename_department(&mut tx, id, version, &name, now_ms()).await? {
        return Err(AppError::Conflict);
    }
    audit::record(&mut tx, AuditEntry::by(Some(user.id), &user.display_name, "update").on("department", id).summary(name)).await?;
    tx.commit().await?;
    Ok(())
}

pub async fn list_roles(db: &Db, user: &CurrentUser) -> AppResult<Vec<RoleView>> {
    if authorize(user, Entity::Role, Action::View).is_err() {
        authorize(user, Entity::User, Action::View)?;
    }
    let mut tx = db.read().await?;
    Ok(repo::list_roles(&mut tx).await?)
}

/// Raw audit filters from the URL.
#[derive(Clone, Debug, Default)]
pub struct AuditParams {
    pub actor: Option<String>,
    pub action: Option<String>,
    pub entity: Option<String>,
    pub entity_id: Option<i64>,
    pub from: Option<String>,
    pub to: Option<String>,
    pub before: Option<i64>,
}

pub const AUDIT_PAGE: i64 = 50;

pub async fn list_audit(db: &Db, user: &CurrentUser, p: &AuditParams, tz_offset_minutes: i32) -> AppResult<AuditPage> {
    authorize(user, Entity::AuditLog, Action::View)?;
    let clean = |s: &Option<String>| s.as_deref().map(str::trim).filter(|s| !s.is_empty()).map(str::to_string);
    let date = |field: &str, s: &Option<String>| -> AppResult<Option<i64>> {
        match clean(s) {
            Some(d) => parse_date_ms(&d, tz_offset_minutes).map(Some).ok_or_else(|| AppError::validation(field, "validation.date")),
            None => Ok(None),
        }
    };
    let action = clean(&p.action);
    if action.as_deref().is_some_and(|a| !AUDIT_ACTIONS.contains(&a)) {
        return Err(AppError::validation("action", "validation.invalid_choice"));
    }
    let filter = AuditFilter {
        actor: clean(&p.actor),
        action,
        entity: clean(&p.entity),
        entity_id: p.entity_id,
        from_ms: date("from", &p.from)?,
        to_ms: date("to", &p.to)?.map(|t| t + 86_400_000),
        before_seq: p.before,
        limit: AUDIT_PAGE + 1,
    };
    let mut tx = db.read().await?;
    let mut rows = repo::list_audit(&mut tx, &filter).await?;
    let next = if rows.len() as i64 > AUDIT_PAGE {
        rows.truncate(AUDIT_PAGE as usize);
        rows.last().map(|r| r.seq)
    } else {
        None
    };
    Ok(AuditPage { rows, next })
}

pub async fn verify_audit(db: &Db, user: &CurrentUser) -> AppResult<ChainStatus> {
    authorize(user, Entity::AuditLog, Action::View)?;
    let mut tx = db.read().await?;
    Ok(audit::verify_chain(&mut tx).await?)
}
