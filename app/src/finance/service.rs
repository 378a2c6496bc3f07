//! Base currency, exchange rates and numbering rules: read by everyone who prices or
//! numbers documents, changed by those who may edit settings, every change audited.
use crate::finance::types::*;
use crate::platform::audit::{self, AuditEntry};
use crate::platform::authz::{authorize, Action, CurrentUser, Entity};
use crate::platform::db::{sql, Db, Tx};
use crate::platform::error::{AppError, AppResult};
use crate::platform::money::{format_rate_micro, Currency, Rates};
use crate::platform::numbering::{self, NumberingInput, DOC_KINDS};
use crate::platform::settings;
use crate::platform::time::{local_today, now_ms};

const BASE_KEY: &str = "base_currency";

pub async fn base_currency(tx: &mut Tx) -> Result<Currency, sqlx::Error> {
    Ok(settings::get_text(tx, BASE_KEY).await?.and_then(|c| Currency::from_code(&c)).unwrap_or_default())
}

/// The rates in force on `date` (`YYYY-MM-DD`): each currency's latest rate on or before it.
pub async fn rates_on(tx: &mut Tx, date: &str) -> Result<Rates, sqlx::Error> {
    let base = base_currency(tx).await?;
    let rows: Vec<(String, i64)> = sql("SELECT r.currency, r.rate_micro FROM exchange_rates r \
                                        WHERE r.rate_date = (SELECT MAX(r2.rate_date) FROM exchange_rates r2 \
                                                             WHERE r2.currency = r.currency AND r2.rate_date <= $1)")
    .arg_text(date)
    .fetch_all(tx)
    .await?;
    let micro = rows.into_iter().filter_map(|(c, r)| Some((Currency::from_code(&c)?, r))).filter(|(c, _)| *c != base).collect();
    Ok(Rates { base, micro })
}

pub async fn list_rates(db: &Db, user: &CurrentUser) -> AppResult<RatesPage> {
    authorize(user, Entity::Setting, Action::View)?;
    let mut tx = db.read().await?;
    let base = base_currency(&mut tx).await?;
    let rates = sql("SELECT id, currency, rate_date, rate_micro FROM exchange_rates ORDER BY rate_date DESC, currency LIMIT 500")
        .fetch_all(&mut tx)
        .await?;
    Ok(RatesPage { base: base.code().into(), rates, can_edit: user.permissions.can(Entity::Setting, Action::Edit) })
}

/// Adds a rate. A currency has one rate per date: to change it, delete it and add it again,
/// so two people never overwrite each other's rate without seeing it.
pub async fn add_rate(db: &Db, user: &CurrentUser, input: &RateInput) -> AppResult<i64> {
    authorize(user, Entity::Setting, Action::Edit)?;
    let mut tx = db.write().await?;
    let base = base_currency(&mut tx).await?;
    let (currency, date, rate) = input.validate(base).map_err(AppError::Validation)?;
    let taken = sql("SELECT COUNT(*) FROM exchange_rates WHERE currency = $1 AND rate_date = $2")
        .arg_text(currency.code())
        .arg_text(date.clone())
        .fetch_i64(&mut tx)
        .await?;
    if taken > 0 {
        return Err(AppError::validation("rate_date", "validation.rate_exists"));
    }
    let id = sql(
        "INSERT INTO exchange_rates (currency, rate_date, rate_micro, created_at, created_by) VALUES ($1, $2, $3, $4, $5) RETURNING id",
    )
    .arg_text(currency.code())
    .arg_text(date.clone())
    .arg_i64(rate)
    .arg_i64(now_ms())
    .arg_i64(user.id)
    .fetch_i64(&mut tx)
    .await?;
    audit::record(
        &mut tx,
        AuditEntry::by(Some(user.id), &user.display_name, "create").on("exchange_rate", id).summary(format!(
            "{date} 1 {} = {} {}",
            currency.code(),
            format_rate_micro(rate),
            base.code()
        )),
    )
    .await?;
    tx.commit().await?;
    Ok(id)
}

