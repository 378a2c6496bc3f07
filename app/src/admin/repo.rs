//! SQL for administration.
use crate::admin::types::*;
use crate::platform::db::{sql, Tx};

#[derive(sqlx::FromRow)]
pub struct UserRecord {
    pub id: i64,
    pub username: String,
    pub display_name: String,
    pub email: Option<String>,
    pub department_id: Option<i64>,
    pub department_name: Option<String>,
    pub active: bool,
    pub version: i64,
}

#[derive(sqlx::FromRow)]
struct UserRole {
    user_id: i64,
    code: String,
}

pub async fn list_users(tx: &mut Tx) -> Result<Vec<UserRow>, sqlx::Error> {
    let users: Vec<UserRecord> =
        sql("SELECT u.id, u.username, u.display_name, u.email, u.department_id, d.name AS department_name, u.active, u.version \
         FROM users u LEFT JOIN departments d ON d.id = u.department_id ORDER BY u.username")
        .fetch_all(tx)
        .await?;
    let roles: Vec<UserRole> =
        sql("SELECT ur.user_id, r.code FROM user_roles ur JOIN roles r ON r.id = ur.role_id ORDER BY r.id").fetch_all(tx).await?;
    Ok(users
        .into_iter()
        .map(|u| UserRow {
            roles: roles.iter().filter(|r| r.user_id == u.id).map(|r| r.code.clone()).collect(),
            id: u.id,
            username: u.username,
            display_name: u.display_name,
            email: u.email,
            department_id: u.department_id,
            department_name: u.department_name,
            active: u.active,
            version: u.version,
        })
        .collect())
}

pub async fn user_by_id(tx: &mut Tx, id: i64) -> Result<Option<UserRow>, sqlx::Error> {
    Ok(list_users(tx).await?.into_iter().find(|u| u.id == id))
}

pub async fn username_taken(tx: &mut Tx, username: &str, except: Option<i64>) -> Result<bool, sqlx::Error> {
    let n = sql("SELECT COUNT(*) FROM users WHERE username = $1 AND id <> $2")
        .arg_text(username)
        .arg_i64(except.unwrap_or(-1))
        .fetch_i64(tx)
        .await?;
    Ok(n > 0)
}

pub async fn department_exists(tx: &mut Tx, id: i64) -> Result<bool, sqlx::Error> {
    Ok(sql("SELECT COUNT(*) FROM departments WHERE id = $1").arg_i64(id).fetch_i64(tx).await? > 0)
}

pub async fn role_ids(tx: &mut Tx, codes: &[String]) -> Result<Vec<i64>, sqlx::Error> {
    let mut ids = Vec::new();
    for code in codes {
        if let Some((id,)) = sql("SELECT id FROM roles WHERE code = $1").arg_text(code.clone()).fetch_optional::<(i64,)>(tx).await? {
            ids.push(id);
        }
    }
    Ok(ids)
}

pub async fn insert_user(tx: &mut Tx, u: &ValidUser, password_hash: &str, now: i64) -> Result<i64, sqlx::Error> {
    sql("INSERT INTO users (username, display_name, email, password_hash, department_id, active, version, created_at, updated_at) \
         VALUES ($1, $2, $3, $4, $5, $6, 1, $7, $7) RETURNING id")
    .arg_text(u.username.clone())
    .arg_text(u.display_name.clone())
    .arg_opt_text(u.email.clone())
    .arg_text(password_hash)
    .arg_opt_i64(u.department_id)
    .arg_bool(u.active)
    .arg_i64(now)
    .fetch_i64(tx)
    .await
}

pub async fn update_user(tx: &mut Tx, id: i64, version: i64, u: &ValidUser, now: i64) -> Result<bool, sqlx::Error> {
    let n = sql("UPDATE users SET username = $1, display_name = $2, email = $3, department_id = $4, active = $5, version = version + 1, updated_at = $6 \
                 WHERE id = $7 AND version = $8")
    .arg_text(u.username.clone())
    .arg_text(u.display_name.clone())
    .arg_opt_text(u.email.clone())
    .arg_opt_i64(u.department_id)
    .arg_bool(u.active)
    .arg_i64(now)
    .arg_i64(id)
    .arg_i64(version)
    .execute(tx)
    .await?;
    Ok(n == 1)
}

pub async fn set_password_hash(tx: &mut Tx, id: i64, hash: &str) -> Result<(), sqlx::Error> {
    sql("UPDATE users SET password_hash = $1 WHERE id = $2").arg_text(hash).arg_i64(id).execute(tx).await?;
    Ok(())
}

pub async fn replace_roles(tx: &mut Tx, user_id: i64, role_ids: &[i64]) -> Result<(), sqlx::Error> {
    sql("DELETE FROM user_roles WHERE user_id = $1").arg_i64(user_id).execute(tx).await?;
    for r in role_ids {
        sql("INSERT INTO user_roles (user_id, role_id) VALUES ($1, $2)").arg_i64(user_id).arg_i64(*r).execute(tx).await?;
    }
    Ok(())
}

