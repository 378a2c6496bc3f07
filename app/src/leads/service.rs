//! Lead rules (S1).
//!
//! - Access: `lead × action` with its data scope. Leads without an owner form the lead
//!   pool, which everyone who may claim or assign leads sees.
//! - The score is recomputed from the fields on every save ([`score_parts`]), so the
//!   stored total always equals the explanation the page shows.
//! - Status moves new → working → qualified, or to disqualified with a reason (and back
//!   to new); `converted` is reached only by [`convert`], which creates or picks the
//!   customer (after the customers' duplicate check), adds the contact and optionally
//!   an opportunity, all in one transaction.
//! - Every change is version-guarded and audited.
use crate::contacts::types::ContactInput;
use crate::customers::dedup::DuplicateHit;
use crate::customers::types::CustomerInput;
use crate::leads::repo::{self, Placement, Reach};
use crate::leads::territories;
use crate::leads::types::*;
use crate::opportunities::types::OpportunityInput;
use crate::platform::audit::{self, AuditEntry};
use crate::platform::authz::{authorize, Action, CurrentUser, Entity, Grant};
use crate::platform::db::{Db, Tx};
use crate::platform::error::{AppError, AppResult, FieldError};
use crate::platform::time::now_ms;

pub const LIST_PAGE: i64 = 50;

fn score_of(v: &ValidLead, channel: &str) -> i64 {
    score_total(&score_parts(v.facts(channel)))
}

/// The pool is open to those who may claim or assign leads.
fn sees_pool(user: &CurrentUser) -> bool {
    authorize(user, Entity::Lead, Action::Claim).is_ok() || authorize(user, Entity::Lead, Action::Assign).is_ok()
}

fn with_rights(mut l: Lead, user: &CurrentUser) -> Lead {
    let reaches =
        |a| authorize(user, Entity::Lead, a).is_ok_and(|g: Grant| g.reaches(l.owner_id, l.department_path.as_deref(), l.department_id));
    let open = l.is_open();
    l.can_edit = l.status != "converted" && reaches(Action::Edit);
    l.can_delete = reaches(Action::Delete);
    l.can_assign = open && authorize(user, Entity::Lead, Action::Assign).is_ok() && (l.owner_id.is_none() || reaches(Action::Assign));
    l.can_claim = open && l.owner_id.is_none() && authorize(user, Entity::Lead, Action::Claim).is_ok();
    l
}

/// Loads a lead the user may perform `action` on (View also reaches the pool).
async fn load(tx: &mut Tx, user: &CurrentUser, id: i64, action: Action) -> AppResult<Lead> {
    let grant = authorize(user, Entity::Lead, action)?;
    let pool = action == Action::View && sees_pool(user);
    repo::get(tx, &Reach { grant: &grant, pool }, id).await?.ok_or(AppError::NotFound)
}

fn cursor(after: Option<&str>) -> Option<(i64, i64)> {
    let (a, b) = after?.split_once(':')?;
    Some((a.parse().ok()?, b.parse().ok()?))
}

pub async fn list(db: &Db, user: &CurrentUser, f: &LeadFilter, after: Option<&str>) -> AppResult<LeadPage> {
    let grant = authorize(user, Entity::Lead, Action::View)?;
    let reach = Reach { grant: &grant, pool: sees_pool(user) };
    let mut tx = db.read().await?;
    let mut rows = repo::list(&mut tx, &reach, f, user.id, cursor(after), LIST_PAGE + 1).await?;
    let next = if rows.len() as i64 > LIST_PAGE {
        rows.truncate(LIST_PAGE as usize);
        rows.last().map(|r| format!("{}:{}", r.updated_at, r.id))
    } else {
        None
    };
    let total = repo::count(&mut tx, &reach, f, user.id).await?;
    Ok(LeadPage { rows, next, total })
}

