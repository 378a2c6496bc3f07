//! Catalog rules: the catalog is company-wide (every grant reaches all of it), codes are
//! unique among live products and numbered when left empty, edits are optimistic,
//! deletes soft, every change audited. Prices follow [`resolve_price`].
use crate::catalog::repo;
use crate::catalog::types::*;
use crate::customers::service::customer_in_scope;
use crate::platform::audit::{self, AuditEntry};
use crate::platform::authz::{authorize, Action, CurrentUser, Entity};
use crate::platform::db::{Db, Tx};
use crate::platform::error::{AppError, AppResult};
use crate::platform::money::Currency;
use crate::platform::time::{local_today, now_ms};

const PAGE: i64 = 50;

pub async fn list_products(db: &Db, user: &CurrentUser, q: &ProductQuery) -> AppResult<ProductPage> {
    authorize(user, Entity::Product, Action::View)?;
    let mut tx = db.read().await?;
    let mut rows = repo::list(&mut tx, q, PAGE + 1).await?;
    let next = (rows.len() as i64 > PAGE).then(|| {
        rows.truncate(PAGE as usize);
        rows.last().map(|r| (r.name.clone(), r.id))
    });
    Ok(ProductPage { rows, next: next.flatten() })
}

pub async fn get_product(db: &Db, user: &CurrentUser, id: i64) -> AppResult<ProductDetail> {
    authorize(user, Entity::Product, Action::View)?;
    let mut tx = db.read().await?;
    let product = repo::get(&mut tx, id, false).await?.ok_or(AppError::NotFound)?;
    let policies = repo::policies(&mut tx, id).await?;
    Ok(ProductDetail {
        product,
        policies,
        can_edit: user.permissions.can(Entity::Product, Action::Edit),
        can_delete: user.permissions.can(Entity::Product, Action::Delete),
    })
}

/// The code to save: the typed one if free, else the next product number.
async fn product_code(tx: &mut Tx, typed: Option<&str>, except: i64) -> AppResult<String> {
    match typed {
        Some(code) if repo::code_taken(tx, code, except).await? => Err(AppError::validation("code", "validation.code_taken")),
        Some(code) => Ok(code.to_string()),
        None => Ok(crate::platform::numbering::next_number(tx, "product", local_today()).await?),
    }
}

#[tracing::instrument(skip(db, user, input), fields(user = user.id))]
pub async fn create_product(db: &Db, user: &CurrentUser, input: &ProductInput) -> AppResult<i64> {
    authorize(user, Entity::Product, Action::Create)?;
    let valid = input.validate().map_err(AppError::Validation)?;
    let mut tx = db.write().await?;
    let code = product_code(&mut tx, valid.code.as_deref(), -1).await?;
    let id = repo::insert(&mut tx, &valid, &code, user.id, now_ms()).await?;
    audit::record(
        &mut tx,
        AuditEntry::by(Some(user.id), &user.display_name, "create")
            .on("product", id)
            .summary(format!("{code} {}", valid.name))
            .after(&valid),
    )
    .await?;
    tx.commit().await?;
    Ok(id)
}

#[tracing::instrument(skip(db, user, input), fields(user = user.id))]
pub async fn update_product(db: &Db, user: &CurrentUser, id: i64, version: i64, input: &ProductInput) -> AppResult<Product> {
    authorize(user, Entity::Product, Action::Edit)?;
    let valid = input.validate().map_err(AppError::Validation)?;
    let mut tx = db.write().await?;
    let before = repo::get(&mut tx, id, false).await?.ok_or(AppError::NotFound)?;
    if before.version != version {
        return Err(AppError::Conflict);
    }
    // An emptied code keeps the one the product has.
    let code = match valid.code.as_deref() {
        None => before.code.clone(),
        Some(c) => product_code(&mut tx, Some(c), id).await?,
    };
    if !repo::update(&mut tx, id, version, &valid, &code, user.id, now_ms()).await? {
        return Err(AppError::Conflict);
    }
    audit::record(
        &mut tx,
        AuditEntry::by(Some(user.id), &user.display_name, "update")
            .on("product", id)
            .summary(format!("{code} {}", valid.name))
            .before(before.to_input())
            .after(&valid),
    )
    .await?;
    let saved = repo::get(&mut tx, id, false).await?.ok_or(AppError::NotFound)?;
    tx.commit().await?;
    Ok(saved)
}

