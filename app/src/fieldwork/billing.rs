//! Service billing (V6). A completed, chargeable work order is billed from its service
//! items at the prices the customer agreed to, the parts used on site and the
//! engineer's labour, both priced for the customer today (the customer's price
//! policies: their discount), in the work order's currency. Posting puts the bill in
//! receivables as a contract of kind `service` with one instalment, owned by the
//! customer's account manager, so payments, invoices, overdue reminders and the
//! receivables report treat it like any other receivable. The amounts are always worked
//! out here, never taken from the browser.
use crate::catalog::types::Product;
use crate::fieldwork::repo;
use crate::fieldwork::types::*;
use crate::platform::audit::{self, AuditEntry};
use crate::platform::authz::{authorize, Action, CurrentUser, Entity};
use crate::platform::db::{sql, Db, Tx};
use crate::platform::error::{AppError, AppResult};
use crate::platform::i18n::{tr_args, Locale};
use crate::platform::money::{format_amount, Currency};
use crate::platform::settings;
use crate::platform::time::{date_parts, local_today, now_ms, parse_date_ms};

/// The product labour was last charged with: the next bill's default.
pub const LABOUR_KEY: &str = "service_labour_product";

fn today() -> String {
    let (y, m, d) = local_today();
    format!("{y:04}-{m:02}-{d:02}")
}

/// The work order's live bill, else its latest cancelled one.
pub async fn posted(tx: &mut Tx, work_order_id: i64) -> Result<Option<PostedBill>, sqlx::Error> {
    sql("SELECT k.id AS contract_id, k.number, k.currency, k.amount, k.paid, k.status, \
         (SELECT MIN(i.due_on) FROM contract_instalments i WHERE i.contract_id = k.id) AS due_on \
         FROM contracts k WHERE k.work_order_id = $1 AND k.deleted_at IS NULL \
         ORDER BY CASE WHEN k.status = 'active' THEN 0 ELSE 1 END, k.id DESC LIMIT 1")
    .arg_i64(work_order_id)
    .fetch_optional(tx)
    .await
}

/// The lines a service bill was posted with (none for other contracts).
pub async fn lines(tx: &mut Tx, contract_id: i64) -> Result<Vec<BillLine>, sqlx::Error> {
    sql("SELECT kind, product_id, description, unit, qty_milli, list_price, unit_price, amount FROM service_bill_lines \
         WHERE contract_id = $1 ORDER BY position")
    .arg_i64(contract_id)
    .fetch_all(tx)
    .await
}

/// Whether `w` may be billed now by someone who may edit it.
pub fn billable(w: &WorkOrder, bill: Option<&PostedBill>) -> bool {
    w.status == "completed" && w.chargeable && bill.is_none_or(|b| b.status != "active")
}

async fn labour_products(tx: &mut Tx) -> Result<Vec<WorkProduct>, sqlx::Error> {
    Ok(repo::products(tx).await?.into_iter().filter(|p| p.kind == "service").collect())
}

async fn product(tx: &mut Tx, id: i64, field: &str) -> AppResult<Product> {
    crate::catalog::repo::get(tx, id, true).await?.ok_or_else(|| AppError::validation(field, "validation.invalid_choice"))
}

/// One line priced for the customer today; the list price comes along for the discount.
async fn priced(tx: &mut Tx, user: &CurrentUser, w: &WorkOrder, kind: &str, p: &Product, qty_milli: i64) -> AppResult<BillLine> {
    let currency = Currency::from_code(&w.currency).unwrap_or_default();
    let field = if kind == "labour" { "labour_product_id" } else { "lines" };
    let q = crate::catalog::service::price(tx, user, p, Some(w.customer_id), qty_milli, &today(), currency).await.map_err(|e| match e {
        AppError::Validation(_) => AppError::validation(field, "validation.no_rate"),
        e => e,
    })?;
    Ok(BillLine {
        kind: kind.into(),
        product_id: p.id,
        description: p.name.clone(),
        unit: p.unit.clone(),
        qty_milli,
        list_price: q.list_price,
        unit_price: q.unit_price,
        amount: q.line_total,
    })
}

