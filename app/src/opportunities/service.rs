//! Opportunity rules (S3, S5, S6).
//!
//! - Access: `opportunity × action` with its data scope, plus collaborators; a private
//!   opportunity is seen only by its owner, its collaborators and whoever sees all.
//! - An opportunity belongs to a customer the user may view, and its contact to that customer.
//! - The stage changes only through [`move_stage`] and [`close`], never through the form:
//!   each change is checked against the target stage's gate (required fields and a
//!   required activity), guarded by the version, written to the stage history with
//!   the time spent in the stage left, and audited.
use crate::customers::service::customer_in_scope;
use crate::opportunities::repo;
use crate::opportunities::types::*;
use crate::platform::audit::{self, AuditEntry};
use crate::platform::authz::{authorize, Action, CurrentUser, Entity, Grant, Scope};
use crate::platform::db::{Db, Tx};
use crate::platform::error::{AppError, AppResult, FieldError};
use crate::platform::time::now_ms;

pub async fn processes(db: &Db, user: &CurrentUser) -> AppResult<Vec<Process>> {
    authorize(user, Entity::Opportunity, Action::View)?;
    let mut tx = db.read().await?;
    Ok(repo::processes(&mut tx).await?)
}

pub(crate) fn pick_process(all: &[Process], id: Option<i64>) -> AppResult<Process> {
    match id {
        Some(id) => all.iter().find(|p| p.id == id).cloned().ok_or_else(|| AppError::validation("process_id", "validation.invalid_choice")),
        None => all.iter().find(|p| p.is_default).or(all.first()).cloned().ok_or(AppError::NotFound),
    }
}

/// What still blocks entering `stage`: one field error per missing field or activity,
/// headed by `stage: pipeline.gate`. Empty when the gate is open.
async fn gate(tx: &mut Tx, o: &Opportunity, stage: &Stage) -> Result<Vec<FieldError>, sqlx::Error> {
    let mut missing: Vec<FieldError> =
        stage.required().into_iter().filter(|f| !o.has(f)).map(|f| FieldError::new(f, "validation.required")).collect();
    if let Some(kind) = stage.required_activity.as_deref().filter(|k| !k.is_empty()) {
        if repo::activities_of_kind(tx, o.id, kind).await? == 0 {
            missing.push(FieldError::new("activity", &format!("activity.kind.{kind}")));
        }
    }
    if !missing.is_empty() {
        missing.insert(0, FieldError::new("stage", "pipeline.gate"));
    }
    Ok(missing)
}

/// The owner of a new or edited opportunity, as (user, department): the same rule as customers.
async fn resolve_owner(tx: &mut Tx, user: &CurrentUser, requested: Option<i64>, current: Option<i64>) -> AppResult<(i64, Option<i64>)> {
    let info = crate::customers::service::resolve_owner_of(tx, user, Entity::Opportunity, requested, current).await?;
    Ok((info.id, info.department_id))
}

async fn check_contact(tx: &mut Tx, contact: Option<i64>, customer_id: i64) -> AppResult<()> {
    if let Some(k) = contact {
        let c = crate::contacts::repo::get(tx, k, false).await?;
        if c.is_none_or(|c| c.customer_id != customer_id) {
            return Err(AppError::validation("contact_id", "validation.invalid_choice"));
        }
    }
    Ok(())
}

pub(crate) fn with_rights(mut o: Opportunity, user: &CurrentUser, shared_edit: bool) -> Opportunity {
    let reaches = |a| {
        authorize(user, Entity::Opportunity, a).is_ok_and(|g: Grant| g.reaches(o.owner_id, o.department_path.as_deref(), o.department_id))
    };
    o.can_edit = reaches(Action::Edit) || (shared_edit && authorize(user, Entity::Opportunity, Action::Edit).is_ok());
    o.can_delete = reaches(Action::Delete);
    let own = o.owner_id == Some(user.id) && authorize(user, Entity::Opportunity, Action::Assign).is_ok_and(|g| g.scope != Scope::All);
    o.can_approve = o.registration == "pending" && !own && reaches(Action::Assign);
    o
}

