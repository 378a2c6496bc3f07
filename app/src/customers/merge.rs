//! Duplicates of an existing customer, "not a duplicate" and "related" decisions, and merging two
//! customers (C9) so that every contact, activity and ownership-history row ends up
//! on the kept record. A merge is audited with everything needed to undo it, and can
//! be undone from that audit record.
use crate::customers::dedup::DuplicateHit;
use crate::customers::repo;
use crate::customers::service::customer_in_scope;
use crate::customers::types::{CustomerDetail, RelatedCustomer};
use crate::platform::audit::{self, AuditEntry};
use crate::platform::authz::{authorize, Action, CurrentUser, Entity};
use crate::platform::db::{sql, Db, Tx};
use crate::platform::error::{AppError, AppResult};
use crate::platform::time::now_ms;
use serde::{Deserialize, Serialize};

/// What a merge moved and filled in: the audit record's `after`, and the undo recipe.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct MergeRecord {
    pub kept_id: i64,
    pub merged_id: i64,
    pub merged_name: String,
    pub contact_ids: Vec<i64>,
    pub activity_ids: Vec<i64>,
    pub owner_change_ids: Vec<i64>,
    /// Collaborators of the merged customer added to the kept one.
    #[serde(default)]
    pub collaborator_ids: Vec<i64>,
    /// Fields of the kept customer that were empty and took the merged one's value.
    pub filled: Vec<(String, String)>,
}

/// Customer columns a merge may fill when the kept record has nothing there.
const FILLABLE: [&str; 10] = ["short_name", "code", "industry", "region", "source", "address", "phone", "email", "website", "tax_id"];

fn value_of(c: &CustomerDetail, field: &str) -> Option<String> {
    match field {
        "short_name" => c.short_name.clone(),
        "code" => c.code.clone(),
        "industry" => c.industry.clone(),
        "region" => c.region.clone(),
        "source" => c.source.clone(),
        "address" => c.address.clone(),
        "phone" => c.phone.clone(),
        "email" => c.email.clone(),
        "website" => c.website.clone(),
        "tax_id" => c.tax_id.clone(),
        _ => None,
    }
    .filter(|v| !v.is_empty())
}

/// Possible duplicates of a saved customer, minus pairs judged "not duplicates".
pub async fn duplicates_of(db: &Db, user: &CurrentUser, id: i64) -> AppResult<Vec<DuplicateHit>> {
    let c = {
        let mut tx = db.read().await?;
        customer_in_scope(&mut tx, user, id, Action::View).await?
    };
    let input = c.to_input();
    let hits = crate::customers::service::check_duplicates(db, user, &input, Some(id)).await.or_else(|e| match e {
        // Viewers who may neither create nor edit see no duplicate panel.
        AppError::Forbidden => Ok(Vec::new()),
        e => Err(e),
    })?;
    if hits.is_empty() {
        return Ok(hits);
    }
    let mut tx = db.read().await?;
    let ignored: Vec<(i64,)> = sql("SELECT other_id FROM customer_not_duplicates WHERE customer_id = $1 \
         UNION SELECT customer_id FROM customer_not_duplicates WHERE other_id = $1")
    .arg_i64(id)
    .fetch_all(&mut tx)
    .await?;
    Ok(hits.into_iter().filter(|h| h.id.is_none_or(|other| !ignored.iter().any(|i| i.0 == other))).collect())
}

/// Records that two customers are different companies, so they stop being flagged.
pub async fn mark_not_duplicate(db: &Db, user: &CurrentUser, id: i64, other: i64) -> AppResult<()> {
    decide_pair(db, user, id, other, false).await
}

/// Records that two flagged customers are different but related companies (a branch,
/// a sister company): they stop being flagged and each lists the other as related.
pub async fn link_customers(db: &Db, user: &CurrentUser, id: i64, other: i64) -> AppResult<()> {
    decide_pair(db, user, id, other, true).await
}