/// The bill's lines: agreed items, parts used (one line per product), labour.
async fn compute(tx: &mut Tx, user: &CurrentUser, w: &WorkOrder, labour: Option<i64>) -> AppResult<BillDraft> {
    let mut lines = Vec::new();
    for item in repo::items(tx, w.id).await? {
        let p = product(tx, item.product_id, "lines").await?;
        let mut line = priced(tx, user, w, "item", &p, item.qty_milli).await?;
        // What the customer agreed to when the work order was confirmed.
        (line.description, line.unit_price, line.amount) = (item.description, item.unit_price, item.amount);
        lines.push(line);
    }
    let parts: Vec<(i64, i64)> = sql("SELECT product_id, CAST(SUM(qty_milli) AS BIGINT) FROM work_order_parts WHERE work_order_id = $1 \
                                      GROUP BY product_id ORDER BY MIN(id)")
    .arg_i64(w.id)
    .fetch_all(&mut *tx)
    .await?;
    for (product_id, qty) in parts {
        let p = product(tx, product_id, "lines").await?;
        lines.push(priced(tx, user, w, "part", &p, qty).await?);
    }
    let minutes: Option<(Option<i64>,)> =
        sql("SELECT labour_minutes FROM work_orders WHERE id = $1").arg_i64(w.id).fetch_optional(&mut *tx).await?;
    let minutes = minutes.and_then(|m| m.0).filter(|m| *m > 0);
    let labour_products = labour_products(tx).await?;
    let labour = labour.filter(|id| labour_products.iter().any(|p| p.id == *id));
    if let (Some(m), Some(id)) = (minutes, labour) {
        let p = product(tx, id, "labour_product_id").await?;
        lines.push(priced(tx, user, w, "labour", &p, labour_qty_milli(m)).await?);
    }
    let mut draft = BillDraft::from_lines(w.currency.clone(), lines);
    draft.labour_minutes = minutes;
    draft.labour_product_id = labour;
    draft.labour_products = labour_products;
    Ok(draft)
}

async fn load(tx: &mut Tx, user: &CurrentUser, id: i64) -> AppResult<WorkOrder> {
    let grant = authorize(user, Entity::WorkOrder, Action::Edit)?;
    repo::get(tx, &grant, id).await?.ok_or(AppError::NotFound)
}

/// The bill a completed work order would be posted with now. `labour`: `None` for the
/// last used labour product, `Some(0)` for no labour charge, else that product.
pub async fn draft(db: &Db, user: &CurrentUser, id: i64, labour: Option<i64>) -> AppResult<BillDraft> {
    let mut tx = db.read().await?;
    let w = load(&mut tx, user, id).await?;
    if w.status != "completed" {
        return Err(AppError::validation("lines", "work.bill_not_completed"));
    }
    let labour = match labour {
        Some(0) => None,
        Some(p) => Some(p),
        None => settings::get_text(&mut tx, LABOUR_KEY).await?.and_then(|v| v.parse().ok()),
    };
    compute(&mut tx, user, &w, labour).await
}

