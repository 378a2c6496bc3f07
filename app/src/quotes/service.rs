//! Quote rules: a quote belongs to the user who made it (data scope by owner and
//! department), is for a customer the user can see, prices its product lines with the
//! catalog's precedence rule in the quote's currency at the quote date's rates, and is
//! numbered once; revisions keep the number. Editing only in draft or after a refusal;
//! a discount past the company limit needs approval from someone whose scope reaches
//! the quote. Every change is audited.
use crate::catalog::service as catalog;
use crate::customers::service::customer_in_scope;
use crate::platform::audit::{self, AuditEntry};
use crate::platform::authz::{authorize, Action, CurrentUser, Entity, Scope};
use crate::platform::db::{Db, Tx};
use crate::platform::error::{AppError, AppResult};
use crate::platform::time::{local_today, now_ms, parse_date_ms};
use crate::quotes::repo::{self, Header};
use crate::quotes::types::*;

const PAGE: i64 = 50;
pub const APPROVAL_KEY: &str = "quote_approval_bp";

pub(crate) fn iso((y, m, d): (i64, i64, i64)) -> String {
    format!("{y:04}-{m:02}-{d:02}")
}

pub(crate) fn date_parts(s: &str) -> (i64, i64, i64) {
    parse_date_ms(s, 0).map(crate::platform::time::date_parts).unwrap_or_else(local_today)
}

pub async fn approval_bp(tx: &mut Tx) -> Result<i64, sqlx::Error> {
    crate::platform::settings::get_i64(tx, APPROVAL_KEY, DEFAULT_APPROVAL_BP).await
}

/// Prices every line and works out the totals, as the quote will be saved.
pub(crate) async fn price_lines(tx: &mut Tx, user: &CurrentUser, v: &ValidQuote, date: &str) -> AppResult<(Vec<QuoteLine>, Totals)> {
    let mut lines = Vec::with_capacity(v.lines.len());
    for (i, l) in v.lines.iter().enumerate() {
        let (priced_unit, policy, tax_rate_bp) = match l.product_id {
            Some(pid) => {
                let product = crate::catalog::repo::get(tx, pid, false)
                    .await?
                    .ok_or_else(|| AppError::validation(&format!("lines.{i}.name"), "validation.invalid_choice"))?;
                let q =
                    catalog::price(tx, user, &product, Some(v.customer_id), l.qty_milli, date, v.currency).await.map_err(|e| match e {
                        AppError::Validation(_) => AppError::validation(&format!("lines.{i}.unit_price"), "validation.no_rate"),
                        e => e,
                    })?;
                (q.unit_price, q.policy, l.tax_rate_bp.unwrap_or(product.tax_rate_bp))
            }
            None => (l.unit_price.unwrap_or(0), None, l.tax_rate_bp.unwrap_or(0)),
        };
        lines.push(QuoteLine {
            id: 0,
            quote_id: 0,
            position: i as i64 + 1,
            product_id: l.product_id,
            name: l.name.clone(),
            unit: l.unit.clone(),
            qty_milli: l.qty_milli,
            priced_unit,
            policy_id: policy.as_ref().map(|p| p.id),
            policy_name: policy.map(|p| if p.name.is_empty() { p.target } else { p.name }),
            unit_price: l.unit_price.unwrap_or(priced_unit),
            discount_bp: l.discount_bp,
            tax_rate_bp,
            amount: 0,
            net: 0,
            tax: 0,
        });
    }
    let figures: Vec<LineFigures> = lines
        .iter()
        .map(|l| LineFigures {
            qty_milli: l.qty_milli,
            priced_unit: l.priced_unit,
            unit_price: l.unit_price,
            discount_bp: l.discount_bp,
            tax_rate_bp: l.tax_rate_bp,
        })
        .collect();
    let totals = totals(&figures, v.discount_bp);
    for (l, t) in lines.iter_mut().zip(&totals.lines) {
        (l.amount, l.net, l.tax) = (t.amount, t.net, t.tax);
    }
    Ok((lines, totals))
}

/// The customer must be one the user can see; the opportunity one of that customer's.
pub(crate) async fn check_links(tx: &mut Tx, user: &CurrentUser, v: &ValidQuote) -> AppResult<()> {
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
    }
    Ok(())
}

pub(crate) fn dates(v: &ValidQuote) -> (String, String) {
    let quote_date = v.quote_date.clone().unwrap_or_else(|| iso(local_today()));
    let valid_until = v.valid_until.clone().unwrap_or_else(|| {
        let ms = parse_date_ms(&quote_date, 0).unwrap_or(0) + 30 * 86_400_000;
        iso(crate::platform::time::date_parts(ms))
    });
    (quote_date, valid_until)
}

