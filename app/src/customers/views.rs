//! Saved queries (查询方案, C10): a name, the list filters and sort, the columns;
//! private to their owner or shared with everyone who may list customers. The pipeline
//! board keeps its saved views in the same table.
use crate::customers::types::{ListQuery, SavedView, LIST_COLUMNS_CHOICE};
use crate::platform::audit::{self, AuditEntry};
use crate::platform::authz::{authorize, Action, CurrentUser, Entity};
use crate::platform::db::{sql, Db, Tx};
use crate::platform::error::{AppError, AppResult, FieldError};
use crate::platform::time::now_ms;

/// A saved view of any list (`entity` tells which), its query still JSON.
#[derive(sqlx::FromRow)]
pub(crate) struct StoredView {
    pub id: i64,
    pub user_id: i64,
    pub name: String,
    pub shared: bool,
    pub query_json: String,
    pub columns_json: String,
    pub owner_name: Option<String>,
}

/// The user's own views of `entity` and those others shared, by name.
pub(crate) async fn stored_views(tx: &mut Tx, user_id: i64, entity: &str) -> Result<Vec<StoredView>, sqlx::Error> {
    sql("SELECT v.id, v.user_id, v.name, v.shared, v.query_json, v.columns_json, u.display_name AS owner_name \
         FROM saved_views v LEFT JOIN users u ON u.id = v.user_id WHERE v.entity = $1 AND (v.user_id = $2 OR v.shared = $3) \
         ORDER BY v.name, v.id")
    .arg_text(entity)
    .arg_i64(user_id)
    .arg_bool(true)
    .fetch_all(tx)
    .await
}

/// A view's name, trimmed, or the error to show next to it.
pub(crate) fn view_name(name: &str) -> Result<String, FieldError> {
    let name = name.trim().to_string();
    match name.chars().count() {
        0 => Err(FieldError::new("name", "validation.required")),
        51.. => Err(FieldError::new("name", "validation.too_long")),
        _ => Ok(name),
    }
}

/// Stores a checked view of `entity` and audits it.
pub(crate) async fn insert_view(
    db: &Db,
    user: &CurrentUser,
    entity: &str,
    name: String,
    shared: bool,
    query: &impl serde::Serialize,
    columns: &[String],
) -> AppResult<i64> {
    let mut tx = db.write().await?;
    let now = now_ms();
    let id = sql("INSERT INTO saved_views (user_id, entity, name, shared, query_json, columns_json, created_at, updated_at) \
         VALUES ($1, $7, $2, $3, $4, $5, $6, $6) RETURNING id")
    .arg_i64(user.id)
    .arg_text(name.clone())
    .arg_bool(shared)
    .arg_text(serde_json::to_string(query).map_err(AppError::internal)?)
    .arg_text(serde_json::to_string(columns).map_err(AppError::internal)?)
    .arg_i64(now)
    .arg_text(entity)
    .fetch_i64(&mut tx)
    .await?;
    audit::record(&mut tx, AuditEntry::by(Some(user.id), &user.display_name, "create").on("saved_view", id).summary(name).after(query))
        .await?;
    tx.commit().await?;
    Ok(id)
}

/// The user's own views and those shared by others, by name.
pub async fn list_views(db: &Db, user: &CurrentUser) -> AppResult<Vec<SavedView>> {
    authorize(user, Entity::Customer, Action::View)?;
    let mut tx = db.read().await?;
    let rows = stored_views(&mut tx, user.id, "customer").await?;
    Ok(rows
        .into_iter()
        .map(|r| SavedView {
            id: r.id,
            mine: r.user_id == user.id,
            name: r.name,
            shared: r.shared,
            owner_name: r.owner_name,
            query: serde_json::from_str(&r.query_json).unwrap_or_default(),
            columns: serde_json::from_str(&r.columns_json).unwrap_or_default(),
        })
        .collect())
}

/// Saves a view; the filters must be valid list filters and the columns known ones.
pub async fn save_view(db: &Db, user: &CurrentUser, name: &str, shared: bool, query: &ListQuery, columns: &[String]) -> AppResult<i64> {
    authorize(user, Entity::Customer, Action::View)?;
    let mut errors = Vec::new();
    let name = view_name(name).map_err(|e| errors.push(e)).unwrap_or_default();
    if columns.is_empty() || columns.iter().any(|c| !LIST_COLUMNS_CHOICE.contains(&c.as_str())) {
        errors.push(FieldError::new("columns", "validation.invalid_choice"));
    }
    if let Err(AppError::Validation(mut e)) = crate::customers::service::ListParams::from_query(query, None).parse() {
        errors.append(&mut e);
    }
    if !errors.is_empty() {
        return Err(AppError::Validation(errors));
    }
    insert_view(db, user, "customer", name, shared, query, columns).await
}

/// Deletes one of the user's own views.
pub async fn delete_view(db: &Db, user: &CurrentUser, id: i64) -> AppResult<()> {
    let mut tx = db.write().await?;
    let n = sql("DELETE FROM saved_views WHERE id = $1 AND user_id = $2").arg_i64(id).arg_i64(user.id).execute(&mut tx).await?;
    if n == 0 {
        return Err(AppError::NotFound);
    }
    audit::record(&mut tx, AuditEntry::by(Some(user.id), &user.display_name, "delete").on("saved_view", id)).await?;
    tx.commit().await?;
    Ok(())
}
