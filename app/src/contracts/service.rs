//! Contract rules. A contract belongs to the user who made it (scope by owner and
//! department) and is for a customer the user can see; it starts from a won
//! opportunity, an agreed quote, or nothing. Its payment plan adds up to its amount.
//! Payments are recorded against one instalment and never past what it still has
//! open; invoices never past the contract's amount. Voiding either needs Approve and
//! a reason and keeps the row. Every change is audited. The overdue job reminds each
//! contract's owner once per overdue instalment with a planned follow-up call.
use crate::activities::types::{ActivityKind, ActivityStatus, ValidActivity};
use crate::contracts::repo;
use crate::contracts::types::*;
use crate::customers::service::customer_in_scope;
use crate::platform::audit::{self, AuditEntry};
use crate::platform::authz::{authorize, Action, CurrentUser, Entity};
use crate::platform::db::{sql, Db, Tx};
use crate::platform::error::{AppError, AppResult};
use crate::platform::i18n::{tr_args, Locale};
use crate::platform::money::{format_amount, Currency};
use crate::platform::time::{local_today, now_ms};
use crate::quotes::service::{date_parts, iso};
use crate::quotes::types::QuoteStatus;

const PAGE: i64 = 50;
const REPORT_PAGE: i64 = 50;

/// Today in the company's time zone: instalments due before it are overdue.
pub fn today() -> String {
    iso(local_today())
}

async fn load(tx: &mut Tx, user: &CurrentUser, id: i64, action: Action) -> AppResult<Contract> {
    let grant = authorize(user, Entity::Contract, action)?;
    repo::get(tx, &grant, &today(), id).await?.ok_or(AppError::NotFound)
}

/// Loads for a change: the right version, still active.
async fn load_active(tx: &mut Tx, user: &CurrentUser, id: i64, version: i64, action: Action) -> AppResult<Contract> {
    let k = load(tx, user, id, action).await?;
    if k.version != version {
        return Err(AppError::Conflict);
    }
    if !k.active() {
        return Err(AppError::validation("status", "contract.not_active"));
    }
    Ok(k)
}

/// The customer must be one the user can see; an opportunity that customer's and won;
/// a quote that customer's and agreed.
async fn check_links(tx: &mut Tx, user: &CurrentUser, v: &ValidContract) -> AppResult<()> {
    customer_in_scope(tx, user, v.customer_id, Action::View).await.map_err(|e| match e {
        AppError::NotFound | AppError::Forbidden => AppError::validation("customer_id", "validation.invalid_choice"),
        e => e,
    })?;
    if let Some(o) = v.opportunity_id {
        let opp = crate::opportunities::service::load(tx, user, o, Action::View)
            .await
            .map_err(|_| AppError::validation("opportunity_id", "validation.invalid_choice"))?;
        if opp.customer_id != v.customer_id {
            return Err(AppError::validation("opportunity_id", "validation.invalid_choice"));
        }
        if opp.status != "won" {
            return Err(AppError::validation("opportunity_id", "contract.opportunity_not_won"));
        }
    }
    if let Some(q) = v.quote_id {
        let q = crate::quotes::service::load(tx, user, q, Action::View)
            .await
            .map_err(|_| AppError::validation("quote_id", "validation.invalid_choice"))?;
        if q.customer_id != v.customer_id || !matches!(q.status(), QuoteStatus::Approved | QuoteStatus::Sent | QuoteStatus::Accepted) {
            return Err(AppError::validation("quote_id", "order.quote_not_agreed"));
        }
    }
    Ok(())
}

/// A contract form filled from a won opportunity: its customer, name and amount, one
/// instalment due in 30 days.
pub async fn draft_from_opportunity(db: &Db, user: &CurrentUser, id: i64) -> AppResult<ContractDraft> {
    authorize(user, Entity::Contract, Action::Create)?;
    let mut tx = db.read().await?;
    let o = crate::opportunities::service::load(&mut tx, user, id, Action::View).await?;
    if o.status != "won" {
        return Err(AppError::validation("opportunity_id", "contract.opportunity_not_won"));
    }
    let c = Currency::from_code(&o.currency).unwrap_or_default();
    Ok(draft(
        ContractInput {
            customer_id: Some(o.customer_id),
            opportunity_id: Some(id),
            title: o.name.clone(),
            currency: c.code().into(),
            ..Default::default()
        },
        o.amount,
        o.customer_name.clone(),
    ))
}