pub(crate) async fn shared_edit(tx: &mut Tx, id: i64, user: i64) -> Result<bool, sqlx::Error> {
    let n = crate::platform::db::sql(
        "SELECT COUNT(*) FROM opportunity_collaborators WHERE opportunity_id = $1 AND user_id = $2 AND access = 'edit'",
    )
    .arg_i64(id)
    .arg_i64(user)
    .fetch_i64(tx)
    .await?;
    Ok(n > 0)
}

/// Loads an opportunity the user may perform `action` on.
pub(crate) async fn load(tx: &mut Tx, user: &CurrentUser, id: i64, action: Action) -> AppResult<Opportunity> {
    let grant = authorize(user, Entity::Opportunity, action)?;
    repo::get(tx, &grant, id).await?.ok_or(AppError::NotFound)
}

pub async fn get(db: &Db, user: &CurrentUser, id: i64) -> AppResult<Opportunity> {
    let mut tx = db.read().await?;
    let mut o = load(&mut tx, user, id, Action::View).await?;
    let shared = shared_edit(&mut tx, id, user.id).await?;
    if o.registration == "pending" {
        o.conflicts = crate::opportunities::registration::conflicts(&mut tx, o.customer_id, o.owner_id, Some(o.id)).await?;
    }
    Ok(with_rights(o, user, shared))
}

#[tracing::instrument(skip(db, user, input), fields(user = user.id))]
pub async fn create(db: &Db, user: &CurrentUser, input: &OpportunityInput) -> AppResult<i64> {
    authorize(user, Entity::Opportunity, Action::Create)?;
    input.validate().map_err(AppError::Validation)?;
    let mut tx = db.write().await?;
    let id = create_in(&mut tx, user, input).await?;
    tx.commit().await?;
    Ok(id)
}

/// [`create`] inside the caller's transaction (lead conversion).
pub(crate) async fn create_in(tx: &mut Tx, user: &CurrentUser, input: &OpportunityInput) -> AppResult<i64> {
    authorize(user, Entity::Opportunity, Action::Create)?;
    let v = input.validate().map_err(AppError::Validation)?;
    let customer = customer_in_scope(tx, user, v.customer_id, Action::View).await?;
    check_contact(tx, v.contact_id, v.customer_id).await?;
    let all = repo::processes(tx).await?;
    let process = pick_process(&all, v.process_id)?;
    let stage = match v.stage_id {
        Some(s) => process.stage(s).cloned().ok_or_else(|| AppError::validation("stage_id", "validation.invalid_choice"))?,
        None => process.first_open().cloned().ok_or(AppError::NotFound)?,
    };
    if stage.kind() != StageKind::Open {
        return Err(AppError::validation("stage_id", "validation.invalid_choice"));
    }
    let owner = resolve_owner(tx, user, v.owner_id, None).await?;
    let now = now_ms();
    // The gate of the starting stage applies too (a draft of what would be saved).
    let draft = Opportunity {
        amount: v.amount,
        contact_id: v.contact_id,
        expected_close: v.expected_close.clone(),
        needs: v.needs.clone(),
        budget: v.budget.clone(),
        decision_makers: v.decision_makers.clone(),
        competitors: v.competitors.clone(),
        ..Default::default()
    };
    let blocked = gate(tx, &draft, &stage).await?;
    if !blocked.is_empty() {
        return Err(AppError::Validation(blocked));
    }
    let id = repo::insert(tx, &v, &stage, owner, user.id, now).await?;
    repo::record_move(tx, id, None, stage.id, user.id, now, None).await?;
    crate::opportunities::registration::check_new(tx, user, id, &v.name, v.customer_id, owner.0).await?;
    audit::record(
        tx,
        AuditEntry::by(Some(user.id), &user.display_name, "create")
            .on("opportunity", id)
            .summary(format!("{} · {}", v.name, customer.name))
            .after(input),
    )
    .await?;
    Ok(id)
}