pub async fn end_sessions(tx: &mut Tx, user_id: i64) -> Result<(), sqlx::Error> {
    sql("DELETE FROM sessions WHERE user_id = $1").arg_i64(user_id).execute(tx).await?;
    Ok(())
}

pub async fn list_departments(tx: &mut Tx) -> Result<Vec<DepartmentRow>, sqlx::Error> {
    sql("SELECT d.id, d.parent_id, d.name, d.path, d.version, (SELECT COUNT(*) FROM users u WHERE u.department_id = d.id) AS user_count \
         FROM departments d ORDER BY d.path")
    .fetch_all(tx)
    .await
}

pub async fn department_path(tx: &mut Tx, id: i64) -> Result<Option<String>, sqlx::Error> {
    Ok(sql("SELECT path FROM departments WHERE id = $1").arg_i64(id).fetch_optional::<(String,)>(tx).await?.map(|r| r.0))
}

pub async fn insert_department(tx: &mut Tx, name: &str, parent: Option<(i64, String)>, now: i64) -> Result<i64, sqlx::Error> {
    let id =
        sql("INSERT INTO departments (parent_id, name, path, version, created_at, updated_at) VALUES ($1, $2, '', 1, $3, $3) RETURNING id")
            .arg_opt_i64(parent.as_ref().map(|p| p.0))
            .arg_text(name)
            .arg_i64(now)
            .fetch_i64(tx)
            .await?;
    let path = format!("{}{id}/", parent.map(|p| p.1).unwrap_or_else(|| "/".to_string()));
    sql("UPDATE departments SET path = $1 WHERE id = $2").arg_text(path).arg_i64(id).execute(tx).await?;
    Ok(id)
}

pub async fn rename_department(tx: &mut Tx, id: i64, version: i64, name: &str, now: i64) -> Result<bool, sqlx::Error> {
    let n = sql("UPDATE departments SET name = $1, version = version + 1, updated_at = $2 WHERE id = $3 AND version = $4")
        .arg_text(name)
        .arg_i64(now)
        .arg_i64(id)
        .arg_i64(version)
        .execute(tx)
        .await?;
    Ok(n == 1)
}

#[derive(sqlx::FromRow)]
struct RoleRecord {
    id: i64,
    code: String,
    name: String,
    builtin: bool,
    user_count: i64,
}

#[derive(sqlx::FromRow)]
struct RolePerm {
    role_id: i64,
    entity: String,
    action: String,
    scope: String,
}

pub async fn list_roles(tx: &mut Tx) -> Result<Vec<RoleView>, sqlx::Error> {
    use crate::platform::authz::{Action, Entity, Scope};
    let roles: Vec<RoleRecord> =
        sql("SELECT r.id, r.code, r.name, r.builtin, (SELECT COUNT(*) FROM user_roles ur WHERE ur.role_id = r.id) AS user_count FROM roles r ORDER BY r.id")
            .fetch_all(tx)
            .await?;
    let perms: Vec<RolePerm> = sql("SELECT role_id, entity, action, scope FROM role_permissions").fetch_all(tx).await?;
    Ok(roles
        .into_iter()
        .map(|r| RoleView {
            permissions: perms
                .iter()
                .filter(|p| p.role_id == r.id)
                .filter_map(|p| Some((Entity::from_code(&p.entity)?, Action::from_code(&p.action)?, Scope::from_code(&p.scope)?)))
                .collect(),
            id: r.id,
            code: r.code,
            name: r.name,
            builtin: r.builtin,
            user_count: r.user_count,
        })
        .collect())
}

/// Audit filters, already parsed.
#[derive(Clone, Debug, Default)]
pub struct AuditFilter {
    pub actor: Option<String>,
    pub action: Option<String>,
    pub entity: Option<String>,
    pub entity_id: Option<i64>,
    pub from_ms: Option<i64>,
    pub to_ms: Option<i64>,
    pub before_seq: Option<i64>,
    pub limit: i64,
}

pub async fn list_audit(tx: &mut Tx, f: &AuditFilter) -> Result<Vec<AuditRow>, sqlx::Error> {
    let mut q = sql(
        "SELECT seq, at, actor_id, actor_name, action, entity, entity_id, summary, before_json, after_json, ip, request_id FROM audit_log WHERE 1 = 1",
    );
    if let Some(a) = &f.actor {
        q.push(" AND actor_name = ").bind_text(a.clone());
    }
    if let Some(a) = &f.action {
        q.push(" AND action = ").bind_text(a.clone());
    }
    if let Some(e) = &f.entity {
        q.push(" AND entity = ").bind_text(e.clone());
    }
    if let Some(id) = f.entity_id {
        q.push(" AND entity_id = ").bind_i64(id);
    }
    if let Some(t) = f.from_ms {
        q.push(" AND at >= ").bind_i64(t);
    }
    if let Some(t) = f.to_ms {
        q.push(" AND at < ").bind_i64(t);
    }
    if let Some(s) = f.before_seq {
        q.push(" AND seq < ").bind_i64(s);
    }
    q.push(" ORDER BY seq DESC LIMIT ").bind_i64(f.limit);
    q.fetch_all(tx).await
}
