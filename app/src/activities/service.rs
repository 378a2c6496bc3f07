//! Activity rules. Access follows the customer: whoever may view a customer sees its
//! timeline; whoever may edit it logs and completes follow-ups. A completed follow-up
//! restarts the customer's public-pool clock.
use crate::activities::repo;
use crate::activities::types::*;
use crate::customers::service::customer_in_scope;
use crate::platform::audit::{self, AuditEntry};
use crate::platform::authz::{Action, CurrentUser};
use crate::platform::db::Db;
use crate::platform::error::{AppError, AppResult};
use crate::platform::time::now_ms;

#[tracing::instrument(skip(db, user, input), fields(user = user.id))]
pub async fn log_activity(db: &Db, user: &CurrentUser, customer_id: i64, input: &ActivityInput, offset_minutes: i32) -> AppResult<i64> {
    let now = now_ms();
    let valid = input.validate(now, offset_minutes).map_err(AppError::Validation)?;
    let mut tx = db.write().await?;
    let customer = customer_in_scope(&mut tx, user, customer_id, Action::Edit).await?;
    if let Some(k) = valid.contact_id {
        let contact = crate::contacts::repo::get(&mut tx, k, false).await?;
        if contact.is_none_or(|c| c.customer_id != customer_id) {
            return Err(AppError::validation("contact_id", "validation.invalid_choice"));
        }
    }
    if let Some(o) = input.opportunity_id {
        crate::opportunities::service::check_activity_link(&mut tx, user, o, customer_id).await?;
    }
    let id = repo::insert(&mut tx, &valid, user.id, now).await?;
    repo::link(&mut tx, id, "customer", customer_id).await?;
    if let Some(o) = input.opportunity_id {
        repo::link(&mut tx, id, "opportunity", o).await?;
    }
    if let Some(k) = valid.contact_id {
        repo::link(&mut tx, id, "contact", k).await?;
    }
    if valid.status == ActivityStatus::Done {
        repo::touch_customer(&mut tx, customer_id, now).await?;
    }
    audit::record(
        &mut tx,
        AuditEntry::by(Some(user.id), &user.display_name, "create")
            .on("activity", id)
            .summary(format!("{} · {} · {}", valid.kind.code(), valid.subject, customer.name))
            .after(&valid),
    )
    .await?;
    tx.commit().await?;
    Ok(id)
}

/// The customer's timeline, newest first, `TIMELINE_PAGE` at a time.
pub async fn timeline(
    db: &Db,
    user: &CurrentUser,
    customer_id: i64,
    kind: Option<String>,
    after: Option<String>,
) -> AppResult<ActivityPage> {
    // "document": business documents only; an activity kind: those activities only.
    let documents_only = kind.as_deref() == Some("document");
    let kind = match kind.as_deref().filter(|k| !k.is_empty() && *k != "document") {
        Some(k) => Some(ActivityKind::from_code(k).ok_or_else(|| AppError::validation("kind", "validation.invalid_choice"))?),
        None => None,
    };
    let after = match after.as_deref().filter(|a| !a.is_empty()) {
        Some(a) => Some(decode_cursor(a).ok_or_else(|| AppError::validation("after", "validation.invalid_choice"))?),
        None => None,
    };
    let mut tx = db.read().await?;
    customer_in_scope(&mut tx, user, customer_id, Action::View).await?;
    let can_log = customer_in_scope(&mut tx, user, customer_id, Action::Edit).await.is_ok();
    let mut items: Vec<Activity> = if documents_only {
        Vec::new()
    } else {
        repo::timeline_query(customer_id, kind, after, TIMELINE_PAGE + 1).fetch_all(&mut tx).await?
    };
    if kind.is_none() {
        let docs = crate::activities::documents::for_customer(&mut tx, user, customer_id, after, TIMELINE_PAGE + 1).await?;
        items.extend(docs.into_iter().map(|d| d.into_entry()));
        items.sort_by_key(|a| std::cmp::Reverse((a.occurred_at, a.id)));
    }
    let next = if items.len() as i64 > TIMELINE_PAGE {
        items.truncate(TIMELINE_PAGE as usize);
        items.last().map(|a| encode_cursor(a.occurred_at, a.id))
    } else {
        None
    };
    let ids: Vec<i64> = items.iter().map(|a| a.id).filter(|id| *id > 0).collect();
    for f in crate::activities::attachments::for_activities(&mut tx, &ids).await? {
        if let Some(a) = items.iter_mut().find(|a| a.id == f.activity_id) {
            a.attachments.push(f);
        }
    }
    Ok(ActivityPage { items, next, can_log })
}

/// The signed-in user's own planned visits and follow-ups.
pub async fn my_plan(db: &Db, user: &CurrentUser) -> AppResult<Vec<Activity>> {
    let mut tx = db.read().await?;
    Ok(repo::planned_for(&mut tx, user.id, 200).await?)
}

/// Records the result of a planned visit (or other follow-up) and marks it done.
#[tracing::instrument(skip(db, user, result), fields(user = user.id))]
pub async fn complete_activity(db: &Db, user: &CurrentUser, id: i64, version: i64, result: &str) -> AppResult<()> {
    let result = result.trim();
    if result.is_empty() {
        return Err(AppError::validation("result", "validation.required"));
    }
    if result.chars().count() > BODY_MAX {
        return Err(AppError::validation("result", "validation.too_long"));
    }
    let mut tx = db.write().await?;
    let a = repo::get(&mut tx, id, false).await?.ok_or(AppError::NotFound)?;
    let customer_id = a.customer_id.ok_or(AppError::NotFound)?;
    customer_in_scope(&mut tx, user, customer_id, Action::Edit).await?;
    if a.version != version {
        return Err(AppError::Conflict);
    }
    let now = now_ms();
    if !repo::complete(&mut tx, id, version, result, user.id, now).await? {
        return Err(AppError::Conflict);
    }
    repo::touch_customer(&mut tx, customer_id, now).await?;
    audit::record(
        &mut tx,
        AuditEntry::by(Some(user.id), &user.display_name, "complete")
            .on("activity", id)
            .summary(format!("{} · {}", a.subject, a.customer_name.clone().unwrap_or_default()))
            .after(serde_json::json!({ "result": result })),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// Soft delete (or undo) of an activity.
#[tracing::instrument(skip(db, user), fields(user = user.id))]
pub async fn set_activity_deleted(db: &Db, user: &CurrentUser, id: i64, deleted: bool) -> AppResult<()> {
    let mut tx = db.write().await?;
    let a = repo::get(&mut tx, id, true).await?.ok_or(AppError::NotFound)?;
    customer_in_scope(&mut tx, user, a.customer_id.ok_or(AppError::NotFound)?, Action::Edit).await?;
    let now = now_ms();
    repo::set_deleted(&mut tx, id, deleted.then_some(now), user.id, now).await?;
    let action = if deleted { "delete" } else { "restore" };
    audit::record(&mut tx, AuditEntry::by(Some(user.id), &user.display_name, action).on("activity", id).summary(a.subject.clone())).await?;
    tx.commit().await?;
    Ok(())
}
