//! Contact rules: access follows the customer (view the customer → view its contacts,
//! edit the customer → edit its contacts), one primary contact, an acyclic reports-to
//! tree within one customer, optimistic locking, soft delete, audit.
use crate::contacts::repo;
use crate::contacts::types::*;
use crate::customers::service::customer_in_scope;
use crate::platform::audit::{self, AuditEntry};
use crate::platform::authz::{authorize, Action, CurrentUser, Entity};
use crate::platform::db::{Db, Tx};
use crate::platform::error::{AppError, AppResult};
use crate::platform::time::now_ms;

pub async fn list_contacts(db: &Db, user: &CurrentUser, customer_id: i64) -> AppResult<CustomerContacts> {
    let mut tx = db.read().await?;
    customer_in_scope(&mut tx, user, customer_id, Action::View).await?;
    let can_edit = customer_in_scope(&mut tx, user, customer_id, Action::Edit).await.is_ok();
    let contacts = repo::list_for_customer(&mut tx, customer_id).await?;
    Ok(CustomerContacts { contacts, can_edit })
}

/// The manager must be another live contact of the same customer, and not someone
/// who (directly or not) reports to this contact.
async fn check_reports_to(tx: &mut Tx, customer_id: i64, contact_id: Option<i64>, v: &ValidContact) -> AppResult<()> {
    let Some(m) = v.reports_to_id else { return Ok(()) };
    let bad = || AppError::validation("reports_to_id", "validation.reports_to");
    let manager = repo::get(tx, m, false).await?.ok_or_else(bad)?;
    if manager.customer_id != customer_id || Some(m) == contact_id {
        return Err(bad());
    }
    if let Some(me) = contact_id {
        if repo::manager_chain(tx, m).await?.contains(&me) {
            return Err(AppError::validation("reports_to_id", "validation.reports_to_cycle"));
        }
    }
    Ok(())
}

#[tracing::instrument(skip(db, user, input), fields(user = user.id))]
pub async fn create_contact(db: &Db, user: &CurrentUser, customer_id: i64, input: &ContactInput) -> AppResult<i64> {
    input.validate().map_err(AppError::Validation)?;
    let mut tx = db.write().await?;
    let id = create_contact_in(&mut tx, user, customer_id, input).await?;
    tx.commit().await?;
    Ok(id)
}

/// [`create_contact`] inside the caller's transaction (lead conversion).
pub(crate) async fn create_contact_in(tx: &mut Tx, user: &CurrentUser, customer_id: i64, input: &ContactInput) -> AppResult<i64> {
    let valid = input.validate().map_err(AppError::Validation)?;
    let customer = customer_in_scope(tx, user, customer_id, Action::Edit).await?;
    check_reports_to(tx, customer_id, None, &valid).await?;
    let id = repo::insert(tx, customer_id, &valid, user.id, now_ms()).await?;
    if valid.is_primary {
        repo::clear_primary(tx, customer_id, id).await?;
    }
    audit::record(
        tx,
        AuditEntry::by(Some(user.id), &user.display_name, "create")
            .on("contact", id)
            .summary(format!("{} · {}", valid.name, customer.name))
            .after(&valid),
    )
    .await?;
    Ok(id)
}

#[tracing::instrument(skip(db, user, input), fields(user = user.id))]
pub async fn update_contact(db: &Db, user: &CurrentUser, id: i64, version: i64, input: &ContactInput) -> AppResult<Contact> {
    let valid = input.validate().map_err(AppError::Validation)?;
    let mut tx = db.write().await?;
    let before = repo::get(&mut tx, id, false).await?.ok_or(AppError::NotFound)?;
    let customer = customer_in_scope(&mut tx, user, before.customer_id, Action::Edit).await?;
    if before.version != version {
        return Err(AppError::Conflict);
    }
    check_reports_to(&mut tx, before.customer_id, Some(id), &valid).await?;
    if !repo::update(&mut tx, id, version, &valid, user.id, now_ms()).await? {
        return Err(AppError::Conflict);
    }
    if valid.is_primary {
        repo::clear_primary(&mut tx, before.customer_id, id).await?;
    }
    audit::record(
        &mut tx,
        AuditEntry::by(Some(user.id), &user.display_name, "update")
            .on("contact", id)
            .summary(format!("{} · {}", valid.name, customer.name))
            .before(before.to_input())
            .after(&valid),
    )
    .await?;
    let saved = repo::get(&mut tx, id, false).await?.ok_or(AppError::NotFound)?;
    tx.commit().await?;
    Ok(saved)
}

/// Soft delete (`deleted = true`) or undo (`false`).
#[tracing::instrument(skip(db, user), fields(user = user.id))]
pub async fn set_contact_deleted(db: &Db, user: &CurrentUser, id: i64, deleted: bool) -> AppResult<()> {
    let mut tx = db.write().await?;
    let c = repo::get(&mut tx, id, true).await?.ok_or(AppError::NotFound)?;
    let customer = customer_in_scope(&mut tx, user, c.customer_id, Action::Edit).await?;
    if repo::deleted_at(&mut tx, id).await?.is_some() == deleted {
        return Ok(());
    }
    let now = now_ms();
    if !repo::set_deleted(&mut tx, id, c.version, deleted.then_some(now), user.id, now).await? {
        return Err(AppError::Conflict);
    }
    let action = if deleted { "delete" } else { "restore" };
    audit::record(
        &mut tx,
        AuditEntry::by(Some(user.id), &user.display_name, action).on("contact", id).summary(format!("{} · {}", c.name, customer.name)),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// Contacts in the user's customer scope with a birthday within `days` days of `today`
/// (the user's local date), soonest first.
pub async fn upcoming_birthdays(db: &Db, user: &CurrentUser, today: (i64, i64, i64), days: i64) -> AppResult<Vec<BirthdayRow>> {
    let grant = authorize(user, Entity::Customer, Action::View)?;
    let days = days.clamp(0, 366);
    let (y, m, d) = today;
    let start_ms = crate::platform::time::parse_date_ms(&format!("{y:04}-{m:02}-{d:02}"), 0).ok_or(AppError::NotFound)?;
    let end = crate::platform::time::date_parts(start_ms + days * 86_400_000);
    let (from, to) = (m * 100 + d, end.1 * 100 + end.2);
    let mut tx = db.read().await?;
    let mut rows = if days >= 365 {
        repo::birthdays(&mut tx, &grant, 101, 1231, 1000).await?
    } else {
        repo::birthdays(&mut tx, &grant, from, to, 1000).await?
    };
    for r in &mut rows {
        r.days_until = days_until_birthday(today, r.birthday_md);
    }
    rows.sort_by(|a, b| a.days_until.cmp(&b.days_until).then_with(|| a.name.cmp(&b.name)));
    Ok(rows)
}