async fn decide_pair(db: &Db, user: &CurrentUser, id: i64, other: i64, linked: bool) -> AppResult<()> {
    if id == other {
        return Err(AppError::validation("merge", "merge.same_customer"));
    }
    let mut tx = db.write().await?;
    let a = customer_in_scope(&mut tx, user, id, Action::Edit).await?;
    let b = customer_in_scope(&mut tx, user, other, Action::View).await?;
    let (lo, hi) = (id.min(other), id.max(other));
    let before: Option<(bool,)> = sql("SELECT linked FROM customer_not_duplicates WHERE customer_id = $1 AND other_id = $2")
        .arg_i64(lo)
        .arg_i64(hi)
        .fetch_optional(&mut tx)
        .await?;
    let (action, summary) =
        if linked { ("link", format!("{} ~ {}", a.name, b.name)) } else { ("not_duplicate", format!("{} ≠ {}", a.name, b.name)) };
    match before {
        Some((was,)) if was == linked || !linked => {}
        Some(_) => {
            sql(
                "UPDATE customer_not_duplicates SET linked = $1, decided_by = $2, decided_at = $3 WHERE customer_id = $4 AND other_id = $5",
            )
            .arg_bool(true)
            .arg_i64(user.id)
            .arg_i64(now_ms())
            .arg_i64(lo)
            .arg_i64(hi)
            .execute(&mut tx)
            .await?;
        }
        None => {
            sql("INSERT INTO customer_not_duplicates (customer_id, other_id, decided_by, decided_at, linked) VALUES ($1, $2, $3, $4, $5)")
                .arg_i64(lo)
                .arg_i64(hi)
                .arg_i64(user.id)
                .arg_i64(now_ms())
                .arg_bool(linked)
                .execute(&mut tx)
                .await?;
        }
    }
    // Marking a linked pair "not a duplicate" changes nothing; only real changes are audited.
    if before.is_none() || (linked && before != Some((true,))) {
        audit::record(&mut tx, AuditEntry::by(Some(user.id), &user.display_name, action).on("customer", id).summary(summary)).await?;
    }
    tx.commit().await?;
    Ok(())
}

