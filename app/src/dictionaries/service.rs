//! Dictionary items: read by everyone signed in, changed by those who may edit settings.
use crate::dictionaries::types::*;
use crate::platform::audit::{self, AuditEntry};
use crate::platform::authz::{authorize, Action, CurrentUser, Entity};
use crate::platform::db::{sql, Db, Tx};
use crate::platform::error::{AppError, AppResult};
use crate::platform::time::now_ms;

pub async fn load(tx: &mut Tx) -> Result<Dictionaries, sqlx::Error> {
    Ok(Dictionaries(
        sql("SELECT id, kind, name, sort_order, active FROM dictionary_items ORDER BY kind, sort_order, id").fetch_all(tx).await?,
    ))
}

pub async fn list(db: &Db, _user: &CurrentUser) -> AppResult<Dictionaries> {
    let mut tx = db.read().await?;
    Ok(load(&mut tx).await?)
}

fn clean_name(name: &str) -> AppResult<String> {
    let n = name.trim().to_string();
    if n.is_empty() {
        return Err(AppError::validation("name", "validation.required"));
    }
    if n.chars().count() > ITEM_MAX {
        return Err(AppError::validation("name", "validation.too_long"));
    }
    Ok(n)
}

async fn name_taken(tx: &mut Tx, kind: &str, name: &str, except: i64) -> Result<bool, sqlx::Error> {
    Ok(sql("SELECT COUNT(*) FROM dictionary_items WHERE kind = $1 AND LOWER(name) = LOWER($2) AND id <> $3")
        .arg_text(kind)
        .arg_text(name)
        .arg_i64(except)
        .fetch_i64(tx)
        .await?
        > 0)
}

pub async fn add(db: &Db, user: &CurrentUser, kind: DictKind, name: &str) -> AppResult<i64> {
    authorize(user, Entity::Setting, Action::Edit)?;
    let name = clean_name(name)?;
    let mut tx = db.write().await?;
    if name_taken(&mut tx, kind.code(), &name, -1).await? {
        return Err(AppError::validation("name", "validation.name_taken"));
    }
    let next = sql("SELECT COALESCE(MAX(sort_order), 0) + 1 FROM dictionary_items WHERE kind = $1")
        .arg_text(kind.code())
        .fetch_i64(&mut tx)
        .await?;
    let now = now_ms();
    let id = sql("INSERT INTO dictionary_items (kind, name, sort_order, active, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $5) RETURNING id")
        .arg_text(kind.code())
        .arg_text(name.clone())
        .arg_i64(next)
        .arg_bool(true)
        .arg_i64(now)
        .fetch_i64(&mut tx)
        .await?;
    audit::record(
        &mut tx,
        AuditEntry::by(Some(user.id), &user.display_name, "create").on("setting", id).summary(format!("{}: {name}", kind.code())),
    )
    .await?;
    tx.commit().await?;
    Ok(id)
}

async fn get(tx: &mut Tx, id: i64) -> AppResult<DictItem> {
    sql("SELECT id, kind, name, sort_order, active FROM dictionary_items WHERE id = $1")
        .arg_i64(id)
        .fetch_optional(tx)
        .await?
        .ok_or(AppError::NotFound)
}

/// Renames an item; customers holding the old name follow it, so nothing is orphaned.
pub async fn rename(db: &Db, user: &CurrentUser, id: i64, name: &str) -> AppResult<()> {
    authorize(user, Entity::Setting, Action::Edit)?;
    let name = clean_name(name)?;
    let mut tx = db.write().await?;
    let item = get(&mut tx, id).await?;
    if name_taken(&mut tx, &item.kind, &name, id).await? {
        return Err(AppError::validation("name", "validation.name_taken"));
    }
    sql("UPDATE dictionary_items SET name = $1, updated_at = $2 WHERE id = $3")
        .arg_text(name.clone())
        .arg_i64(now_ms())
        .arg_i64(id)
        .execute(&mut tx)
        .await?;
    if let Some((table, column)) = holder_column(&item.kind) {
        // `table` and `column` are one of a fixed set, never input.
        sql(&format!("UPDATE {table} SET {column} = $1 WHERE {column} = $2"))
            .arg_text(name.clone())
            .arg_text(item.name.clone())
            .execute(&mut tx)
            .await?;
    }
    audit::record(
        &mut tx,
        AuditEntry::by(Some(user.id), &user.display_name, "update")
            .on("setting", id)
            .summary(format!("{}: {} → {name}", item.kind, item.name)),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// The records holding an item's name, which follow a rename.
fn holder_column(kind: &str) -> Option<(&'static str, &'static str)> {
    match DictKind::from_code(kind)? {
        DictKind::Level => Some(("customers", "level")),
        DictKind::Category => Some(("customers", "category")),
        DictKind::Group => Some(("customers", "customer_group")),
        DictKind::Industry => Some(("customers", "industry")),
        DictKind::Source => Some(("customers", "source")),
        DictKind::Region => Some(("customers", "region")),
        DictKind::ProductCategory => Some(("products", "category")),
        DictKind::ProductUnit => Some(("products", "unit")),
    }
}

/// Hides an item from new choices (customers keep their value) or brings it back.
pub async fn set_active(db: &Db, user: &CurrentUser, id: i64, active: bool) -> AppResult<()> {
    authorize(user, Entity::Setting, Action::Edit)?;
    let mut tx = db.write().await?;
    let item = get(&mut tx, id).await?;
    sql("UPDATE dictionary_items SET active = $1, updated_at = $2 WHERE id = $3")
        .arg_bool(active)
        .arg_i64(now_ms())
        .arg_i64(id)
        .execute(&mut tx)
        .await?;
    let action = if active { "restore" } else { "delete" };
    audit::record(
        &mut tx,
        AuditEntry::by(Some(user.id), &user.display_name, action).on("setting", id).summary(format!("{}: {}", item.kind, item.name)),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// Swaps an item with its neighbour above (`up`) or below.
pub async fn move_item(db: &Db, user: &CurrentUser, id: i64, up: bool) -> AppResult<()> {
    authorize(user, Entity::Setting, Action::Edit)?;
    let mut tx = db.write().await?;
    let item = get(&mut tx, id).await?;
    let list: Vec<DictItem> =
        sql("SELECT id, kind, name, sort_order, active FROM dictionary_items WHERE kind = $1 ORDER BY sort_order, id")
            .arg_text(item.kind.clone())
            .fetch_all(&mut tx)
            .await?;
    let pos = list.iter().position(|i| i.id == id).ok_or(AppError::NotFound)?;
    let other = if up { pos.checked_sub(1) } else { Some(pos + 1).filter(|p| *p < list.len()) };
    if let Some(o) = other {
        let mut order: Vec<i64> = list.iter().map(|i| i.id).collect();
        order.swap(pos, o);
        for (n, id) in order.iter().enumerate() {
            sql("UPDATE dictionary_items SET sort_order = $1 WHERE id = $2").arg_i64(n as i64 + 1).arg_i64(*id).execute(&mut tx).await?;
        }
        let direction = if up { "up" } else { "down" };
        audit::record(
            &mut tx,
            AuditEntry::by(Some(user.id), &user.display_name, "update")
                .on("setting", id)
                .summary(format!("{}: {} {direction}", item.kind, item.name)),
        )
        .await?;
    }
    tx.commit().await?;
    Ok(())
}