/// A contract form filled from an agreed quote: its customer, opportunity, title, total
/// and terms.
pub async fn draft_from_quote(db: &Db, user: &CurrentUser, id: i64) -> AppResult<ContractDraft> {
    authorize(user, Entity::Contract, Action::Create)?;
    let mut tx = db.read().await?;
    let q = crate::quotes::service::load(&mut tx, user, id, Action::View).await?;
    if !matches!(q.status(), QuoteStatus::Approved | QuoteStatus::Sent | QuoteStatus::Accepted) {
        return Err(AppError::validation("quote_id", "order.quote_not_agreed"));
    }
    Ok(draft(
        ContractInput {
            customer_id: Some(q.customer_id),
            opportunity_id: q.opportunity_id,
            quote_id: Some(id),
            // A quote without a title names the contract by its number.
            title: if q.title.trim().is_empty() { q.label() } else { q.title.clone() },
            currency: q.currency.clone(),
            terms: q.terms.clone(),
            ..Default::default()
        },
        q.total,
        q.customer_name.clone().unwrap_or_default(),
    ))
}

fn draft(mut input: ContractInput, amount: i64, customer_name: String) -> ContractDraft {
    let c = Currency::from_code(&input.currency).unwrap_or_default();
    let signed = today();
    input.amount = if amount > 0 { plain_amount(amount, c) } else { String::new() };
    input.starts_on = signed.clone();
    input.ends_on = add_months(&signed, 12).unwrap_or_else(|| signed.clone());
    let due = add_months(&signed, 1).unwrap_or_else(|| signed.clone());
    input.plan = vec![InstalmentInput { id: None, due_on: due, amount: input.amount.clone(), note: String::new() }];
    input.signed_on = signed;
    ContractDraft { input, customer_name }
}

#[tracing::instrument(skip(db, user, input), fields(user = user.id))]
pub async fn create(db: &Db, user: &CurrentUser, input: &ContractInput) -> AppResult<i64> {
    authorize(user, Entity::Contract, Action::Create)?;
    let mut v = input.validate().map_err(AppError::Validation)?;
    v.plan.iter_mut().for_each(|p| p.id = None);
    let mut tx = db.write().await?;
    check_links(&mut tx, user, &v).await?;
    let number = crate::platform::numbering::next_number(&mut tx, "contract", date_parts(&v.signed_on)).await?;
    let now = now_ms();
    let id = repo::insert(&mut tx, &v, &number, (user.id, user.department_id), now).await?;
    repo::save_plan(&mut tx, id, &v.plan, &[]).await?;
    if let Some(q) = v.quote_id {
        accept_quote(&mut tx, user, q, now).await?;
    }
    audit::record(
        &mut tx,
        AuditEntry::by(Some(user.id), &user.display_name, "create").on("contract", id).summary(format!("{number} {}", v.title)).after(&v),
    )
    .await?;
    tx.commit().await?;
    Ok(id)
}

/// An approved or sent quote a contract is signed on becomes accepted.
async fn accept_quote(tx: &mut Tx, user: &CurrentUser, quote_id: i64, now: i64) -> AppResult<()> {
    let q = crate::quotes::service::load(tx, user, quote_id, Action::View).await?;
    if matches!(q.status(), QuoteStatus::Approved | QuoteStatus::Sent)
        && crate::quotes::repo::set_status(tx, quote_id, q.version, QuoteStatus::Accepted, None, user.id, now).await?
    {
        audit::record(
            tx,
            AuditEntry::by(Some(user.id), &user.display_name, "update").on("quote", quote_id).summary(format!(
                "{} {} → accepted",
                q.label(),
                q.status
            )),
        )
        .await?;
    }
    Ok(())
}