/// Soft delete (`deleted = true`) or undo (`false`). A restored product whose code was
/// taken meanwhile is refused rather than given a duplicate code.
#[tracing::instrument(skip(db, user), fields(user = user.id))]
pub async fn set_product_deleted(db: &Db, user: &CurrentUser, id: i64, deleted: bool) -> AppResult<()> {
    authorize(user, Entity::Product, Action::Delete)?;
    let mut tx = db.write().await?;
    let p = repo::get(&mut tx, id, true).await?.ok_or(AppError::NotFound)?;
    if p.deleted_at.is_some() == deleted {
        return Ok(());
    }
    if !deleted && repo::code_taken(&mut tx, &p.code, id).await? {
        return Err(AppError::validation("code", "validation.code_taken"));
    }
    let now = now_ms();
    if !repo::set_deleted(&mut tx, id, p.version, deleted.then_some(now), user.id, now).await? {
        return Err(AppError::Conflict);
    }
    let action = if deleted { "delete" } else { "restore" };
    audit::record(
        &mut tx,
        AuditEntry::by(Some(user.id), &user.display_name, action).on("product", id).summary(format!("{} {}", p.code, p.name)),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// A customer target must be a customer the user can see.
async fn check_policy_customer(tx: &mut Tx, user: &CurrentUser, v: &ValidPricePolicy) -> AppResult<()> {
    if let Some(c) = v.customer_id {
        customer_in_scope(tx, user, c, Action::View).await.map_err(|_| AppError::validation("customer_id", "validation.required"))?;
    }
    Ok(())
}

/// Adds a policy (`id` None) or saves one at `version`. Needs product Edit.
#[tracing::instrument(skip(db, user, input), fields(user = user.id))]
pub async fn save_policy(
    db: &Db,
    user: &CurrentUser,
    product_id: i64,
    id: Option<(i64, i64)>,
    input: &PricePolicyInput,
) -> AppResult<PricePolicy> {
    authorize(user, Entity::Product, Action::Edit)?;
    let valid = input.validate().map_err(AppError::Validation)?;
    let mut tx = db.write().await?;
    let product = repo::get(&mut tx, product_id, false).await?.ok_or(AppError::NotFound)?;
    check_policy_customer(&mut tx, user, &valid).await?;
    let now = now_ms();
    let saved_id = match id {
        None => {
            let pid = repo::insert_policy(&mut tx, product_id, &valid, user.id, now).await?;
            audit::record(
                &mut tx,
                AuditEntry::by(Some(user.id), &user.display_name, "create")
                    .on("price_policy", pid)
                    .summary(format!("{} · {}", product.name, valid.name))
                    .after(&valid),
            )
            .await?;
            pid
        }
        Some((pid, version)) => {
            let before = repo::policy(&mut tx, pid).await?.filter(|p| p.product_id == product_id).ok_or(AppError::NotFound)?;
            if before.version != version || !repo::update_policy(&mut tx, pid, version, &valid, user.id, now).await? {
                return Err(AppError::Conflict);
            }
            audit::record(
                &mut tx,
                AuditEntry::by(Some(user.id), &user.display_name, "update")
                    .on("price_policy", pid)
                    .summary(format!("{} · {}", product.name, valid.name))
                    .before(before.to_input())
                    .after(&valid),
            )
            .await?;
            pid
        }
    };
    let saved = repo::policy(&mut tx, saved_id).await?.ok_or(AppError::NotFound)?;
    tx.commit().await?;
    Ok(saved)
}

#[tracing::instrument(skip(db, user), fields(user = user.id))]
pub async fn delete_policy(db: &Db, user: &CurrentUser, id: i64, version: i64) -> AppResult<()> {
    authorize(user, Entity::Product, Action::Edit)?;
    let mut tx = db.write().await?;
    let before = repo::policy(&mut tx, id).await?.ok_or(AppError::NotFound)?;
    if !repo::delete_policy(&mut tx, id, version, user.id, now_ms()).await? {
        return Err(AppError::Conflict);
    }
    audit::record(
        &mut tx,
        AuditEntry::by(Some(user.id), &user.display_name, "delete")
            .on("price_policy", id)
            .summary(before.name.clone())
            .before(before.to_input()),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// The unit price and line total of `qty` of a product for a customer (or nobody) on a
/// date, in `currency`, with the policy that set it. Rates are those of the date.
pub async fn price(
    tx: &mut Tx,
    user: &CurrentUser,
    product: &Product,
    customer_id: Option<i64>,
    qty_milli: i64,
    date: &str,
    currency: Currency,
) -> AppResult<PriceQuote> {
    let mut sale = Sale { customer_id, qty_milli, date: date.to_string(), ..Default::default() };
    if let Some(c) = customer_id {
        let c = customer_in_scope(tx, user, c, Action::View).await?;
        sale.level = c.level;
        sale.region = c.region;
    }
    let policies = repo::policies(tx, product.id).await?;
    let rates = crate::finance::service::rates_on(tx, date).await?;
    let from = product.currency();
    let choice = resolve_price(product.list_price, from, &policies, &sale, |m, a, b| rates.convert(m, a, b));
    let unit_price =
        rates.convert(choice.unit_price, from, currency).ok_or_else(|| AppError::validation("currency", "validation.no_rate"))?;
    let list_price = rates.convert(product.list_price, from, currency).unwrap_or(product.list_price);
    let line_total = crate::platform::money::div_round(unit_price as i128 * qty_milli as i128, QTY_SCALE as i128);
    let line_total = i64::try_from(line_total).map_err(|_| AppError::validation("qty", "validation.quantity"))?;
    let rate_note = (from != currency).then(|| {
        let r = |c: Currency| rates.rate(c).map(crate::platform::money::format_rate_micro).unwrap_or_default();
        format!("1 {} = {} {} · 1 {} = {} {}", from.code(), r(from), rates.base.code(), currency.code(), r(currency), rates.base.code())
    });
    Ok(PriceQuote { currency: currency.code().into(), unit_price, line_total, list_price, policy: choice.policy, rate_note })
}

/// [`price`] for the price check on a product's page.
pub async fn price_check(db: &Db, user: &CurrentUser, product_id: i64, check: &PriceCheckInput) -> AppResult<PriceQuote> {
    authorize(user, Entity::Product, Action::View)?;
    let (qty, date, currency) = check.validate().map_err(AppError::Validation)?;
    let mut tx = db.read().await?;
    let product = repo::get(&mut tx, product_id, false).await?.ok_or(AppError::NotFound)?;
    let date = date.unwrap_or_else(|| {
        let (y, m, d) = local_today();
        format!("{y:04}-{m:02}-{d:02}")
    });
    let currency = currency.unwrap_or(product.currency());
    price(&mut tx, user, &product, check.customer_id, qty, &date, currency).await
}