/// Posts the bill to receivables: a service contract with one instalment due in
/// `due_days`. Refused unless the work order is completed and chargeable and has no live
/// bill; version-checked on the work order, so two people cannot bill it twice. Returns
/// the receivable's (contract's) id.
pub async fn post(db: &Db, user: &CurrentUser, id: i64, version: i64, input: &BillInput) -> AppResult<i64> {
    let (labour, due_days, note) = input.validate().map_err(AppError::Validation)?;
    let mut tx = db.write().await?;
    let w = load(&mut tx, user, id).await?;
    if w.version != version {
        return Err(AppError::Conflict);
    }
    if w.status != "completed" {
        return Err(AppError::validation("lines", "work.bill_not_completed"));
    }
    if !w.chargeable {
        return Err(AppError::validation("lines", "work.bill_not_chargeable"));
    }
    if posted(&mut tx, id).await?.is_some_and(|b| b.status == "active") {
        return Err(AppError::validation("lines", "work.bill_exists"));
    }
    let draft = compute(&mut tx, user, &w, labour).await?;
    if labour.is_some() && draft.labour_product_id.is_none() {
        return Err(AppError::validation("labour_product_id", "validation.invalid_choice"));
    }
    if draft.total <= 0 {
        return Err(AppError::validation("lines", "work.bill_empty"));
    }
    let now = now_ms();
    if !repo::finish(&mut tx, repo::update(user.id, now), id, version).await? {
        return Err(AppError::Conflict);
    }
    let today = today();
    let (y, m, d) = local_today();
    let due_on = {
        let (y, m, d) = date_parts(parse_date_ms(&today, 0).unwrap_or_default() + due_days * 86_400_000);
        format!("{y:04}-{m:02}-{d:02}")
    };
    let number = crate::platform::numbering::next_number(&mut tx, "service_bill", (y, m, d)).await?;
    // The customer's account manager collects, as for their contracts.
    let owner: Option<(Option<i64>, Option<i64>)> =
        sql("SELECT c.owner_id, u.department_id FROM customers c LEFT JOIN users u ON u.id = c.owner_id WHERE c.id = $1")
            .arg_i64(w.customer_id)
            .fetch_optional(&mut tx)
            .await?;
    let (owner, department) = match owner {
        Some((Some(o), dept)) => (o, dept),
        _ => (user.id, user.department_id),
    };
    let locale = user.locale.unwrap_or(Locale::ZhCn);
    let title: String = tr_args(locale, "work.bill_title", &[("number", w.number.clone())]).chars().take(200).collect();
    let contract_id = sql(
        "INSERT INTO contracts (number, customer_id, title, currency, amount, signed_on, starts_on, ends_on, terms, owner_id, department_id, \
         kind, work_order_id, created_at, created_by, updated_at, updated_by) \
         VALUES ($1, $2, $3, $4, $5, $6, $6, $7, $8, $9, $10, 'service', $11, $12, $13, $12, $13) RETURNING id",
    )
    .arg_text(number.clone())
    .arg_i64(w.customer_id)
    .arg_text(title)
    .arg_text(w.currency.clone())
    .arg_i64(draft.total)
    .arg_text(today.clone())
    .arg_text(due_on.clone())
    .arg_text(note)
    .arg_i64(owner)
    .arg_opt_i64(department)
    .arg_i64(id)
    .arg_i64(now)
    .arg_i64(user.id)
    .fetch_i64(&mut tx)
    .await?;
    sql("INSERT INTO contract_instalments (contract_id, position, due_on, amount) VALUES ($1, 1, $2, $3)")
        .arg_i64(contract_id)
        .arg_text(due_on)
        .arg_i64(draft.total)
        .execute(&mut tx)
        .await?;
    for (n, l) in draft.lines.iter().enumerate() {
        sql("INSERT INTO service_bill_lines (contract_id, position, kind, product_id, description, unit, qty_milli, list_price, \
             unit_price, amount) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)")
        .arg_i64(contract_id)
        .arg_i64(n as i64 + 1)
        .arg_text(l.kind.clone())
        .arg_i64(l.product_id)
        .arg_text(l.description.clone())
        .arg_text(l.unit.clone())
        .arg_i64(l.qty_milli)
        .arg_i64(l.list_price)
        .arg_i64(l.unit_price)
        .arg_i64(l.amount)
        .execute(&mut tx)
        .await?;
    }
    if let Some(p) = labour {
        settings::set(&mut tx, LABOUR_KEY, &p.to_string(), Some(user.id), now).await?;
    }
    crate::activities::repo::touch_customer(&mut tx, w.customer_id, now).await?;
    let currency = Currency::from_code(&w.currency).unwrap_or_default();
    audit::record(
        &mut tx,
        AuditEntry::by(Some(user.id), &user.display_name, "create").on("contract", contract_id).summary(format!(
            "{number} service bill for {} {} {} ({} lines)",
            w.number,
            w.currency,
            format_amount(draft.total, currency),
            draft.lines.len()
        )),
    )
    .await?;
    tx.commit().await?;
    Ok(contract_id)
}