#[tracing::instrument(skip(db, user, input), fields(user = user.id))]
pub async fn update(db: &Db, user: &CurrentUser, id: i64, version: i64, input: &OpportunityInput) -> AppResult<Opportunity> {
    let v = input.validate().map_err(AppError::Validation)?;
    let mut tx = db.write().await?;
    let before = load(&mut tx, user, id, Action::Edit).await?;
    if before.version != version {
        return Err(AppError::Conflict);
    }
    if v.customer_id != before.customer_id {
        return Err(AppError::validation("customer_id", "opportunity.customer_fixed"));
    }
    check_contact(&mut tx, v.contact_id, before.customer_id).await?;
    let owner = resolve_owner(&mut tx, user, v.owner_id, before.owner_id).await?;
    // Emptying a field the current stage requires is refused like a move would be.
    let all = repo::processes(&mut tx).await?;
    if let Some(stage) = all.iter().flat_map(|p| p.stages.iter()).find(|s| s.id == before.stage_id) {
        let after = Opportunity {
            amount: v.amount,
            contact_id: v.contact_id,
            expected_close: v.expected_close.clone(),
            needs: v.needs.clone(),
            budget: v.budget.clone(),
            decision_makers: v.decision_makers.clone(),
            competitors: v.competitors.clone(),
            ..before.clone()
        };
        let missing: Vec<FieldError> =
            stage.required().into_iter().filter(|f| !after.has(f)).map(|f| FieldError::new(f, "validation.required")).collect();
        if !missing.is_empty() {
            return Err(AppError::Validation(missing));
        }
    }
    let now = now_ms();
    if !repo::update(&mut tx, id, version, &v, owner, user.id, now).await? {
        return Err(AppError::Conflict);
    }
    // The owner is never a collaborator of their own opportunity.
    if before.owner_id != Some(owner.0) {
        crate::platform::db::sql("DELETE FROM opportunity_collaborators WHERE opportunity_id = $1 AND user_id = $2")
            .arg_i64(id)
            .arg_i64(owner.0)
            .execute(&mut tx)
            .await?;
    }
    audit::record(
        &mut tx,
        AuditEntry::by(Some(user.id), &user.display_name, "update")
            .on("opportunity", id)
            .summary(v.name.clone())
            .before(before.to_input())
            .after(input),
    )
    .await?;
    let saved = load(&mut tx, user, id, Action::View).await?;
    let shared = shared_edit(&mut tx, id, user.id).await?;
    tx.commit().await?;
    Ok(with_rights(saved, user, shared))
}

/// Moves an open opportunity to another open stage of its process (the board's drag).
#[tracing::instrument(skip(db, user), fields(user = user.id))]
pub async fn move_stage(db: &Db, user: &CurrentUser, id: i64, version: i64, to: i64) -> AppResult<Moved> {
    let mut tx = db.write().await?;
    let o = load(&mut tx, user, id, Action::Edit).await?;
    if o.version != version {
        return Err(AppError::Conflict);
    }
    if o.status != StageKind::Open.code() {
        return Err(AppError::validation("stage", "pipeline.closed"));
    }
    crate::opportunities::registration::ensure_registered(&o)?;
    let all = repo::processes(&mut tx).await?;
    let process = pick_process(&all, Some(o.process_id))?;
    let from = process.stage(o.stage_id).cloned();
    let stage = process.stage(to).cloned().ok_or_else(|| AppError::validation("stage", "validation.invalid_choice"))?;
    if stage.kind() != StageKind::Open {
        // Winning and losing take a reason: they go through `close`.
        return Err(AppError::validation("stage", "pipeline.close_needs_reason"));
    }
    if stage.id == o.stage_id {
        return Ok(Moved { id, stage_id: o.stage_id, version: o.version, stage_entered_at: o.stage_entered_at });
    }
    // Moving back never needs the gate; moving forward does.
    let forward = from.as_ref().is_none_or(|f| stage.position > f.position);
    if forward {
        let blocked = gate(&mut tx, &o, &stage).await?;
        if !blocked.is_empty() {
            return Err(AppError::Validation(blocked));
        }
    }
    let now = now_ms();
    let version = repo::set_stage(&mut tx, &o, &stage, None, None, user.id, now).await?.ok_or(AppError::Conflict)?;
    audit::record(
        &mut tx,
        AuditEntry::by(Some(user.id), &user.display_name, "move")
            .on("opportunity", id)
            .summary(o.name.clone())
            .before(serde_json::json!({ "stage_id": o.stage_id }))
            .after(serde_json::json!({ "stage_id": stage.id })),
    )
    .await?;
    tx.commit().await?;
    Ok(Moved { id, stage_id: stage.id, version, stage_entered_at: now })
}