/// Ends a "related" link; the pair stays judged "not duplicates".
pub async fn unlink_customers(db: &Db, user: &CurrentUser, id: i64, other: i64) -> AppResult<()> {
    let mut tx = db.write().await?;
    let a = customer_in_scope(&mut tx, user, id, Action::Edit).await?;
    let (lo, hi) = (id.min(other), id.max(other));
    let n = sql("UPDATE customer_not_duplicates SET linked = $1, decided_by = $2, decided_at = $3 \
         WHERE customer_id = $4 AND other_id = $5 AND linked = $6")
    .arg_bool(false)
    .arg_i64(user.id)
    .arg_i64(now_ms())
    .arg_i64(lo)
    .arg_i64(hi)
    .arg_bool(true)
    .execute(&mut tx)
    .await?;
    if n == 0 {
        return Err(AppError::NotFound);
    }
    let b: Option<(String,)> = sql("SELECT name FROM customers WHERE id = $1").arg_i64(other).fetch_optional(&mut tx).await?;
    audit::record(
        &mut tx,
        AuditEntry::by(Some(user.id), &user.display_name, "unlink").on("customer", id).summary(format!(
            "{} ~ {}",
            a.name,
            b.map(|b| b.0).unwrap_or_default()
        )),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

#[derive(sqlx::FromRow)]
struct RelatedRow {
    id: i64,
    name: String,
    owner_id: Option<i64>,
    owner_name: Option<String>,
    department_id: Option<i64>,
    department_path: Option<String>,
    decided_at: i64,
    shared: bool,
}

/// Customers linked to `id` as related. Those outside the viewer's scope show their
/// name and owner only, like duplicate warnings.
pub async fn related_customers(db: &Db, user: &CurrentUser, id: i64) -> AppResult<Vec<RelatedCustomer>> {
    let mut tx = db.read().await?;
    customer_in_scope(&mut tx, user, id, Action::View).await?;
    let rows: Vec<RelatedRow> = sql("SELECT c.id, c.name, c.owner_id, u.display_name AS owner_name, c.department_id, \
         d.path AS department_path, n.decided_at, s.user_id IS NOT NULL AS shared \
         FROM customer_not_duplicates n \
         JOIN customers c ON c.id = CASE WHEN n.customer_id = $1 THEN n.other_id ELSE n.customer_id END \
         LEFT JOIN users u ON u.id = c.owner_id LEFT JOIN departments d ON d.id = c.department_id \
         LEFT JOIN customer_collaborators s ON s.customer_id = c.id AND s.user_id = $3 \
         WHERE (n.customer_id = $1 OR n.other_id = $1) AND n.linked = $2 AND c.deleted_at IS NULL \
         ORDER BY c.name, c.id LIMIT 100")
    .arg_i64(id)
    .arg_bool(true)
    .arg_i64(user.id)
    .fetch_all(&mut tx)
    .await?;
    let view = authorize(user, Entity::Customer, Action::View).ok();
    Ok(rows
        .into_iter()
        .map(|r| {
            let visible = r.shared || view.as_ref().is_some_and(|g| g.reaches(r.owner_id, r.department_path.as_deref(), r.department_id));
            RelatedCustomer { id: visible.then_some(r.id), name: r.name, owner_name: r.owner_name, linked_at: r.decided_at }
        })
        .collect())
}

async fn ids(tx: &mut Tx, query: &str, id: i64) -> Result<Vec<i64>, sqlx::Error> {
    let rows: Vec<(i64,)> = sql(query).arg_i64(id).fetch_all(tx).await?;
    Ok(rows.into_iter().map(|r| r.0).collect())
}

fn id_list(ids: &[i64]) -> String {
    ids.iter().map(i64::to_string).collect::<Vec<_>>().join(", ")
}

/// Merges `merged_id` into `kept_id`. Needs edit on the kept customer and delete on
/// the merged one. Returns the audit sequence number, which undoes it.
#[tracing::instrument(skip(db, user), fields(user = user.id))]
pub async fn merge_customers(db: &Db, user: &CurrentUser, kept_id: i64, merged_id: i64) -> AppResult<i64> {
    if kept_id == merged_id {
        return Err(AppError::validation("merge", "merge.same_customer"));
    }
    let mut tx = db.write().await?;
    let kept = customer_in_scope(&mut tx, user, kept_id, Action::Edit).await?;
    let merged = customer_in_scope(&mut tx, user, merged_id, Action::Delete).await?;
    let contact_ids = ids(&mut tx, "SELECT id FROM contacts WHERE customer_id = $1 ORDER BY id", merged_id).await?;
    let activity_ids =
        ids(&mut tx, "SELECT activity_id FROM activity_links WHERE entity = 'customer' AND entity_id = $1 ORDER BY activity_id", merged_id)
            .await?;
    let owner_change_ids = ids(&mut tx, "SELECT id FROM customer_owner_changes WHERE customer_id = $1 ORDER BY id", merged_id).await?;
    let now = now_ms();
    sql("UPDATE contacts SET customer_id = $1 WHERE customer_id = $2").arg_i64(kept_id).arg_i64(merged_id).execute(&mut tx).await?;
    sql("UPDATE activity_links SET entity_id = $1 WHERE entity = 'customer' AND entity_id = $2")
        .arg_i64(kept_id)
        .arg_i64(merged_id)
        .execute(&mut tx)
        .await?;
    sql("UPDATE customer_owner_changes SET customer_id = $1 WHERE customer_id = $2")
        .arg_i64(kept_id)
        .arg_i64(merged_id)
        .execute(&mut tx)
        .await?;
    // Empty fields of the kept record take the merged record's values.
    let filled: Vec<(String, String)> =
        FILLABLE.iter().filter(|f| value_of(&kept, f).is_none()).filter_map(|f| value_of(&merged, f).map(|v| (f.to_string(), v))).collect();
    for (field, value) in &filled {
        // `field` comes from FILLABLE, never from input.
        sql(&format!("UPDATE customers SET {field} = $1 WHERE id = $2")).arg_text(value.clone()).arg_i64(kept_id).execute(&mut tx).await?;
    }
    sql("UPDATE customers SET last_touch_at = $1 WHERE id = $2 AND last_touch_at < $1")
        .arg_i64(merged.last_touch_at)
        .arg_i64(kept_id)
        .execute(&mut tx)
        .await?;
    let bumped = sql("UPDATE customers SET version = version + 1, updated_at = $1, updated_by = $2 WHERE id = $3 AND version = $4")
        .arg_i64(now)
        .arg_i64(user.id)
        .arg_i64(kept_id)
        .arg_i64(kept.version)
        .execute(&mut tx)
        .await?;
    let gone = sql("UPDATE customers SET deleted_at = $1, merged_into = $2, version = version + 1, updated_at = $1, updated_by = $3 \
         WHERE id = $4 AND version = $5 AND deleted_at IS NULL")
    .arg_i64(now)
    .arg_i64(kept_id)
    .arg_i64(user.id)
    .arg_i64(merged_id)
    .arg_i64(merged.version)
    .execute(&mut tx)
    .await?;
    if bumped != 1 || gone != 1 {
        return Err(AppError::Conflict);
    }
    refresh_keys(&mut tx, kept_id).await?;
    let collaborator_ids = crate::customers::collaborators::copy_for_merge(&mut tx, merged_id, kept_id, kept.owner_id).await?;
    let record = MergeRecord {
        kept_id,
        merged_id,
        merged_name: merged.name.clone(),
        contact_ids,
        activity_ids,
        owner_change_ids,
        collaborator_ids,
        filled,
    };
    let seq = audit::record_returning_seq(
        &mut tx,
        AuditEntry::by(Some(user.id), &user.display_name, "merge")
            .on("customer", kept_id)
            .summary(format!("{} ← {}", kept.name, merged.name))
            .before(serde_json::json!({ "kept": kept.to_input(), "merged": merged.to_input() }))
            .after(&record),
    )
    .await?;
    tx.commit().await?;
    Ok(seq)
}

/// Recomputes the kept customer's duplicate keys after fields were filled or restored.
async fn refresh_keys(tx: &mut Tx, id: i64) -> Result<(), sqlx::Error> {
    repo::refresh_keys(tx, id).await?;
    Ok(())
}

/// Undoes the merge recorded at audit `seq`: the merged customer comes back with its
/// contacts, activities and history, and filled-in fields are emptied again unless
/// someone changed them since.
#[tracing::instrument(skip(db, user), fields(user = user.id))]
pub async fn undo_merge(db: &Db, user: &CurrentUser, seq: i64) -> AppResult<i64> {
    let mut tx = db.write().await?;
    let row: Option<(String, Option<String>)> =
        sql("SELECT action, after_json FROM audit_log WHERE seq = $1").arg_i64(seq).fetch_optional(&mut tx).await?;
    let (action, after) = row.ok_or(AppError::NotFound)?;
    if action != "merge" {
        return Err(AppError::NotFound);
    }
    let r: MergeRecord = serde_json::from_str(&after.unwrap_or_default()).map_err(AppError::internal)?;
    let undone = sql("SELECT COUNT(*) FROM audit_log WHERE action = 'unmerge' AND entity = 'customer' AND entity_id = $1 AND summary = $2")
        .arg_i64(r.merged_id)
        .arg_text(format!("#{seq}"))
        .fetch_i64(&mut tx)
        .await?;
    if undone > 0 {
        return Err(AppError::Conflict);
    }
    let kept = customer_in_scope(&mut tx, user, r.kept_id, Action::Edit).await?;
    // The merged customer is deleted; whoever may delete (and so restore) it may bring it back.
    let grant = authorize(user, Entity::Customer, Action::Delete)?;
    repo::get(&mut tx, &grant, r.merged_id, true).await?.ok_or(AppError::NotFound)?;
    let now = now_ms();
    for (table, column, ids) in
        [("contacts", "customer_id", &r.contact_ids), ("customer_owner_changes", "customer_id", &r.owner_change_ids)]
    {
        if !ids.is_empty() {
            sql(&format!("UPDATE {table} SET {column} = $1 WHERE {column} = $2 AND id IN ({})", id_list(ids)))
                .arg_i64(r.merged_id)
                .arg_i64(r.kept_id)
                .execute(&mut tx)
                .await?;
        }
    }
    if !r.activity_ids.is_empty() {
        sql(&format!(
            "UPDATE activity_links SET entity_id = $1 WHERE entity = 'customer' AND entity_id = $2 AND activity_id IN ({})",
            id_list(&r.activity_ids)
        ))
        .arg_i64(r.merged_id)
        .arg_i64(r.kept_id)
        .execute(&mut tx)
        .await?;
    }
    if !r.collaborator_ids.is_empty() {
        sql(&format!("DELETE FROM customer_collaborators WHERE customer_id = $1 AND user_id IN ({})", id_list(&r.collaborator_ids)))
            .arg_i64(r.kept_id)
            .execute(&mut tx)
            .await?;
    }
    for (field, value) in &r.filled {
        if FILLABLE.contains(&field.as_str()) && value_of(&kept, field).as_deref() == Some(value.as_str()) {
            sql(&format!("UPDATE customers SET {field} = NULL WHERE id = $1")).arg_i64(r.kept_id).execute(&mut tx).await?;
        }
    }
    sql("UPDATE customers SET version = version + 1, updated_at = $1, updated_by = $2 WHERE id = $3")
        .arg_i64(now)
        .arg_i64(user.id)
        .arg_i64(r.kept_id)
        .execute(&mut tx)
        .await?;
    sql(
        "UPDATE customers SET deleted_at = NULL, merged_into = NULL, version = version + 1, updated_at = $1, updated_by = $2 WHERE id = $3",
    )
    .arg_i64(now)
    .arg_i64(user.id)
    .arg_i64(r.merged_id)
    .execute(&mut tx)
    .await?;
    refresh_keys(&mut tx, r.kept_id).await?;
    audit::record(
        &mut tx,
        AuditEntry::by(Some(user.id), &user.display_name, "unmerge").on("customer", r.merged_id).summary(format!("#{seq}")).after(&r),
    )
    .await?;
    tx.commit().await?;
    Ok(r.merged_id)
}