/// A service bill as a printable document in `locale`, for whoever may see the
/// receivable; printing is audited like an export.
#[tracing::instrument(skip(db, user, meta), fields(user = user.id))]
pub async fn print(
    db: &Db,
    user: &CurrentUser,
    contract_id: i64,
    locale: Locale,
    meta: &crate::platform::request::RequestMeta,
) -> AppResult<crate::platform::print::Document> {
    let mut tx = db.write().await?;
    let grant = authorize(user, Entity::Contract, Action::View)?;
    let k = crate::contracts::repo::get(&mut tx, &grant, &today(), contract_id).await?.ok_or(AppError::NotFound)?;
    let d = document(&mut tx, &k, locale, &user.display_name).await?;
    audit::record(
        &mut tx,
        AuditEntry::with_meta(meta, Some(user.id), &user.display_name, "export")
            .on("contract", contract_id)
            .summary(format!("PDF {}", k.number)),
    )
    .await?;
    tx.commit().await?;
    Ok(d)
}

/// The customer's service bills for their request `request_id`, as the portal lists them.
pub async fn for_request(tx: &mut Tx, customer_id: i64, request_id: i64) -> Result<Vec<PostedBill>, sqlx::Error> {
    sql("SELECT k.id AS contract_id, k.number, k.currency, k.amount, k.paid, k.status, k.ends_on AS due_on          FROM contracts k JOIN work_orders w ON w.id = k.work_order_id          WHERE w.request_id = $1 AND k.customer_id = $2 AND k.kind = 'service' AND k.deleted_at IS NULL ORDER BY k.id")
    .arg_i64(request_id)
    .arg_i64(customer_id)
    .fetch_all(tx)
    .await
}

/// One of the customer's own service bills, printed from the portal (`printed_by` names
/// the portal login on the footer). Another customer's, or a sales contract, is not found.
pub async fn print_for_customer(
    tx: &mut Tx,
    customer_id: i64,
    contract_id: i64,
    locale: Locale,
    printed_by: &str,
) -> AppResult<crate::platform::print::Document> {
    let k = crate::contracts::repo::get_for_customer(tx, &today(), contract_id, customer_id).await?.ok_or(AppError::NotFound)?;
    document(tx, &k, locale, printed_by).await
}

