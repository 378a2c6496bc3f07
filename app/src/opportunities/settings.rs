//! Sales process settings (S2): processes, their ordered stages, win probabilities and
//! stage gates. Needs `setting × edit`; every change is audited.
//!
//! Rules: every process keeps exactly one won and one lost stage, last; open stages
//! are ordered before them; a stage holding open opportunities cannot be removed.
use crate::opportunities::repo;
use crate::opportunities::types::*;
use crate::platform::audit::{self, AuditEntry};
use crate::platform::authz::{authorize, Action, CurrentUser, Entity};
use crate::platform::db::{sql, Db, Tx};
use crate::platform::error::{AppError, AppResult, FieldError};
use crate::platform::time::now_ms;

fn check_name(name: &str) -> AppResult<String> {
    let n = name.trim();
    if n.is_empty() {
        return Err(AppError::validation("name", "validation.required"));
    }
    if n.chars().count() > 50 {
        return Err(AppError::validation("name", "validation.too_long"));
    }
    Ok(n.to_string())
}

async fn audit_change(tx: &mut Tx, user: &CurrentUser, summary: String, after: impl serde::Serialize) -> Result<(), sqlx::Error> {
    audit::record(tx, AuditEntry::by(Some(user.id), &user.display_name, "update").on("setting", 0).summary(summary).after(after)).await
}

async fn stage(tx: &mut Tx, id: i64) -> AppResult<Stage> {
    repo::processes(tx).await?.into_iter().flat_map(|p| p.stages).find(|s| s.id == id).ok_or(AppError::NotFound)
}

/// Saves a stage's name, probability and gate (`id` None adds an open stage before won/lost).
pub async fn save_stage(db: &Db, user: &CurrentUser, input: &StageInput) -> AppResult<()> {
    authorize(user, Entity::Setting, Action::Edit)?;
    let mut errors = Vec::new();
    let name = match check_name(&input.name) {
        Ok(n) => Some(n),
        Err(AppError::Validation(es)) => {
            errors.extend(es);
            None
        }
        Err(e) => return Err(e),
    };
    if !(0..=100).contains(&input.probability) {
        errors.push(FieldError::new("probability", "validation.range"));
    }
    if input.required_fields.iter().any(|f| !GATE_FIELDS.contains(&f.as_str())) {
        errors.push(FieldError::new("required_fields", "validation.invalid_choice"));
    }
    let activity = input.required_activity.clone().filter(|a| !a.is_empty());
    if activity.as_deref().is_some_and(|a| crate::activities::types::ActivityKind::from_code(a).is_none()) {
        errors.push(FieldError::new("required_activity", "validation.invalid_choice"));
    }
    if !errors.is_empty() {
        return Err(AppError::Validation(errors));
    }
    let name = name.unwrap_or_default();
    let fields = input.required_fields.join(",");
    let mut tx = db.write().await?;
    match input.id {
        Some(id) => {
            let s = stage(&mut tx, id).await?;
            // Won is 100% and lost 0% by definition.
            let probability = match s.kind() {
                StageKind::Won => 100,
                StageKind::Lost => 0,
                StageKind::Open => input.probability,
            };
            sql("UPDATE sales_stages SET name = $1, probability = $2, required_fields = $3, required_activity = $4 WHERE id = $5")
                .arg_text(name.clone())
                .arg_i64(probability)
                .arg_text(fields)
                .arg_opt_text(activity)
                .arg_i64(id)
                .execute(&mut tx)
                .await?;
        }
        None => {
            let all = repo::processes(&mut tx).await?;
            let p = all.iter().find(|p| p.id == input.process_id).ok_or(AppError::NotFound)?;
            let last_open = p.stages.iter().filter(|s| s.kind() == StageKind::Open).map(|s| s.position).max().unwrap_or(0);
            sql("UPDATE sales_stages SET position = position + 1 WHERE process_id = $1 AND position > $2")
                .arg_i64(p.id)
                .arg_i64(last_open)
                .execute(&mut tx)
                .await?;
            sql("INSERT INTO sales_stages (process_id, name, position, probability, kind, required_fields, required_activity) \
                 VALUES ($1, $2, $3, $4, 'open', $5, $6)")
            .arg_i64(p.id)
            .arg_text(name.clone())
            .arg_i64(last_open + 1)
            .arg_i64(input.probability)
            .arg_text(fields)
            .arg_opt_text(activity)
            .execute(&mut tx)
            .await?;
        }
    }
    audit_change(&mut tx, user, format!("sales stage · {name}"), input).await?;
    tx.commit().await?;
    Ok(())
}