/// Wins or loses an open opportunity, with a reason (required to lose) and a review.
/// A won opportunity is where a contract or order starts once the sales documents
/// exist: they read `status = 'won'` and `closed_at`.
#[tracing::instrument(skip(db, user, reason, review), fields(user = user.id))]
pub async fn close(db: &Db, user: &CurrentUser, id: i64, version: i64, won: bool, reason: &str, review: &str) -> AppResult<Opportunity> {
    let reason = Some(reason.trim().to_string()).filter(|r| !r.is_empty());
    let review = Some(review.trim().to_string()).filter(|r| !r.is_empty());
    let mut errors = Vec::new();
    if !won && reason.is_none() {
        errors.push(FieldError::new("close_reason", "validation.required"));
    }
    if reason.as_ref().is_some_and(|r| r.chars().count() > REASON_MAX) {
        errors.push(FieldError::new("close_reason", "validation.too_long"));
    }
    if review.as_ref().is_some_and(|r| r.chars().count() > TEXT_MAX) {
        errors.push(FieldError::new("review", "validation.too_long"));
    }
    if !errors.is_empty() {
        return Err(AppError::Validation(errors));
    }
    let mut tx = db.write().await?;
    let o = load(&mut tx, user, id, Action::Edit).await?;
    if o.version != version {
        return Err(AppError::Conflict);
    }
    if o.status != StageKind::Open.code() {
        return Err(AppError::validation("stage", "pipeline.closed"));
    }
    crate::opportunities::registration::ensure_registered(&o)?;
    let all = repo::processes(&mut tx).await?;
    let process = pick_process(&all, Some(o.process_id))?;
    let kind = if won { StageKind::Won } else { StageKind::Lost };
    let stage = process.stages.iter().find(|s| s.kind() == kind).cloned().ok_or(AppError::NotFound)?;
    let blocked = gate(&mut tx, &o, &stage).await?;
    if !blocked.is_empty() {
        return Err(AppError::Validation(blocked));
    }
    let now = now_ms();
    repo::set_stage(&mut tx, &o, &stage, reason.clone(), review.clone(), user.id, now).await?.ok_or(AppError::Conflict)?;
    audit::record(
        &mut tx,
        AuditEntry::by(Some(user.id), &user.display_name, if won { "win" } else { "lose" })
            .on("opportunity", id)
            .summary(format!("{}: {}", o.name, reason.unwrap_or_default()))
            .after(serde_json::json!({ "stage_id": stage.id, "review": review })),
    )
    .await?;
    let saved = load(&mut tx, user, id, Action::View).await?;
    let shared = shared_edit(&mut tx, id, user.id).await?;
    tx.commit().await?;
    Ok(with_rights(saved, user, shared))
}