#[tracing::instrument(skip(db, user, input), fields(user = user.id))]
pub async fn create(db: &Db, user: &CurrentUser, input: &QuoteInput) -> AppResult<i64> {
    authorize(user, Entity::Quote, Action::Create)?;
    let v = input.validate().map_err(AppError::Validation)?;
    let mut tx = db.write().await?;
    check_links(&mut tx, user, &v).await?;
    let (quote_date, valid_until) = dates(&v);
    let (lines, totals) = price_lines(&mut tx, user, &v, &quote_date).await?;
    let number = crate::platform::numbering::next_number(&mut tx, "quote", date_parts(&quote_date)).await?;
    let h = Header { q: &v, quote_date: &quote_date, valid_until: &valid_until, totals: &totals };
    let id = repo::insert(&mut tx, &h, &number, 1, None, (user.id, user.department_id), user.id, now_ms()).await?;
    repo::replace_lines(&mut tx, id, &lines).await?;
    audit::record(
        &mut tx,
        AuditEntry::by(Some(user.id), &user.display_name, "create").on("quote", id).summary(format!("{number} {}", v.title)).after(&v),
    )
    .await?;
    tx.commit().await?;
    Ok(id)
}

pub(crate) async fn load(tx: &mut Tx, user: &CurrentUser, id: i64, action: Action) -> AppResult<Quote> {
    let grant = authorize(user, Entity::Quote, action)?;
    repo::get(tx, &grant, id).await?.ok_or(AppError::NotFound)
}