/// Swaps an open stage with its open neighbour (`up` towards the start).
pub async fn move_stage(db: &Db, user: &CurrentUser, id: i64, up: bool) -> AppResult<()> {
    authorize(user, Entity::Setting, Action::Edit)?;
    let mut tx = db.write().await?;
    let s = stage(&mut tx, id).await?;
    let all = repo::processes(&mut tx).await?;
    let open: Vec<Stage> = all
        .into_iter()
        .find(|p| p.id == s.process_id)
        .map(|p| p.stages)
        .unwrap_or_default()
        .into_iter()
        .filter(|x| x.kind() == StageKind::Open)
        .collect();
    let i = open.iter().position(|x| x.id == id).ok_or(AppError::NotFound)?;
    let j = if up { i.checked_sub(1) } else { Some(i + 1).filter(|j| *j < open.len()) };
    let Some(j) = j else { return Ok(()) };
    for (a, b) in [(&open[i], &open[j]), (&open[j], &open[i])] {
        sql("UPDATE sales_stages SET position = $1 WHERE id = $2").arg_i64(b.position).arg_i64(a.id).execute(&mut tx).await?;
    }
    audit_change(&mut tx, user, format!("sales stage order · #{id}"), serde_json::json!({ "stage_id": id, "up": up })).await?;
    tx.commit().await?;
    Ok(())
}

/// Removes an open stage no open opportunity is in.
pub async fn remove_stage(db: &Db, user: &CurrentUser, id: i64) -> AppResult<()> {
    authorize(user, Entity::Setting, Action::Edit)?;
    let mut tx = db.write().await?;
    let s = stage(&mut tx, id).await?;
    if s.kind() != StageKind::Open {
        return Err(AppError::validation("stage", "process.keep_closing_stages"));
    }
    let used = sql("SELECT COUNT(*) FROM opportunities WHERE stage_id = $1 AND status = 'open' AND deleted_at IS NULL")
        .arg_i64(id)
        .fetch_i64(&mut tx)
        .await?;
    if used > 0 {
        return Err(AppError::validation("stage", "process.stage_in_use"));
    }
    let open = sql("SELECT COUNT(*) FROM sales_stages WHERE process_id = $1 AND kind = 'open' AND deleted_at IS NULL")
        .arg_i64(s.process_id)
        .fetch_i64(&mut tx)
        .await?;
    if open <= 1 {
        return Err(AppError::validation("stage", "process.needs_open_stage"));
    }
    sql("UPDATE sales_stages SET deleted_at = $1 WHERE id = $2").arg_i64(now_ms()).arg_i64(id).execute(&mut tx).await?;
    audit_change(&mut tx, user, format!("sales stage removed · #{id}"), serde_json::json!({ "stage_id": id })).await?;
    tx.commit().await?;
    Ok(())
}

/// Adds a process with the standard stages, to be renamed and adjusted.
pub async fn create_process(db: &Db, user: &CurrentUser, name: &str) -> AppResult<i64> {
    authorize(user, Entity::Setting, Action::Edit)?;
    let name = check_name(name)?;
    let mut tx = db.write().await?;
    let position = sql("SELECT COALESCE(MAX(position), 0) + 1 FROM sales_processes").fetch_i64(&mut tx).await?;
    let id = sql("INSERT INTO sales_processes (name, position, updated_at) VALUES ($1, $2, $3) RETURNING id")
        .arg_text(name.clone())
        .arg_i64(position)
        .arg_i64(now_ms())
        .fetch_i64(&mut tx)
        .await?;
    let standard = repo::processes(&mut tx).await?.into_iter().find(|p| p.code.as_deref() == Some("standard"));
    let stages = standard.map(|p| p.stages).unwrap_or_default();
    for s in stages {
        sql("INSERT INTO sales_stages (process_id, code, name, position, probability, kind, required_fields, required_activity) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8)")
        .arg_i64(id)
        .arg_opt_text(s.code)
        .arg_opt_text(s.name)
        .arg_i64(s.position)
        .arg_i64(s.probability)
        .arg_text(s.kind)
        .arg_text(s.required_fields)
        .arg_opt_text(s.required_activity)
        .execute(&mut tx)
        .await?;
    }
    audit_change(&mut tx, user, format!("sales process · {name}"), serde_json::json!({ "process_id": id, "name": name })).await?;
    tx.commit().await?;
    Ok(id)
}

pub async fn rename_process(db: &Db, user: &CurrentUser, id: i64, name: &str) -> AppResult<()> {
    authorize(user, Entity::Setting, Action::Edit)?;
    let name = check_name(name)?;
    let mut tx = db.write().await?;
    let n = sql("UPDATE sales_processes SET name = $1, version = version + 1, updated_at = $2 WHERE id = $3")
        .arg_text(name.clone())
        .arg_i64(now_ms())
        .arg_i64(id)
        .execute(&mut tx)
        .await?;
    if n == 0 {
        return Err(AppError::NotFound);
    }
    audit_change(&mut tx, user, format!("sales process · {name}"), serde_json::json!({ "process_id": id, "name": name })).await?;
    tx.commit().await?;
    Ok(())
}