pub async fn delete(db: &Db, user: &CurrentUser, id: i64, version: i64) -> AppResult<()> {
    let mut tx = db.write().await?;
    let o = load(&mut tx, user, id, Action::Delete).await?;
    if !repo::soft_delete(&mut tx, id, version, user.id, now_ms()).await? {
        return Err(AppError::Conflict);
    }
    audit::record(
        &mut tx,
        AuditEntry::by(Some(user.id), &user.display_name, "delete").on("opportunity", id).summary(o.name.clone()).before(o.to_input()),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// The pipeline board of one process within the user's scope.
pub async fn board(db: &Db, user: &CurrentUser, q: &BoardQuery) -> AppResult<Board> {
    let grant = authorize(user, Entity::Opportunity, Action::View)?;
    for d in [&q.close_from, &q.close_to].into_iter().flatten() {
        if !is_iso_date(d) {
            return Err(AppError::validation("close", "validation.date"));
        }
    }
    let mut tx = db.read().await?;
    let processes = repo::processes(&mut tx).await?;
    let process = pick_process(&processes, q.process)?;
    let open: Vec<i64> = process.stages.iter().filter(|s| s.kind() == StageKind::Open).map(|s| s.id).collect();
    let mut cards = repo::board_cards(&mut tx, &grant, &open, q, BOARD_STAGE_LIMIT).await?;
    let now = now_ms();
    for c in &mut cards {
        c.days_in_stage = (now - c.stage_entered_at).max(0) / 86_400_000;
    }
    let truncated = process.stages.iter().any(|s| cards.iter().filter(|c| c.stage_id == s.id).count() as i64 >= BOARD_STAGE_LIMIT);
    Ok(Board { process, processes, cards, truncated })
}

/// A customer's opportunities (for the 360° page).
pub async fn by_customer(db: &Db, user: &CurrentUser, customer_id: i64) -> AppResult<Vec<OpportunityRow>> {
    let mut tx = db.read().await?;
    customer_in_scope(&mut tx, user, customer_id, Action::View).await?;
    let Ok(grant) = authorize(user, Entity::Opportunity, Action::View) else {
        return Ok(Vec::new());
    };
    Ok(repo::by_customer(&mut tx, &grant, customer_id).await?)
}

pub async fn history(db: &Db, user: &CurrentUser, id: i64) -> AppResult<Vec<StageMove>> {
    let mut tx = db.read().await?;
    load(&mut tx, user, id, Action::View).await?;
    Ok(repo::history(&mut tx, id).await?)
}

pub async fn activities(db: &Db, user: &CurrentUser, id: i64) -> AppResult<Vec<OpportunityActivity>> {
    let mut tx = db.read().await?;
    load(&mut tx, user, id, Action::View).await?;
    Ok(repo::activities(&mut tx, id).await?)
}

/// Checks that an activity logged on `customer_id` may be linked to opportunity `id`:
/// the opportunity belongs to that customer and the user may see it.
pub async fn check_activity_link(tx: &mut Tx, user: &CurrentUser, id: i64, customer_id: i64) -> AppResult<()> {
    let o = load(tx, user, id, Action::View).await.map_err(|_| AppError::validation("opportunity_id", "validation.invalid_choice"))?;
    if o.customer_id != customer_id {
        return Err(AppError::validation("opportunity_id", "validation.invalid_choice"));
    }
    Ok(())
}

/// Rows per page of the list.
pub const LIST_PAGE: i64 = 50;

/// The UTC bounds of closing dates `closed_from..=closed_to` (days in the user's zone).
pub(crate) fn closed_bounds(f: &OppFilter, tz_offset_minutes: i32) -> AppResult<(Option<i64>, Option<i64>)> {
    use crate::platform::time::parse_date_ms;
    let day = |d: &Option<String>, field: &str| -> AppResult<Option<i64>> {
        d.as_deref().map(|d| parse_date_ms(d, tz_offset_minutes).ok_or_else(|| AppError::validation(field, "validation.date"))).transpose()
    };
    Ok((day(&f.closed_from, "closed_from")?, day(&f.closed_to, "closed_to")?.map(|ms| ms + 86_400_000)))
}

/// One page of the opportunities `f` covers within the user's scope, with the count
/// and per-currency totals of all of them (weighted by each open stage's probability).
pub async fn list(db: &Db, user: &CurrentUser, f: &OppFilter, after: Option<&str>, tz_offset_minutes: i32) -> AppResult<OppPage> {
    let grant = authorize(user, Entity::Opportunity, Action::View)?;
    for (field, d) in [("close_from", &f.close_from), ("close_to", &f.close_to)] {
        if d.as_deref().is_some_and(|d| !is_iso_date(d)) {
            return Err(AppError::validation(field, "validation.date"));
        }
    }
    let closed = closed_bounds(f, tz_offset_minutes)?;
    let cursor = match after {
        None | Some("") => None,
        Some(c) => Some(
            c.split_once('.')
                .and_then(|(a, b)| Some((a.parse::<i64>().ok()?, b.parse::<i64>().ok()?)))
                .ok_or_else(|| AppError::validation("after", "validation.invalid_choice"))?,
        ),
    };
    let mut tx = db.read().await?;
    let processes = repo::processes(&mut tx).await?;
    let mut rows = repo::list(&mut tx, &grant, f, closed, cursor, LIST_PAGE + 1).await?;
    let next = (rows.len() as i64 > LIST_PAGE).then(|| {
        rows.truncate(LIST_PAGE as usize);
        rows.last().map(|r| format!("{}.{}", r.updated_at, r.id)).unwrap_or_default()
    });
    let sums = repo::list_sums(&mut tx, &grant, f, closed).await?;
    let stage = |id: i64| processes.iter().flat_map(|p| p.stages.iter()).find(|s| s.id == id);
    let mut totals: Vec<Total> = Vec::new();
    let mut count = 0;
    for (currency, stage_id, n, amount) in sums {
        count += n;
        let w = stage(stage_id).filter(|s| s.kind() == StageKind::Open).map(|s| weighted(amount, s.probability)).unwrap_or(0);
        match totals.iter_mut().find(|t| t.currency == currency) {
            Some(t) => {
                t.amount += amount;
                t.weighted += w;
            }
            None => totals.push(Total { currency, amount, weighted: w }),
        }
    }
    totals.sort_by(|a, b| b.amount.cmp(&a.amount).then_with(|| a.currency.cmp(&b.currency)));
    Ok(OppPage { rows, next, count, totals, processes })
}

/// The user's saved board views and those others shared.
pub async fn board_views(db: &Db, user: &CurrentUser) -> AppResult<Vec<BoardView>> {
    authorize(user, Entity::Opportunity, Action::View)?;
    let mut tx = db.read().await?;
    let rows = crate::customers::views::stored_views(&mut tx, user.id, "opportunity_board").await?;
    Ok(rows
        .into_iter()
        .map(|r| BoardView {
            id: r.id,
            mine: r.user_id == user.id,
            name: r.name,
            shared: r.shared,
            owner_name: r.owner_name,
            query: serde_json::from_str(&r.query_json).unwrap_or_default(),
        })
        .collect())
}

/// Saves the board's filters under a name (shared with everyone who sees the board, or not).
pub async fn save_board_view(db: &Db, user: &CurrentUser, name: &str, shared: bool, query: &BoardQuery) -> AppResult<i64> {
    authorize(user, Entity::Opportunity, Action::View)?;
    let name = crate::customers::views::view_name(name).map_err(|e| AppError::Validation(vec![e]))?;
    let query =
        BoardQuery::from_pairs(query.url().split_once('?').map(|(_, q)| q).unwrap_or("").split('&').filter_map(|p| p.split_once('=')));
    crate::customers::views::insert_view(db, user, "opportunity_board", name, shared, &query, &[]).await
}