pub async fn get(db: &Db, user: &CurrentUser, id: i64) -> AppResult<Lead> {
    let mut tx = db.read().await?;
    let l = load(&mut tx, user, id, Action::View).await?;
    Ok(with_rights(l, user))
}

#[tracing::instrument(skip(db, user, input), fields(user = user.id))]
pub async fn create(db: &Db, user: &CurrentUser, input: &LeadInput) -> AppResult<i64> {
    authorize(user, Entity::Lead, Action::Create)?;
    let v = input.validate().map_err(AppError::Validation)?;
    let mut tx = db.write().await?;
    let owner = crate::customers::service::resolve_owner_of(&mut tx, user, Entity::Lead, v.owner_id, None).await?;
    let place = Placement { owner: Some((owner.id, owner.department_id)), territory_id: None };
    let id = repo::insert(&mut tx, &v, "form", score_of(&v, "form"), place, Some(user.id), now_ms()).await?;
    audit::record(
        &mut tx,
        AuditEntry::by(Some(user.id), &user.display_name, "create")
            .on("lead", id)
            .summary(summary(&v.name, v.company.as_deref()))
            .after(&v),
    )
    .await?;
    tx.commit().await?;
    Ok(id)
}

fn summary(name: &str, company: Option<&str>) -> String {
    match company {
        Some(c) => format!("{name} · {c}"),
        None => name.to_string(),
    }
}

#[tracing::instrument(skip(db, user, input), fields(user = user.id))]
pub async fn update(db: &Db, user: &CurrentUser, id: i64, version: i64, input: &LeadInput) -> AppResult<Lead> {
    let v = input.validate().map_err(AppError::Validation)?;
    let mut tx = db.write().await?;
    let before = load(&mut tx, user, id, Action::Edit).await?;
    if before.version != version {
        return Err(AppError::Conflict);
    }
    if before.status == "converted" {
        return Err(AppError::validation("status", "lead.not_open"));
    }
    // A pool lead stays in the pool unless an owner is picked.
    let owner = match (v.owner_id, before.owner_id) {
        (None, None) => None,
        (requested, current) => {
            let o = crate::customers::service::resolve_owner_of(&mut tx, user, Entity::Lead, requested, current).await?;
            Some((o.id, o.department_id))
        }
    };
    if !repo::update(&mut tx, id, version, &v, score_of(&v, &before.channel), owner, user.id, now_ms()).await? {
        return Err(AppError::Conflict);
    }
    audit::record(
        &mut tx,
        AuditEntry::by(Some(user.id), &user.display_name, "update")
            .on("lead", id)
            .summary(summary(&v.name, v.company.as_deref()))
            .before(before.to_input())
            .after(input),
    )
    .await?;
    let saved = load(&mut tx, user, id, Action::View).await?;
    tx.commit().await?;
    Ok(with_rights(saved, user))
}

#[tracing::instrument(skip(db, user, reason), fields(user = user.id))]
pub async fn set_status(db: &Db, user: &CurrentUser, id: i64, version: i64, status: &str, reason: &str) -> AppResult<Lead> {
    if !["new", "working", "qualified", "disqualified"].contains(&status) {
        return Err(AppError::validation("status", "validation.invalid_choice"));
    }
    let reason = reason.trim();
    let reason = match status {
        "disqualified" if reason.is_empty() => return Err(AppError::validation("reason", "validation.required")),
        "disqualified" if reason.chars().count() > REASON_MAX => return Err(AppError::validation("reason", "validation.too_long")),
        "disqualified" => Some(reason.to_string()),
        _ => None,
    };
    let mut tx = db.write().await?;
    let before = load(&mut tx, user, id, Action::Edit).await?;
    if before.version != version {
        return Err(AppError::Conflict);
    }
    if before.status == "converted" {
        return Err(AppError::validation("status", "lead.not_open"));
    }
    if !repo::set_status(&mut tx, id, version, status, reason.clone(), user.id, now_ms()).await? {
        return Err(AppError::Conflict);
    }
    audit::record(
        &mut tx,
        AuditEntry::by(Some(user.id), &user.display_name, "update")
            .on("lead", id)
            .summary(before.name.clone())
            .before(serde_json::json!({ "status": before.status, "reason": before.disqualify_reason }))
            .after(serde_json::json!({ "status": status, "reason": reason })),
    )
    .await?;
    let saved = load(&mut tx, user, id, Action::View).await?;
    tx.commit().await?;
    Ok(with_rights(saved, user))
}