/// The bill for the customer: the company as letterhead, the customer, the work order
/// and request it bills, the lines (kind, quantity, list and charged price), the
/// customer's discount, what has been paid and what is still open (with the amount in
/// capitals for CNY in Chinese), the work done and who signed for it. A cancelled bill
/// carries that as a stamp, a settled one too. Not a service bill: not found.
async fn document(
    tx: &mut Tx,
    k: &crate::contracts::types::Contract,
    locale: Locale,
    printed_by: &str,
) -> AppResult<crate::platform::print::Document> {
    use crate::catalog::types::format_qty;
    use crate::platform::i18n::tr;
    use crate::platform::print::{amount_in_chinese, customer_party, Document, Field, Letterhead};
    let Some(work_order_id) = k.work_order_id.filter(|_| k.kind == "service") else {
        return Err(AppError::NotFound);
    };
    let lines = lines(tx, k.id).await?;
    type Site = (String, String, String, Option<String>, Option<String>, Option<i64>, Option<String>);
    let (order, request, subject, resolution, signed_by, completed_at, engineer): Site =
        sql("SELECT w.number, r.number, r.subject, w.resolution, w.signed_by, w.completed_at, u.display_name \
         FROM work_orders w JOIN service_requests r ON r.id = w.request_id LEFT JOIN users u ON u.id = w.owner_id WHERE w.id = $1")
        .arg_i64(work_order_id)
        .fetch_one(&mut *tx)
        .await?;
    let (company, _) = crate::finance::service::company_profile(tx).await?;
    let party = customer_party(tx, k.customer_id, locale).await?;

    let t = |key: &str| tr(locale, key);
    let cur = Currency::from_code(&k.currency).unwrap_or_default();
    let money = |minor: i64| format_amount(minor, cur);
    let tz = crate::account::api::tz_offset_minutes();
    let mut d = Document::for_locale(locale);
    d.title = t("print.service_bill_title");
    d.number = k.number.clone();
    d.letterhead = Letterhead::from_profile(&company, locale);
    d.meta = vec![
        Field::new(t("print.bill_date"), &k.signed_on),
        Field::new(t("contract.due_on"), &k.ends_on),
        Field::new(t("work.title"), &order),
        Field::new(t("work.request"), format!("{request} {subject}")),
    ];
    if let Some(e) = engineer {
        d.meta.push(Field::new(t("work.engineer"), e));
    }
    d.meta.push(Field::new(t("print.currency"), cur.code()));
    if let Some(owner) = &k.owner_name {
        d.meta.push(Field::new(t("print.contact_person"), owner));
    }
    d.party_label = t("quote.customer");
    d.party = party;
    d.columns =
        vec!["#".into(), t("work.item"), t("print.bill_kind"), t("work.qty"), t("work.list_price"), t("work.unit_price"), t("work.amount")];
    d.figures_from = 3;
    d.rows = lines
        .iter()
        .enumerate()
        .map(|(i, l)| {
            vec![
                (i + 1).to_string(),
                l.description.clone(),
                t(&format!("work.bill_kind.{}", l.kind)),
                format!("{} {}", format_qty(l.qty_milli), l.unit).trim().to_string(),
                money(l.list_price),
                money(l.unit_price),
                money(l.amount),
            ]
        })
        .collect();
    let bill = BillDraft::from_lines(k.currency.clone(), lines);
    if bill.discount > 0 {
        d.totals.push(Field::new(t("print.list_total"), money(bill.total + bill.discount)));
        d.totals.push(Field::new(t("work.bill_discount"), money(-bill.discount)));
    }
    d.totals.push(Field::new(t("work.total"), format!("{} {}", cur.code(), money(k.amount))));
    if k.paid > 0 {
        d.totals.push(Field::new(t("print.paid"), money(k.paid)));
        d.totals.push(Field::new(t("contract.outstanding"), money(k.amount - k.paid)));
    }
    if cur == Currency::Cny && locale != Locale::En {
        d.amount_words = Some(Field::new(t("print.amount_in_words"), amount_in_chinese(k.amount, locale == Locale::ZhTw)));
    }
    if let Some(r) = resolution.filter(|r| !r.trim().is_empty()) {
        d.sections.push(Field::new(t("field.resolution"), r.trim()));
    }
    if let Some(who) = signed_by {
        let when = completed_at.map(|at| crate::platform::time::format_ms(at, tz)).unwrap_or_default();
        d.sections.push(Field::new(t("print.signed_for"), format!("{who} {when}").trim()));
    }
    if !k.terms.trim().is_empty() {
        d.sections.push(Field::new(t("work.bill_note"), k.terms.trim()));
    }
    d.stamp = if k.status != "active" {
        Some(t("work.bill_state.cancelled"))
    } else if k.paid >= k.amount {
        Some(t("work.bill_state.paid"))
    } else {
        None
    };
    d.footer = format!("{} · {} · {}", k.number, printed_by, crate::platform::time::format_ms(now_ms(), tz));
    Ok(d)
}