/// Changes an active contract. Once money was received or invoiced the customer and the
/// currency stay; the amount never drops below what was received or invoiced; an
/// instalment keeps at least what was paid on it and, once paid on, cannot be removed.
#[tracing::instrument(skip(db, user, input), fields(user = user.id))]
pub async fn update(db: &Db, user: &CurrentUser, id: i64, version: i64, input: &ContractInput) -> AppResult<()> {
    let v = input.validate().map_err(AppError::Validation)?;
    let mut tx = db.write().await?;
    let before = load_active(&mut tx, user, id, version, Action::Edit).await?;
    if before.is_service_bill() {
        // Its amount is what the work order's bill lines add up to.
        return Err(AppError::validation("amount", "contract.service_bill_fixed"));
    }
    check_links(&mut tx, user, &v).await?;
    let moved = before.paid > 0 || before.invoiced > 0;
    if moved && v.customer_id != before.customer_id {
        return Err(AppError::validation("customer_id", "contract.money_recorded"));
    }
    if moved && v.currency.code() != before.currency {
        return Err(AppError::validation("currency", "contract.money_recorded"));
    }
    if v.amount < before.paid.max(before.invoiced) {
        return Err(AppError::validation("amount", "contract.amount_below_received"));
    }
    let saved = repo::plan(&mut tx, id).await?;
    let mut errors = Vec::new();
    for (i, p) in v.plan.iter().enumerate() {
        if let Some(pid) = p.id {
            match saved.iter().find(|s| s.id == pid) {
                None => errors.push(crate::platform::error::FieldError::new(&format!("plan.{i}.amount"), "validation.invalid_choice")),
                Some(s) if p.amount < s.paid => {
                    errors.push(crate::platform::error::FieldError::new(&format!("plan.{i}.amount"), "contract.instalment_below_paid"))
                }
                Some(_) => {}
            }
        }
    }
    let removed: Vec<&Instalment> = saved.iter().filter(|s| !v.plan.iter().any(|p| p.id == Some(s.id))).collect();
    if removed.iter().any(|s| s.paid > 0) {
        errors.push(crate::platform::error::FieldError::new("plan", "contract.paid_instalment_removed"));
    }
    if !errors.is_empty() {
        return Err(AppError::Validation(errors));
    }
    let now = now_ms();
    if !repo::update(&mut tx, id, version, &v, user.id, now).await? {
        return Err(AppError::Conflict);
    }
    let removed: Vec<i64> = removed.iter().map(|s| s.id).collect();
    repo::save_plan(&mut tx, id, &v.plan, &removed).await?;
    if let Some(q) = v.quote_id.filter(|q| before.quote_id != Some(*q)) {
        accept_quote(&mut tx, user, q, now).await?;
    }
    audit::record(
        &mut tx,
        AuditEntry::by(Some(user.id), &user.display_name, "update")
            .on("contract", id)
            .summary(before.number.clone())
            .before(serde_json::json!({ "amount": before.amount, "title": before.title, "ends_on": before.ends_on }))
            .after(&v),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// Ends an active contract early, with a reason: what is still open no longer counts
/// as receivable.
#[tracing::instrument(skip(db, user, reason), fields(user = user.id))]
pub async fn terminate(db: &Db, user: &CurrentUser, id: i64, version: i64, reason: &str) -> AppResult<()> {
    let reason = reason.trim();
    if reason.is_empty() {
        return Err(AppError::validation("reason", "validation.required"));
    }
    if reason.chars().count() > SHORT_MAX {
        return Err(AppError::validation("reason", "validation.too_long"));
    }
    let mut tx = db.write().await?;
    let k = load_active(&mut tx, user, id, version, Action::Edit).await?;
    let n =
        sql("UPDATE contracts SET status = 'terminated', terminate_reason = $1, updated_at = $2, updated_by = $3, version = version + 1 \
                 WHERE id = $4 AND version = $5 AND status = 'active'")
        .arg_text(reason)
        .arg_i64(now_ms())
        .arg_i64(user.id)
        .arg_i64(id)
        .arg_i64(version)
        .execute(&mut tx)
        .await?;
    if n != 1 {
        return Err(AppError::Conflict);
    }
    audit::record(
        &mut tx,
        AuditEntry::by(Some(user.id), &user.display_name, "update")
            .on("contract", id)
            .summary(format!("{} → terminated · {reason}", k.number)),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

pub async fn get(db: &Db, user: &CurrentUser, id: i64) -> AppResult<ContractDetail> {
    let mut tx = db.read().await?;
    let contract = load(&mut tx, user, id, Action::View).await?;
    let plan = repo::plan(&mut tx, id).await?;
    let payments = repo::payments(&mut tx, id).await?;
    let invoices = repo::invoices(&mut tx, id).await?;
    let can_edit = contract.active() && load(&mut tx, user, id, Action::Edit).await.is_ok();
    let can_approve = contract.active() && load(&mut tx, user, id, Action::Approve).await.is_ok();
    let bill_lines = crate::fieldwork::billing::lines(&mut tx, id).await?;
    Ok(ContractDetail { contract, plan, payments, invoices, today: today(), can_edit, can_approve, bill_lines })
}

pub async fn list(db: &Db, user: &CurrentUser, f: &ContractFilter) -> AppResult<ContractPage> {
    let grant = authorize(user, Entity::Contract, Action::View)?;
    let today = today();
    let mut tx = db.read().await?;
    let mut rows = repo::list(&mut tx, &grant, &today, f, PAGE + 1).await?;
    let next = (rows.len() as i64 > PAGE).then(|| {
        rows.truncate(PAGE as usize);
        rows.last().map(|r| (r.updated_at, r.id))
    });
    Ok(ContractPage { rows, next: next.flatten(), today })
}

/// Records money received against one instalment: never more than it still has open.
#[tracing::instrument(skip(db, user, input), fields(user = user.id))]
pub async fn record_payment(db: &Db, user: &CurrentUser, id: i64, version: i64, input: &PaymentInput) -> AppResult<i64> {
    let mut tx = db.write().await?;
    let k = load_active(&mut tx, user, id, version, Action::Edit).await?;
    let p = input.validate(k.currency()).map_err(AppError::Validation)?;
    if !repo::add_paid(&mut tx, id, p.instalment_id, p.amount).await? {
        let known = repo::plan(&mut tx, id).await?.iter().any(|i| i.id == p.instalment_id);
        return Err(AppError::validation(
            if known { "amount" } else { "instalment_id" },
            if known { "contract.payment_too_much" } else { "validation.invalid_choice" },
        ));
    }
    let number = crate::platform::numbering::next_number(&mut tx, "payment", date_parts(&p.received_on)).await?;
    let now = now_ms();
    let pid = sql(
        "INSERT INTO payments (number, contract_id, instalment_id, customer_id, amount, currency, received_on, method, reference, note, \
                   created_by, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12) RETURNING id",
    )
    .arg_text(number.clone())
    .arg_i64(id)
    .arg_i64(p.instalment_id)
    .arg_i64(k.customer_id)
    .arg_i64(p.amount)
    .arg_text(k.currency.clone())
    .arg_text(p.received_on.clone())
    .arg_text(p.method.clone())
    .arg_text(p.reference.clone())
    .arg_text(p.note.clone())
    .arg_i64(user.id)
    .arg_i64(now)
    .fetch_i64(&mut tx)
    .await?;
    if !repo::touch(&mut tx, id, version, user.id, now).await? {
        return Err(AppError::Conflict);
    }
    crate::activities::repo::touch_customer(&mut tx, k.customer_id, now).await?;
    audit::record(
        &mut tx,
        AuditEntry::by(Some(user.id), &user.display_name, "create").on("payment", pid).summary(format!(
            "{} {number} {} {}",
            k.number,
            k.currency,
            format_amount(p.amount, k.currency())
        )),
    )
    .await?;
    tx.commit().await?;
    Ok(pid)
}

/// Issues an invoice on the contract: never past its amount in total.
#[tracing::instrument(skip(db, user, input), fields(user = user.id))]
pub async fn record_invoice(db: &Db, user: &CurrentUser, id: i64, version: i64, input: &InvoiceInput) -> AppResult<i64> {
    let mut tx = db.write().await?;
    let k = load_active(&mut tx, user, id, version, Action::Edit).await?;
    let v = input.validate(k.currency()).map_err(AppError::Validation)?;
    if !repo::add_invoiced(&mut tx, id, v.amount).await? {
        return Err(AppError::validation("amount", "contract.invoice_too_much"));
    }
    let number = crate::platform::numbering::next_number(&mut tx, "invoice", date_parts(&v.issued_on)).await?;
    let now = now_ms();
    let iid =
        sql("INSERT INTO invoices (number, contract_id, customer_id, kind, tax_number, amount, currency, issued_on, note, created_by, \
                   created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) RETURNING id")
        .arg_text(number.clone())
        .arg_i64(id)
        .arg_i64(k.customer_id)
        .arg_text(v.kind.clone())
        .arg_text(v.tax_number.clone())
        .arg_i64(v.amount)
        .arg_text(k.currency.clone())
        .arg_text(v.issued_on.clone())
        .arg_text(v.note.clone())
        .arg_i64(user.id)
        .arg_i64(now)
        .fetch_i64(&mut tx)
        .await?;
    if !repo::touch(&mut tx, id, version, user.id, now).await? {
        return Err(AppError::Conflict);
    }
    audit::record(
        &mut tx,
        AuditEntry::by(Some(user.id), &user.display_name, "create").on("invoice", iid).summary(format!(
            "{} {number} {} {}",
            k.number,
            k.currency,
            format_amount(v.amount, k.currency())
        )),
    )
    .await?;
    tx.commit().await?;
    Ok(iid)
}

/// What can be voided on a contract.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum Voidable {
    Payment,
    Invoice,
}

/// Voids a payment (the instalment is open again) or an invoice, with a reason. Needs
/// Approve on the contract; the row stays in the ledger, marked void.
#[tracing::instrument(skip(db, user, reason), fields(user = user.id))]
pub async fn void(db: &Db, user: &CurrentUser, id: i64, version: i64, what: Voidable, row: i64, reason: &str) -> AppResult<()> {
    let reason = reason.trim();
    if reason.is_empty() {
        return Err(AppError::validation("reason", "validation.required"));
    }
    if reason.chars().count() > SHORT_MAX {
        return Err(AppError::validation("reason", "validation.too_long"));
    }
    let mut tx = db.write().await?;
    let k = load_active(&mut tx, user, id, version, Action::Approve).await?;
    let table = match what {
        Voidable::Payment => "payments",
        Voidable::Invoice => "invoices",
    };
    let found: Option<(String, i64, Option<i64>)> = match what {
        Voidable::Payment => {
            sql("SELECT number, amount, instalment_id FROM payments WHERE id = $1 AND contract_id = $2 AND voided_at IS NULL")
                .arg_i64(row)
                .arg_i64(id)
                .fetch_optional(&mut tx)
                .await?
        }
        Voidable::Invoice => {
            sql("SELECT number, amount, NULL AS instalment_id FROM invoices WHERE id = $1 AND contract_id = $2 AND voided_at IS NULL")
                .arg_i64(row)
                .arg_i64(id)
                .fetch_optional(&mut tx)
                .await?
        }
    };
    let Some((number, amount, instalment)) = found else { return Err(AppError::NotFound) };
    let undone = match instalment {
        Some(i) => repo::add_paid(&mut tx, id, i, -amount).await?,
        None => repo::add_invoiced(&mut tx, id, -amount).await?,
    };
    if !undone {
        return Err(AppError::Conflict);
    }
    let now = now_ms();
    sql(&format!("UPDATE {table} SET voided_at = $1, voided_by = $2, void_reason = $3 WHERE id = $4"))
        .arg_i64(now)
        .arg_i64(user.id)
        .arg_text(reason)
        .arg_i64(row)
        .execute(&mut tx)
        .await?;
    if !repo::touch(&mut tx, id, version, user.id, now).await? {
        return Err(AppError::Conflict);
    }
    audit::record(
        &mut tx,
        AuditEntry::by(Some(user.id), &user.display_name, "void")
            .on(if what == Voidable::Payment { "payment" } else { "invoice" }, row)
            .summary(format!("{} {number} · {reason}", k.number)),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// Receivables per customer and currency within the user's view scope, most overdue
/// first, a page at a time, with totals per currency over everything the filter
/// matches. Two grouped reads (contract totals; open instalments past due) merged here,
/// so neither joins the other's rows.
pub async fn receivables(db: &Db, user: &CurrentUser, f: &ReceivableFilter) -> AppResult<ReceivablesReport> {
    let grant = authorize(user, Entity::Contract, Action::View)?;
    let today = today();
    let mut tx = db.read().await?;
    let sums = repo::contract_sums(&mut tx, &grant, f).await?;
    let overdue: std::collections::HashMap<(i64, String), (i64, Option<String>)> =
        repo::overdue_sums(&mut tx, &grant, &today, f).await?.into_iter().map(|(c, cur, o, d)| ((c, cur), (o, d))).collect();
    let mut rows: Vec<Receivable> = sums
        .into_iter()
        .map(|(customer_id, currency, contracts, contracted, received, invoiced)| {
            let (overdue, oldest_due) = overdue.get(&(customer_id, currency.clone())).cloned().unwrap_or((0, None));
            Receivable {
                customer_id,
                customer_name: String::new(),
                currency,
                contracts,
                contracted,
                received,
                invoiced,
                outstanding: contracted - received,
                overdue,
                oldest_due,
            }
        })
        .filter(|r| !f.overdue_only || r.overdue > 0)
        .collect();
    let mut totals: std::collections::BTreeMap<String, ReceivableTotal> = Default::default();
    for r in &rows {
        let t = totals.entry(r.currency.clone()).or_insert_with(|| ReceivableTotal {
            currency: r.currency.clone(),
            contracted: 0,
            received: 0,
            outstanding: 0,
            overdue: 0,
        });
        t.contracted += r.contracted;
        t.received += r.received;
        t.outstanding += r.outstanding;
        t.overdue += r.overdue;
    }
    rows.sort_by(|a, b| {
        (b.overdue, b.outstanding)
            .cmp(&(a.overdue, a.outstanding))
            .then(a.customer_id.cmp(&b.customer_id))
            .then(a.currency.cmp(&b.currency))
    });
    let offset = f.offset.max(0) as usize;
    let total_rows = rows.len();
    let mut page: Vec<Receivable> = rows.into_iter().skip(offset).take(REPORT_PAGE as usize).collect();
    let ids: Vec<i64> = page.iter().map(|r| r.customer_id).collect();
    let names: std::collections::HashMap<i64, String> = repo::customer_names(&mut tx, &ids).await?.into_iter().collect();
    for r in &mut page {
        r.customer_name = names.get(&r.customer_id).cloned().unwrap_or_default();
    }
    let next_offset = (offset + page.len() < total_rows).then_some((offset + page.len()) as i64);
    let totals = if f.offset > 0 { Vec::new() } else { totals.into_values().collect() };
    Ok(ReceivablesReport { rows: page, totals, next_offset, today })
}

/// The oldest overdue instalments the user may see (the dashboard list).
pub async fn overdue(db: &Db, user: &CurrentUser, limit: i64) -> AppResult<Vec<OverdueInstalment>> {
    let grant = authorize(user, Entity::Contract, Action::View)?;
    let mut tx = db.read().await?;
    Ok(repo::overdue(&mut tx, &grant, &today(), limit.clamp(1, 100)).await?)
}

/// The background job: for every instalment that became overdue and was not reminded
/// of yet, a planned follow-up call for the contract's owner (else the customer's),
/// linked to the customer and the contract, in the owner's language. Returns how many.
pub async fn remind_overdue(db: &Db, today: &str, now: i64) -> AppResult<usize> {
    #[derive(sqlx::FromRow)]
    struct Due {
        id: i64,
        position: i64,
        due_on: String,
        open: i64,
        contract_id: i64,
        number: String,
        currency: String,
        customer_id: i64,
        customer_name: String,
        owner_id: Option<i64>,
        locale: Option<String>,
    }
    let mut total = 0;
    loop {
        let mut tx = db.write().await?;
        let batch: Vec<Due> =
            sql("SELECT i.id, i.position, i.due_on, i.amount - i.paid AS open, k.id AS contract_id, k.number, k.currency, k.customer_id, \
             c.name AS customer_name, COALESCE(k.owner_id, c.owner_id) AS owner_id, u.locale \
             FROM contract_instalments i JOIN contracts k ON k.id = i.contract_id JOIN customers c ON c.id = k.customer_id \
             LEFT JOIN users u ON u.id = COALESCE(k.owner_id, c.owner_id) \
             WHERE i.paid < i.amount AND i.due_on < $1 AND i.reminded_on IS NULL AND k.status = 'active' AND k.deleted_at IS NULL \
             ORDER BY i.id LIMIT 500")
            .arg_text(today)
            .fetch_all(&mut tx)
            .await?;
        if batch.is_empty() {
            return Ok(total);
        }
        for d in &batch {
            if let Some(owner) = d.owner_id {
                let locale = d.locale.as_deref().and_then(Locale::from_tag).unwrap_or_default();
                let amount = format!("{} {}", d.currency, format_amount(d.open, Currency::from_code(&d.currency).unwrap_or_default()));
                let args = [
                    ("number", d.number.clone()),
                    ("position", d.position.to_string()),
                    ("customer", d.customer_name.clone()),
                    ("amount", amount),
                    ("due", d.due_on.clone()),
                ];
                let v = ValidActivity {
                    kind: ActivityKind::Call,
                    status: ActivityStatus::Planned,
                    subject: tr_args(locale, "contract.reminder_subject", &args),
                    body: Some(tr_args(locale, "contract.reminder_body", &args)),
                    occurred_at: now,
                    contact_id: None,
                };
                let a = crate::activities::repo::insert(&mut tx, &v, owner, now).await?;
                crate::activities::repo::link(&mut tx, a, "customer", d.customer_id).await?;
                crate::activities::repo::link(&mut tx, a, "contract", d.contract_id).await?;
            }
            sql("UPDATE contract_instalments SET reminded_on = $1 WHERE id = $2").arg_text(today).arg_i64(d.id).execute(&mut tx).await?;
        }
        audit::record(
            &mut tx,
            AuditEntry::by(None, "system", "remind").on("contract", 0).summary(format!("overdue reminders: {}", batch.len())),
        )
        .await?;
        tx.commit().await?;
        total += batch.len();
    }
}

/// A customer's outstanding contract balances (the unpaid part of active contracts),
/// converted into `to` with `rates`; `None` when a currency has no rate.
pub async fn outstanding_for(
    tx: &mut Tx,
    customer_id: i64,
    rates: &crate::platform::money::Rates,
    to: Currency,
) -> Result<Option<i64>, sqlx::Error> {
    let rows: Vec<(String, i64)> = sql("SELECT currency, CAST(SUM(amount - paid) AS BIGINT) FROM contracts \
                                         WHERE customer_id = $1 AND status = 'active' AND deleted_at IS NULL GROUP BY currency")
    .arg_i64(customer_id)
    .fetch_all(tx)
    .await?;
    Ok(rows.iter().try_fold(0_i64, |acc, (c, v)| Some(acc + rates.convert(*v, Currency::from_code(c)?, to)?)))
}

/// A customer's transaction summary (C7) within the user's scope for orders and
/// contracts: per currency, confirmed orders, contracts, received, outstanding and
/// overdue; the credit limit and its use; first and last transaction; deals in the last
/// year.
pub async fn customer_summary(db: &Db, user: &CurrentUser, customer_id: i64) -> AppResult<TransactionSummary> {
    let mut tx = db.read().await?;
    customer_in_scope(&mut tx, user, customer_id, Action::View).await?;
    let today = today();
    let year_ago = now_ms() - 365 * 86_400_000;
    let mut by_currency: std::collections::BTreeMap<String, CurrencySummary> = Default::default();
    let mut first: Option<i64> = None;
    let mut last: Option<i64> = None;
    let mut deals = 0;
    let mut seen = |at: Option<i64>| {
        if let Some(at) = at {
            first = Some(first.map_or(at, |f| f.min(at)));
            last = Some(last.map_or(at, |l| l.max(at)));
        }
    };
    if let Ok(grant) = authorize(user, Entity::Order, Action::View) {
        let mut b = sql("SELECT o.currency, COUNT(*), CAST(SUM(o.total) AS BIGINT), MIN(o.created_at), MAX(o.created_at), \
                         CAST(SUM(CASE WHEN o.created_at >= $2 THEN 1 ELSE 0 END) AS BIGINT) FROM orders o WHERE o.customer_id = $1 \
                         AND o.deleted_at IS NULL AND o.status IN ('confirmed', 'partially_shipped', 'shipped')")
        .arg_i64(customer_id)
        .arg_i64(year_ago);
        grant.push_filter(&mut b, "o");
        b.push(" GROUP BY o.currency");
        let rows: Vec<OrderSums> = b.fetch_all(&mut tx).await?;
        for (currency, n, total, min, max, recent) in rows {
            let e = by_currency.entry(currency.clone()).or_insert_with(|| CurrencySummary { currency, ..Default::default() });
            e.orders = n;
            e.ordered = total;
            seen(min);
            seen(max);
            deals += recent;
        }
    }
    if let Ok(grant) = authorize(user, Entity::Contract, Action::View) {
        let mut b = sql(&format!(
            "SELECT k.currency, COUNT(*), CAST(SUM(k.amount) AS BIGINT), CAST(SUM(k.paid) AS BIGINT), \
             CAST(SUM(CASE WHEN k.status = 'active' THEN k.amount - k.paid ELSE 0 END) AS BIGINT), \
             CAST(SUM(CASE WHEN k.status = 'active' THEN {OVERDUE_SUM} ELSE 0 END) AS BIGINT), MIN(k.created_at), MAX(k.created_at), \
             CAST(SUM(CASE WHEN k.created_at >= $3 THEN 1 ELSE 0 END) AS BIGINT), \
             MAX((SELECT MAX(p.created_at) FROM payments p WHERE p.contract_id = k.id AND p.voided_at IS NULL)) \
             FROM contracts k WHERE k.customer_id = $1 AND k.deleted_at IS NULL"
        ))
        .arg_i64(customer_id)
        .arg_text(today.clone())
        .arg_i64(year_ago);
        grant.push_filter(&mut b, "k");
        b.push(" GROUP BY k.currency");
        let rows: Vec<ContractSums> = b.fetch_all(&mut tx).await?;
        for r in rows {
            let e = by_currency.entry(r.0.clone()).or_insert_with(|| CurrencySummary { currency: r.0.clone(), ..Default::default() });
            e.contracts = r.1;
            e.contracted = r.2;
            e.received = r.3;
            e.outstanding = r.4;
            e.overdue = r.5;
            seen(r.6);
            seen(r.7);
            seen(r.9);
            deals += r.8;
        }
    }
    let row: Option<(Option<i64>, Option<String>, Option<String>)> =
        sql("SELECT credit_limit, credit_currency, credit_control FROM customers WHERE id = $1")
            .arg_i64(customer_id)
            .fetch_optional(&mut tx)
            .await?;
    let credit = match row {
        Some((Some(limit), currency, control)) if control.as_deref() != Some("none") => {
            let currency = currency.and_then(|c| Currency::from_code(&c)).unwrap_or_default();
            let rates = crate::finance::service::rates_on(&mut tx, &today).await?;
            let used = crate::orders::service::credit_used(&mut tx, customer_id, 0, currency, &rates).await?;
            Some(CreditUse { limit, currency: currency.code().into(), used })
        }
        _ => None,
    };
    Ok(TransactionSummary { currencies: by_currency.into_values().collect(), credit, first_at: first, last_at: last, deals_12m: deals })
}

/// (currency, orders, total, first, last, in the last year)
type OrderSums = (String, i64, i64, Option<i64>, Option<i64>, i64);

/// (currency, contracts, amount, paid, outstanding, overdue, first, last, in the last year, last payment)
type ContractSums = (String, i64, i64, i64, i64, i64, Option<i64>, Option<i64>, i64, Option<i64>);

/// Open amount of `k`'s instalments due before `$2` (today).
const OVERDUE_SUM: &str = "COALESCE((SELECT SUM(i.amount - i.paid) FROM contract_instalments i \
                           WHERE i.contract_id = k.id AND i.paid < i.amount AND i.due_on < $2), 0)";