pub async fn delete(db: &Db, user: &CurrentUser, id: i64, version: i64) -> AppResult<()> {
    let mut tx = db.write().await?;
    let before = load(&mut tx, user, id, Action::Delete).await?;
    if before.version != version || !repo::set_deleted(&mut tx, id, version, user.id, now_ms()).await? {
        return Err(AppError::Conflict);
    }
    audit::record(
        &mut tx,
        AuditEntry::by(Some(user.id), &user.display_name, "delete").on("lead", id).summary(before.name.clone()).before(before.to_input()),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// Gives leads to `owner`, or hands them out round-robin by territory (`owner` None).
/// Each lead must be open and in the pool or the user's assign scope; the owner must be
/// in that scope too. Returns how many were assigned.
#[tracing::instrument(skip(db, user, ids), fields(user = user.id, n = ids.len()))]
pub async fn assign(db: &Db, user: &CurrentUser, ids: &[i64], owner: Option<i64>) -> AppResult<usize> {
    let grant = authorize(user, Entity::Lead, Action::Assign)?;
    if ids.is_empty() || ids.len() > BULK_MAX {
        return Err(AppError::validation("ids", "validation.invalid_choice"));
    }
    let mut tx = db.write().await?;
    let fixed = match owner {
        Some(o) => {
            let info = crate::customers::repo::owner_info(&mut tx, o)
                .await?
                .ok_or_else(|| AppError::validation("owner_id", "validation.invalid_choice"))?;
            if !grant.reaches(Some(info.id), info.department_path.as_deref(), info.department_id) {
                return Err(AppError::validation("owner_id", "validation.owner_out_of_scope"));
            }
            Some(Placement { owner: Some((info.id, info.department_id)), territory_id: None })
        }
        None => None,
    };
    let now = now_ms();
    let mut done = 0;
    for &id in ids {
        let lead = repo::get(&mut tx, &Reach { grant: &grant, pool: true }, id).await?.ok_or(AppError::NotFound)?;
        if !lead.is_open() {
            return Err(AppError::validation("ids", "lead.not_open"));
        }
        let place = match fixed {
            Some(p) => p,
            None => match territories::place(&mut tx, lead.region.as_deref()).await? {
                Some(p) => p,
                None => continue,
            },
        };
        if !repo::set_owner(&mut tx, id, place, false, user.id, now).await? {
            return Err(AppError::Conflict);
        }
        audit::record(
            &mut tx,
            AuditEntry::by(Some(user.id), &user.display_name, "reassign")
                .on("lead", id)
                .summary(lead.name.clone())
                .before(serde_json::json!({ "owner_id": lead.owner_id }))
                .after(serde_json::json!({ "owner_id": place.owner.map(|o| o.0), "territory_id": place.territory_id })),
        )
        .await?;
        done += 1;
    }
    if done == 0 {
        return Err(AppError::validation("owner_id", "lead.no_territory"));
    }
    tx.commit().await?;
    Ok(done)
}

/// Takes a lead from the pool; refused when someone else took it first.
#[tracing::instrument(skip(db, user), fields(user = user.id))]
pub async fn claim(db: &Db, user: &CurrentUser, id: i64, version: i64) -> AppResult<Lead> {
    let grant = authorize(user, Entity::Lead, Action::Claim)?;
    let mut tx = db.write().await?;
    let lead = repo::get(&mut tx, &Reach { grant: &grant, pool: true }, id).await?.ok_or(AppError::NotFound)?;
    if lead.owner_id.is_some() {
        return Err(AppError::validation("owner_id", "lead.claimed"));
    }
    if !lead.is_open() {
        return Err(AppError::validation("status", "lead.not_open"));
    }
    if lead.version != version {
        return Err(AppError::Conflict);
    }
    let me = crate::customers::repo::owner_info(&mut tx, user.id).await?.ok_or(AppError::Forbidden)?;
    let place = Placement { owner: Some((me.id, me.department_id)), territory_id: None };
    if !repo::set_owner(&mut tx, id, place, true, user.id, now_ms()).await? {
        return Err(AppError::validation("owner_id", "lead.claimed"));
    }
    audit::record(&mut tx, AuditEntry::by(Some(user.id), &user.display_name, "claim").on("lead", id).summary(lead.name.clone())).await?;
    let saved = load(&mut tx, user, id, Action::View).await?;
    tx.commit().await?;
    Ok(with_rights(saved, user))
}

fn customer_input(lead: &Lead, name: &str) -> CustomerInput {
    let company = lead.company.as_deref().is_some_and(|c| !c.trim().is_empty());
    CustomerInput {
        name: name.trim().to_string(),
        kind: if company { "company" } else { "person" }.into(),
        status: "potential".into(),
        industry: lead.industry.clone().unwrap_or_default(),
        region: lead.region.clone().unwrap_or_default(),
        source: lead.source.clone().unwrap_or_default(),
        phone: lead.phone.clone().or_else(|| lead.mobile.clone()).unwrap_or_default(),
        email: if company { String::new() } else { lead.email.clone().unwrap_or_default() },
        ..Default::default()
    }
}

/// Existing customers the lead may already be: the customers' duplicate check (C9) on
/// the proposed name and the lead's phone and e-mail.
pub async fn duplicates(db: &Db, user: &CurrentUser, id: i64, customer_name: &str) -> AppResult<Vec<DuplicateHit>> {
    let lead = {
        let mut tx = db.read().await?;
        load(&mut tx, user, id, Action::Edit).await?
    };
    let mut input = customer_input(&lead, customer_name);
    input.email = lead.email.clone().unwrap_or_default();
    crate::customers::service::check_duplicates(db, user, &input, None).await
}

/// Converts an open lead. Without a chosen customer and with possible duplicates, the
/// user must confirm a new customer (`lead.duplicates` on `customer_name`).
#[tracing::instrument(skip(db, user, input), fields(user = user.id))]
pub async fn convert(db: &Db, user: &CurrentUser, id: i64, version: i64, input: &ConvertInput) -> AppResult<Converted> {
    let v = input.validate().map_err(AppError::Validation)?;
    if v.customer_id.is_none() && !v.confirm_new && !duplicates(db, user, id, &v.customer_name).await?.is_empty() {
        return Err(AppError::validation("customer_name", "lead.duplicates"));
    }
    let mut tx = db.write().await?;
    let lead = load(&mut tx, user, id, Action::Edit).await?;
    if lead.version != version {
        return Err(AppError::Conflict);
    }
    if !lead.is_open() {
        return Err(AppError::validation("status", "lead.not_open"));
    }
    // Errors of the records created on the way are reported on the panel's fields.
    let rename = |e: AppError, map: &[(&str, &str)]| match e {
        AppError::Validation(errs) => AppError::Validation(
            errs.into_iter()
                .map(|fe| match map.iter().find(|(from, _)| *from == fe.field) {
                    Some((_, to)) => FieldError::new(to, &fe.code),
                    None => fe,
                })
                .collect(),
        ),
        other => other,
    };
    let (customer_id, new_customer) = match v.customer_id {
        Some(c) => (crate::customers::service::customer_in_scope(&mut tx, user, c, Action::Edit).await?.id, false),
        None => {
            let made = crate::customers::service::create_customer_in(&mut tx, user, &customer_input(&lead, &v.customer_name))
                .await
                .map_err(|e| rename(e, &[("name", "customer_name")]))?;
            (made, true)
        }
    };
    let contact = ContactInput {
        name: lead.name.clone(),
        title: lead.title.clone().unwrap_or_default(),
        mobile: lead.mobile.clone().unwrap_or_default(),
        phone: lead.phone.clone().unwrap_or_default(),
        email: lead.email.clone().unwrap_or_default(),
        is_primary: new_customer,
        notes: lead.notes.clone().unwrap_or_default(),
        ..Default::default()
    };
    let contact_id = crate::contacts::service::create_contact_in(&mut tx, user, customer_id, &contact).await?;
    let opportunity_id = match &v.opportunity {
        Some((name, _, currency, close)) => {
            let opp = OpportunityInput {
                name: name.clone(),
                customer_id: Some(customer_id),
                contact_id: Some(contact_id),
                amount: input.amount.clone(),
                currency: currency.code().into(),
                expected_close: close.clone().unwrap_or_default(),
                source: lead.source.clone().unwrap_or_default(),
                needs: lead.needs.clone().unwrap_or_default(),
                ..Default::default()
            };
            let made = crate::opportunities::service::create_in(&mut tx, user, &opp)
                .await
                .map_err(|e| rename(e, &[("name", "opportunity_name")]))?;
            Some(made)
        }
        None => None,
    };
    let made = Converted { customer_id, contact_id, opportunity_id };
    if !repo::mark_converted(&mut tx, id, version, &made, user.id, now_ms()).await? {
        return Err(AppError::Conflict);
    }
    audit::record(
        &mut tx,
        AuditEntry::by(Some(user.id), &user.display_name, "convert").on("lead", id).summary(lead.name.clone()).after(&made),
    )
    .await?;
    tx.commit().await?;
    Ok(made)
}

/// How a public web form submission ended.
#[derive(Debug, PartialEq)]
pub enum WebOutcome {
    /// A new lead (with its owner, if a territory took it).
    Created(i64),
    /// The same e-mail or mobile sent a lead in the last minutes: folded into it.
    Repeated(i64),
}

/// The window in which repeated submissions fold into one lead.
pub const WEB_REPEAT_MS: i64 = 10 * 60 * 1000;
/// Submissions allowed per client address per hour.
pub const WEB_HOURLY_LIMIT: i64 = 5;

/// Stores a checked public web form lead: rate-limited per client address, folded into
/// a recent lead with the same e-mail or mobile, scored and handed out by territory.
pub async fn submit_web(db: &Db, input: &LeadInput, ip: &str, now: i64) -> AppResult<WebOutcome> {
    let v = input.validate().map_err(AppError::Validation)?;
    let mut tx = db.write().await?;
    if repo::web_hit(&mut tx, ip, now, now - 3_600_000).await? > WEB_HOURLY_LIMIT {
        tx.commit().await?;
        return Err(AppError::validation("form", "webform.rate_limited"));
    }
    if let Some(id) = repo::recent_twin(&mut tx, v.email.as_deref(), v.mobile.as_deref(), now - WEB_REPEAT_MS).await? {
        tx.commit().await?;
        return Ok(WebOutcome::Repeated(id));
    }
    let place = territories::place(&mut tx, v.region.as_deref()).await?.unwrap_or_default();
    let v = ValidLead { owner_id: None, ..v };
    let id = repo::insert(&mut tx, &v, "web", score_of(&v, "web"), place, None, now).await?;
    audit::record(&mut tx, AuditEntry::by(None, "web", "create").on("lead", id).summary(summary(&v.name, v.company.as_deref())).after(&v))
        .await?;
    tx.commit().await?;
    Ok(WebOutcome::Created(id))
}