#[tracing::instrument(skip(db, user, input), fields(user = user.id))]
pub async fn update(db: &Db, user: &CurrentUser, id: i64, version: i64, input: &QuoteInput) -> AppResult<()> {
    let v = input.validate().map_err(AppError::Validation)?;
    let mut tx = db.write().await?;
    let before = load(&mut tx, user, id, Action::Edit).await?;
    if before.version != version {
        return Err(AppError::Conflict);
    }
    if !before.status().editable() {
        return Err(AppError::validation("status", "quote.not_editable"));
    }
    check_links(&mut tx, user, &v).await?;
    let (quote_date, valid_until) = dates(&v);
    let (lines, totals) = price_lines(&mut tx, user, &v, &quote_date).await?;
    let before_lines = repo::lines(&mut tx, id).await?;
    let h = Header { q: &v, quote_date: &quote_date, valid_until: &valid_until, totals: &totals };
    if !repo::update(&mut tx, id, version, &h, user.id, now_ms()).await? {
        return Err(AppError::Conflict);
    }
    repo::replace_lines(&mut tx, id, &lines).await?;
    let before_input =
        QuoteDetail { lines: before_lines, quote: before.clone(), revisions: vec![], approval_bp: 0, can_edit: false, can_approve: false };
    audit::record(
        &mut tx,
        AuditEntry::by(Some(user.id), &user.display_name, "update")
            .on("quote", id)
            .summary(before.label())
            .before(before_input.to_input())
            .after(&v),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

pub async fn get(db: &Db, user: &CurrentUser, id: i64) -> AppResult<QuoteDetail> {
    let mut tx = db.read().await?;
    let quote = load(&mut tx, user, id, Action::View).await?;
    let lines = repo::lines(&mut tx, id).await?;
    let revisions = repo::revisions(&mut tx, quote.root_id.unwrap_or(quote.id)).await?;
    let can_edit = load(&mut tx, user, id, Action::Edit).await.is_ok();
    let can_approve = load(&mut tx, user, id, Action::Approve).await.is_ok();
    let approval_bp = approval_bp(&mut tx).await?;
    Ok(QuoteDetail { quote, lines, revisions, approval_bp, can_edit, can_approve })
}

pub async fn list(db: &Db, user: &CurrentUser, f: &QuoteFilter) -> AppResult<QuotePage> {
    let grant = authorize(user, Entity::Quote, Action::View)?;
    let mut tx = db.read().await?;
    let mut rows = repo::list(&mut tx, &grant, f, PAGE + 1).await?;
    let next = (rows.len() as i64 > PAGE).then(|| {
        rows.truncate(PAGE as usize);
        rows.last().map(|r| (r.updated_at, r.id))
    });
    Ok(QuotePage { rows, next: next.flatten() })
}

/// Moves a quote along its flow. Approving and rejecting need Approve over the quote
/// and a note when rejecting; the rest need Edit.
#[tracing::instrument(skip(db, user, note), fields(user = user.id))]
pub async fn step(db: &Db, user: &CurrentUser, id: i64, version: i64, step: QuoteStep, note: &str) -> AppResult<QuoteStatus> {
    let note = note.trim();
    if note.chars().count() > 500 {
        return Err(AppError::validation("note", "validation.too_long"));
    }
    let deciding = matches!(step, QuoteStep::Approve | QuoteStep::Reject);
    if step == QuoteStep::Reject && note.is_empty() {
        return Err(AppError::validation("note", "validation.required"));
    }
    let mut tx = db.write().await?;
    let q = load(&mut tx, user, id, if deciding { Action::Approve } else { Action::Edit }).await?;
    if q.version != version {
        return Err(AppError::Conflict);
    }
    // Nobody approves their own quote, unless they approve every quote (an administrator).
    if deciding && q.owner_id == Some(user.id) && user.permissions.scope(Entity::Quote, Action::Approve) != Some(Scope::All) {
        return Err(AppError::validation("note", "quote.own_approval"));
    }
    let limit = approval_bp(&mut tx).await?;
    let to =
        step.next(q.status(), q.effective_discount_bp > limit).ok_or_else(|| AppError::validation("status", "quote.step_not_allowed"))?;
    let decision = deciding.then_some((note, user.id));
    if !repo::set_status(&mut tx, id, version, to, decision, user.id, now_ms()).await? {
        return Err(AppError::Conflict);
    }
    audit::record(
        &mut tx,
        AuditEntry::by(Some(user.id), &user.display_name, "update").on("quote", id).summary(format!(
            "{} {} → {}{}",
            q.label(),
            q.status,
            to.code(),
            if note.is_empty() { String::new() } else { format!(" · {note}") }
        )),
    )
    .await?;
    tx.commit().await?;
    Ok(to)
}

/// Starts a new revision from a quote: same number, next revision, a copy of its lines
/// in draft; the revision it replaces is kept as superseded.
#[tracing::instrument(skip(db, user), fields(user = user.id))]
pub async fn revise(db: &Db, user: &CurrentUser, id: i64, version: i64) -> AppResult<i64> {
    let mut tx = db.write().await?;
    let q = load(&mut tx, user, id, Action::Edit).await?;
    if q.version != version {
        return Err(AppError::Conflict);
    }
    if !q.status().revisable() {
        return Err(AppError::validation("status", "quote.step_not_allowed"));
    }
    let root = q.root_id.unwrap_or(q.id);
    let latest = repo::revisions(&mut tx, root).await?.first().map(|r| r.revision).unwrap_or(q.revision);
    let lines = repo::lines(&mut tx, id).await?;
    let detail =
        QuoteDetail { quote: q.clone(), lines: lines.clone(), revisions: vec![], approval_bp: 0, can_edit: false, can_approve: false };
    let v = detail.to_input().validate().map_err(AppError::Validation)?;
    let totals = Totals {
        subtotal: q.subtotal,
        discount_total: q.discount_total,
        tax_total: q.tax_total,
        total: q.total,
        effective_discount_bp: q.effective_discount_bp,
        lines: vec![],
    };
    let h = Header { q: &v, quote_date: &q.quote_date, valid_until: &q.valid_until, totals: &totals };
    let now = now_ms();
    let new_id = repo::insert(&mut tx, &h, &q.number, latest + 1, Some(root), (user.id, user.department_id), user.id, now).await?;
    repo::replace_lines(&mut tx, new_id, &lines).await?;
    if !repo::set_status(&mut tx, id, version, QuoteStatus::Superseded, None, user.id, now).await? {
        return Err(AppError::Conflict);
    }
    audit::record(
        &mut tx,
        AuditEntry::by(Some(user.id), &user.display_name, "create").on("quote", new_id).summary(format!("{} R{}", q.number, latest + 1)),
    )
    .await?;
    tx.commit().await?;
    Ok(new_id)
}

/// Changes the discount above which quotes need approval.
pub async fn set_approval_bp(db: &Db, user: &CurrentUser, percent: &str) -> AppResult<()> {
    authorize(user, Entity::Setting, Action::Edit)?;
    let bp = crate::catalog::types::parse_rate_bp(percent)
        .filter(|bp| *bp <= 10_000)
        .ok_or_else(|| AppError::validation("approval", "validation.percent"))?;
    let mut tx = db.write().await?;
    let before = approval_bp(&mut tx).await?;
    crate::platform::settings::set(&mut tx, APPROVAL_KEY, &bp.to_string(), Some(user.id), now_ms()).await?;
    audit::record(
        &mut tx,
        AuditEntry::by(Some(user.id), &user.display_name, "update").on("setting", 0).summary(format!("{APPROVAL_KEY}: {before} → {bp}")),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// The discount limit as the settings page shows it.
pub async fn approval_setting(db: &Db, user: &CurrentUser) -> AppResult<i64> {
    authorize(user, Entity::Setting, Action::View)?;
    let mut tx = db.read().await?;
    Ok(approval_bp(&mut tx).await?)
}

/// The quote as a printable document in `locale`: the company profile as letterhead,
/// the customer, the lines as quoted, totals (with the amount in capitals for CNY in
/// Chinese) and the terms. Internal notes stay off it. A quote that is not yet final
/// carries its status as a stamp. Printing is audited like an export.
#[tracing::instrument(skip(db, user, meta), fields(user = user.id))]
pub async fn print(
    db: &Db,
    user: &CurrentUser,
    id: i64,
    locale: crate::platform::i18n::Locale,
    meta: &crate::platform::request::RequestMeta,
) -> AppResult<crate::platform::print::Document> {
    use crate::catalog::types::{format_qty, format_rate_bp};
    use crate::platform::i18n::{tr, Locale};
    use crate::platform::money::format_amount;
    use crate::platform::print::{amount_in_chinese, Document, Field, Letterhead};
    let mut tx = db.write().await?;
    let q = load(&mut tx, user, id, Action::View).await?;
    let lines = repo::lines(&mut tx, id).await?;
    let (company, _) = crate::finance::service::company_profile(&mut tx).await?;
    let party = crate::platform::print::customer_party(&mut tx, q.customer_id, locale).await?;
    audit::record(
        &mut tx,
        AuditEntry::with_meta(meta, Some(user.id), &user.display_name, "export").on("quote", id).summary(format!("PDF {}", q.label())),
    )
    .await?;
    tx.commit().await?;

    let t = |key: &str| tr(locale, key);
    let cur = q.currency();
    let money = |minor: i64| format_amount(minor, cur);
    let mut d = Document::for_locale(locale);
    d.title = t("print.quote_title");
    d.number = q.label();
    d.letterhead = Letterhead::from_profile(&company, locale);
    d.meta = vec![
        Field::new(t("quote.date"), &q.quote_date),
        Field::new(t("quote.valid_until"), &q.valid_until),
        Field::new(t("print.currency"), cur.code()),
    ];
    if let Some(owner) = &q.owner_name {
        d.meta.push(Field::new(t("print.contact_person"), owner));
    }
    if !q.title.is_empty() {
        d.meta.insert(0, Field::new(t("quote.title"), &q.title));
    }
    d.party_label = t("quote.customer");
    d.party = party;
    d.columns = vec![
        "#".into(),
        t("quote.line.name"),
        t("price_check.qty"),
        t("quote.line.unit_price"),
        t("quote.line.discount"),
        t("print.tax_rate"),
        t("quote.line.amount"),
    ];
    d.figures_from = 2;
    d.rows = lines
        .iter()
        .enumerate()
        .map(|(i, l)| {
            vec![
                (i + 1).to_string(),
                l.name.clone(),
                format!("{} {}", format_qty(l.qty_milli), l.unit).trim().to_string(),
                money(l.unit_price),
                if l.discount_bp > 0 { format!("{} %", format_rate_bp(l.discount_bp)) } else { String::new() },
                format!("{} %", format_rate_bp(l.tax_rate_bp)),
                money(l.amount),
            ]
        })
        .collect();
    d.totals = vec![Field::new(t("quote.subtotal"), money(q.subtotal))];
    if q.discount_total != 0 {
        d.totals.push(Field::new(tr_discount(locale, q.discount_bp), money(-q.discount_total)));
    }
    d.totals.push(Field::new(t("quote.tax_total"), money(q.tax_total)));
    d.totals.push(Field::new(t("quote.total"), format!("{} {}", cur.code(), money(q.total))));
    if cur == crate::platform::money::Currency::Cny && locale != Locale::En {
        d.amount_words = Some(Field::new(t("print.amount_in_words"), amount_in_chinese(q.total, locale == Locale::ZhTw)));
    }
    if !q.terms.trim().is_empty() {
        d.sections.push(Field::new(t("quote.terms"), q.terms.trim()));
    }
    d.stamp = match q.status() {
        QuoteStatus::Approved | QuoteStatus::Sent | QuoteStatus::Accepted => None,
        s => Some(t(&format!("quote.status.{}", s.code()))),
    };
    let printed = crate::platform::time::format_ms(now_ms(), crate::account::api::tz_offset_minutes());
    d.footer = format!("{} · {} · {}", q.label(), user.display_name, printed);
    Ok(d)
}

fn tr_discount(locale: crate::platform::i18n::Locale, bp: i64) -> String {
    crate::platform::i18n::tr_args(locale, "quote.discount_pct", &[("pct", crate::catalog::types::format_rate_bp(bp))])
}
