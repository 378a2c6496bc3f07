//! Sales territories and round-robin assignment of leads.
//!
//! A territory lists regions and members. A lead goes to the first territory (by id)
//! whose regions match its region, else to the first territory without regions; inside
//! it, to the member after the one who got the territory's previous lead. The turn is
//! advanced with a compare-and-set on the territory's version, so concurrent leads on
//! PostgreSQL never hand the same turn out twice.
use crate::leads::repo::Placement;
use crate::leads::types::*;
use crate::platform::audit::{self, AuditEntry};
use crate::platform::authz::{authorize, Action, CurrentUser, Entity};
use crate::platform::db::{sql, Db, Tx};
use crate::platform::error::{AppError, AppResult};
use crate::platform::time::now_ms;

/// Every live territory with its active members, in id order.
pub async fn load(tx: &mut Tx) -> Result<Vec<Territory>, sqlx::Error> {
    let heads: Vec<(i64, String, String, Option<i64>, i64)> =
        sql("SELECT id, name, regions, last_user_id, version FROM lead_territories WHERE deleted_at IS NULL ORDER BY id")
            .fetch_all(&mut *tx)
            .await?;
    let members: Vec<(i64, i64, String)> = sql("SELECT m.territory_id, u.id, u.display_name FROM lead_territory_members m \
         JOIN users u ON u.id = m.user_id WHERE u.active = $1 ORDER BY u.id")
    .arg_bool(true)
    .fetch_all(tx)
    .await?;
    Ok(heads
        .into_iter()
        .map(|(id, name, regions, last_user_id, version)| Territory {
            id,
            name,
            regions,
            last_user_id,
            version,
            members: members.iter().filter(|m| m.0 == id).map(|m| (m.1, m.2.clone())).collect(),
        })
        .collect())
}

/// Picks the owner of a lead from `region` and advances the territory's turn. `None`
/// when no territory with members takes it.
pub async fn place(tx: &mut Tx, region: Option<&str>) -> Result<Option<Placement>, sqlx::Error> {
    for _ in 0..5 {
        let all = load(tx).await?;
        let Some(t) = pick_territory(&all, region) else { return Ok(None) };
        let ids: Vec<i64> = t.members.iter().map(|m| m.0).collect();
        let Some(user) = next_member(&ids, t.last_user_id) else { return Ok(None) };
        let n = sql("UPDATE lead_territories SET last_user_id = $1, version = version + 1 WHERE id = $2 AND version = $3")
            .arg_i64(user)
            .arg_i64(t.id)
            .arg_i64(t.version)
            .execute(tx)
            .await?;
        if n == 1 {
            let info = crate::customers::repo::owner_info(tx, user).await?;
            return Ok(info.map(|i| Placement { owner: Some((i.id, i.department_id)), territory_id: Some(t.id) }));
        }
    }
    Ok(None)
}

pub async fn list(db: &Db, user: &CurrentUser) -> AppResult<Vec<Territory>> {
    if authorize(user, Entity::Lead, Action::View).is_err() {
        authorize(user, Entity::Setting, Action::Edit)?;
    }
    let mut tx = db.read().await?;
    Ok(load(&mut tx).await?)
}

/// Adds or changes a territory (`Setting × Edit`); guarded by its version.
pub async fn save(db: &Db, user: &CurrentUser, input: &TerritoryInput) -> AppResult<()> {
    authorize(user, Entity::Setting, Action::Edit)?;
    let name = input.name.trim().to_string();
    if name.is_empty() {
        return Err(AppError::validation("name", "validation.required"));
    }
    if name.chars().count() > 100 {
        return Err(AppError::validation("name", "validation.too_long"));
    }
    let regions = split_regions(&input.regions).join(", ");
    if regions.chars().count() > 1000 {
        return Err(AppError::validation("regions", "validation.too_long"));
    }
    let mut members = input.members.clone();
    members.sort_unstable();
    members.dedup();
    let mut tx = db.write().await?;
    for m in &members {
        if crate::customers::repo::owner_info(&mut tx, *m).await?.is_none() {
            return Err(AppError::validation("members", "validation.invalid_choice"));
        }
    }
    let now = now_ms();
    let id = match input.id {
        Some(id) => {
            let n = sql("UPDATE lead_territories SET name = $1, regions = $2, version = version + 1, updated_at = $3, updated_by = $4 \
                 WHERE id = $5 AND version = $6 AND deleted_at IS NULL")
            .arg_text(name.clone())
            .arg_text(regions.clone())
            .arg_i64(now)
            .arg_i64(user.id)
            .arg_i64(id)
            .arg_i64(input.version)
            .execute(&mut tx)
            .await?;
            if n != 1 {
                return Err(AppError::Conflict);
            }
            sql("DELETE FROM lead_territory_members WHERE territory_id = $1").arg_i64(id).execute(&mut tx).await?;
            id
        }
        None => {
            sql("INSERT INTO lead_territories (name, regions, version, updated_at, updated_by) VALUES ($1, $2, 1, $3, $4) RETURNING id")
                .arg_text(name.clone())
                .arg_text(regions.clone())
                .arg_i64(now)
                .arg_i64(user.id)
                .fetch_i64(&mut tx)
                .await?
        }
    };
    for m in &members {
        sql("INSERT INTO lead_territory_members (territory_id, user_id) VALUES ($1, $2)").arg_i64(id).arg_i64(*m).execute(&mut tx).await?;
    }
    audit::record(
        &mut tx,
        AuditEntry::by(Some(user.id), &user.display_name, if input.id.is_some() { "update" } else { "create" })
            .on("lead_territory", id)
            .summary(name)
            .after(serde_json::json!({ "regions": regions, "members": members })),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// Removes a territory; leads keep their owners.
pub async fn remove(db: &Db, user: &CurrentUser, id: i64, version: i64) -> AppResult<()> {
    authorize(user, Entity::Setting, Action::Edit)?;
    let mut tx = db.write().await?;
    let n = sql("UPDATE lead_territories SET deleted_at = $1, version = version + 1, updated_at = $1, updated_by = $2 \
         WHERE id = $3 AND version = $4 AND deleted_at IS NULL")
    .arg_i64(now_ms())
    .arg_i64(user.id)
    .arg_i64(id)
    .arg_i64(version)
    .execute(&mut tx)
    .await?;
    if n != 1 {
        return Err(AppError::Conflict);
    }
    audit::record(&mut tx, AuditEntry::by(Some(user.id), &user.display_name, "delete").on("lead_territory", id)).await?;
    tx.commit().await?;
    Ok(())
}