pub async fn delete_rate(db: &Db, user: &CurrentUser, id: i64) -> AppResult<()> {
    authorize(user, Entity::Setting, Action::Edit)?;
    let mut tx = db.write().await?;
    let r: ExchangeRate = sql("SELECT id, currency, rate_date, rate_micro FROM exchange_rates WHERE id = $1")
        .arg_i64(id)
        .fetch_optional(&mut tx)
        .await?
        .ok_or(AppError::NotFound)?;
    sql("DELETE FROM exchange_rates WHERE id = $1").arg_i64(id).execute(&mut tx).await?;
    audit::record(
        &mut tx,
        AuditEntry::by(Some(user.id), &user.display_name, "delete")
            .on("exchange_rate", id)
            .summary(format!("{} 1 {} = {}", r.rate_date, r.currency, format_rate_micro(r.rate_micro)))
            .before(&r),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// Changes the base currency; only while no rates exist, since every rate is quoted in it.
pub async fn set_base_currency(db: &Db, user: &CurrentUser, currency: &str) -> AppResult<()> {
    authorize(user, Entity::Setting, Action::Edit)?;
    let c = Currency::from_code(currency).ok_or_else(|| AppError::validation("base", "validation.invalid_choice"))?;
    let mut tx = db.write().await?;
    let before = base_currency(&mut tx).await?;
    if before == c {
        return Ok(());
    }
    if sql("SELECT COUNT(*) FROM exchange_rates").fetch_i64(&mut tx).await? > 0 {
        return Err(AppError::validation("base", "validation.base_has_rates"));
    }
    settings::set(&mut tx, BASE_KEY, c.code(), Some(user.id), now_ms()).await?;
    audit::record(
        &mut tx,
        AuditEntry::by(Some(user.id), &user.display_name, "update").on("setting", 0).summary(format!(
            "{BASE_KEY}: {} → {}",
            before.code(),
            c.code()
        )),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

pub async fn numbering_rules(db: &Db, user: &CurrentUser) -> AppResult<NumberingPage> {
    authorize(user, Entity::Setting, Action::View)?;
    let mut tx = db.read().await?;
    let mut rules = numbering::rules(&mut tx).await?;
    rules.sort_by_key(|r| DOC_KINDS.iter().position(|k| *k == r.doc_kind).unwrap_or(usize::MAX));
    let today = local_today();
    let mut out = Vec::new();
    for r in rules {
        let next: Option<(i64,)> = sql("SELECT last_value FROM numbering_counters WHERE doc_kind = $1 AND period = $2")
            .arg_text(r.doc_kind.clone())
            .arg_text(r.period(today))
            .fetch_optional(&mut tx)
            .await?;
        let preview = r.format(today, next.map_or(0, |n| n.0) + 1);
        out.push((r, preview));
    }
    Ok(NumberingPage { rules: out, today, can_edit: user.permissions.can(Entity::Setting, Action::Edit) })
}

pub async fn update_numbering_rule(db: &Db, user: &CurrentUser, doc_kind: &str, version: i64, input: &NumberingInput) -> AppResult<()> {
    authorize(user, Entity::Setting, Action::Edit)?;
    let (prefix, date_part, digits) = input.validate().map_err(AppError::Validation)?;
    let mut tx = db.write().await?;
    let before = numbering::rules(&mut tx).await?.into_iter().find(|r| r.doc_kind == doc_kind).ok_or(AppError::NotFound)?;
    let n = sql(
        "UPDATE numbering_rules SET prefix = $1, date_part = $2, digits = $3, updated_at = $4, updated_by = $5, version = version + 1 \
                 WHERE doc_kind = $6 AND version = $7",
    )
    .arg_text(prefix.clone())
    .arg_text(date_part.clone())
    .arg_i64(digits)
    .arg_i64(now_ms())
    .arg_i64(user.id)
    .arg_text(doc_kind)
    .arg_i64(version)
    .execute(&mut tx)
    .await?;
    if n != 1 {
        return Err(AppError::Conflict);
    }
    audit::record(
        &mut tx,
        AuditEntry::by(Some(user.id), &user.display_name, "update")
            .on("setting", 0)
            .summary(format!("numbering {doc_kind}"))
            .before(&before)
            .after(serde_json::json!({ "prefix": prefix, "date_part": date_part, "digits": digits })),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

const COMPANY_KEY: &str = "company_profile";

/// The company profile and the stored text it came from (empty when never saved).
pub async fn company_profile(tx: &mut Tx) -> Result<(CompanyProfile, String), sqlx::Error> {
    let stamp = settings::get_text(tx, COMPANY_KEY).await?.unwrap_or_default();
    Ok((serde_json::from_str(&stamp).unwrap_or_default(), stamp))
}

pub async fn company_page(db: &Db, user: &CurrentUser) -> AppResult<CompanyProfilePage> {
    authorize(user, Entity::Setting, Action::View)?;
    let mut tx = db.read().await?;
    let (profile, stamp) = company_profile(&mut tx).await?;
    Ok(CompanyProfilePage { profile, stamp, can_edit: user.permissions.can(Entity::Setting, Action::Edit) })
}

/// Saves the profile if nobody changed it since `stamp` was read (compare-and-swap on
/// the stored text, so it holds on PostgreSQL under concurrency too). Returns the new stamp.
pub async fn save_company_profile(db: &Db, user: &CurrentUser, stamp: &str, input: &CompanyProfile) -> AppResult<String> {
    authorize(user, Entity::Setting, Action::Edit)?;
    let v = input.validate().map_err(AppError::Validation)?;
    let text = serde_json::to_string(&v).map_err(AppError::internal)?;
    let mut tx = db.write().await?;
    let (before, current) = company_profile(&mut tx).await?;
    if current != stamp {
        return Err(AppError::Conflict);
    }
    let now = now_ms();
    let changed = if stamp.is_empty() {
        sql("INSERT INTO settings (key, value, updated_at, updated_by) VALUES ($1, $2, $3, $4) ON CONFLICT (key) DO NOTHING")
            .arg_text(COMPANY_KEY)
            .arg_text(text.clone())
            .arg_i64(now)
            .arg_i64(user.id)
            .execute(&mut tx)
            .await?
    } else {
        sql("UPDATE settings SET value = $1, updated_at = $2, updated_by = $3 WHERE key = $4 AND value = $5")
            .arg_text(text.clone())
            .arg_i64(now)
            .arg_i64(user.id)
            .arg_text(COMPANY_KEY)
            .arg_text(stamp)
            .execute(&mut tx)
            .await?
    };
    if changed == 0 {
        return Err(AppError::Conflict);
    }
    audit::record(
        &mut tx,
        AuditEntry::by(Some(user.id), &user.display_name, "update").on("setting", 0).summary(COMPANY_KEY).before(&before).after(&v),
    )
    .await?;
    tx.commit().await?;
    Ok(text)
}
