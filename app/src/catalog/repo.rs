//! Catalog SQL: products and their price policies.
use crate::catalog::types::*;
use crate::platform::db::{like_escape, sql, SqlBuilder, Tx};

const PRODUCT_COLUMNS: &str = "p.id, p.code, p.name, p.kind, p.category, p.unit, p.currency, p.list_price, p.cost, p.tax_rate_bp, \
                               p.description, p.active, p.version, p.updated_at, p.deleted_at";

/// One page of live products ordered by name, filtered in SQL.
pub async fn list(tx: &mut Tx, q: &ProductQuery, limit: i64) -> Result<Vec<Product>, sqlx::Error> {
    let mut b = sql(&format!("SELECT {PRODUCT_COLUMNS} FROM products p WHERE p.deleted_at IS NULL"));
    if !q.inactive {
        b.push(" AND p.active = TRUE");
    }
    if let Some(term) = q.q.as_deref().map(str::trim).filter(|t| !t.is_empty()) {
        let pattern = format!("%{}%", like_escape(&term.to_lowercase()));
        b.push(" AND (LOWER(p.name) LIKE ").bind_text(pattern.clone()).push(" ESCAPE '\\' OR LOWER(p.code) LIKE ");
        b.bind_text(pattern).push(" ESCAPE '\\')");
    }
    if let Some(c) = q.category.as_deref().filter(|c| !c.is_empty()) {
        b.push(" AND p.category = ").bind_text(c.to_string());
    }
    if let Some((name, id)) = &q.after {
        b.push(" AND (p.name > ").bind_text(name.clone()).push(" OR (p.name = ").bind_text(name.clone());
        b.push(" AND p.id > ").bind_i64(*id).push("))");
    }
    b.push(" ORDER BY p.name, p.id LIMIT ").bind_i64(limit);
    b.fetch_all(tx).await
}

pub async fn get(tx: &mut Tx, id: i64, with_deleted: bool) -> Result<Option<Product>, sqlx::Error> {
    let mut b = sql(&format!("SELECT {PRODUCT_COLUMNS} FROM products p WHERE p.id = "));
    b.bind_i64(id);
    if !with_deleted {
        b.push(" AND p.deleted_at IS NULL");
    }
    b.fetch_optional(tx).await
}

pub async fn code_taken(tx: &mut Tx, code: &str, except: i64) -> Result<bool, sqlx::Error> {
    Ok(sql("SELECT COUNT(*) FROM products WHERE LOWER(code) = LOWER($1) AND id <> $2 AND deleted_at IS NULL")
        .arg_text(code)
        .arg_i64(except)
        .fetch_i64(tx)
        .await?
        > 0)
}

fn product_values(b: SqlBuilder, v: &ValidProduct, code: &str) -> SqlBuilder {
    b.arg_text(code)
        .arg_text(v.name.clone())
        .arg_text(v.kind.code())
        .arg_text(v.category.clone())
        .arg_text(v.unit.clone())
        .arg_text(v.currency.code())
        .arg_i64(v.list_price)
        .arg_i64(v.cost)
        .arg_i64(v.tax_rate_bp)
        .arg_text(v.description.clone())
        .arg_bool(v.active)
}

pub async fn insert(tx: &mut Tx, v: &ValidProduct, code: &str, user: i64, now: i64) -> Result<i64, sqlx::Error> {
    product_values(
        sql("INSERT INTO products (code, name, kind, category, unit, currency, list_price, cost, tax_rate_bp, description, active, \
             created_at, created_by, updated_at, updated_by) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $12, $13) \
             RETURNING id"),
        v,
        code,
    )
    .arg_i64(now)
    .arg_i64(user)
    .fetch_i64(tx)
    .await
}

/// `false` when the version moved on (someone else saved first).
pub async fn update(tx: &mut Tx, id: i64, version: i64, v: &ValidProduct, code: &str, user: i64, now: i64) -> Result<bool, sqlx::Error> {
    Ok(product_values(
        sql("UPDATE products SET code = $1, name = $2, kind = $3, category = $4, unit = $5, currency = $6, list_price = $7, cost = $8, \
             tax_rate_bp = $9, description = $10, active = $11, updated_at = $12, updated_by = $13, version = version + 1 \
             WHERE id = $14 AND version = $15 AND deleted_at IS NULL"),
        v,
        code,
    )
    .arg_i64(now)
    .arg_i64(user)
    .arg_i64(id)
    .arg_i64(version)
    .execute(tx)
    .await?
        == 1)
}

pub async fn set_deleted(tx: &mut Tx, id: i64, version: i64, deleted_at: Option<i64>, user: i64, now: i64) -> Result<bool, sqlx::Error> {
    Ok(sql("UPDATE products SET deleted_at = $1, updated_at = $2, updated_by = $3, version = version + 1 WHERE id = $4 AND version = $5")
        .arg_opt_i64(deleted_at)
        .arg_i64(now)
        .arg_i64(user)
        .arg_i64(id)
        .arg_i64(version)
        .execute(tx)
        .await?
        == 1)
}

const POLICY_COLUMNS: &str = "pp.id, pp.product_id, pp.name, pp.target, pp.customer_id, c.name AS customer_name, pp.target_value, \
                              pp.min_qty_milli, pp.valid_from, pp.valid_to, pp.currency, pp.price, pp.discount_bp, pp.active, pp.version";

/// A product's live policies, most specific first.
pub async fn policies(tx: &mut Tx, product_id: i64) -> Result<Vec<PricePolicy>, sqlx::Error> {
    sql(&format!(
        "SELECT {POLICY_COLUMNS} FROM price_policies pp LEFT JOIN customers c ON c.id = pp.customer_id \
         WHERE pp.product_id = $1 AND pp.deleted_at IS NULL \
         ORDER BY CASE pp.target WHEN 'customer' THEN 0 WHEN 'level' THEN 1 WHEN 'region' THEN 2 ELSE 3 END, pp.min_qty_milli, pp.id"
    ))
    .arg_i64(product_id)
    .fetch_all(tx)
    .await
}

pub async fn policy(tx: &mut Tx, id: i64) -> Result<Option<PricePolicy>, sqlx::Error> {
    sql(&format!(
        "SELECT {POLICY_COLUMNS} FROM price_policies pp LEFT JOIN customers c ON c.id = pp.customer_id \
         WHERE pp.id = $1 AND pp.deleted_at IS NULL"
    ))
    .arg_i64(id)
    .fetch_optional(tx)
    .await
}

fn policy_values(b: SqlBuilder, v: &ValidPricePolicy) -> SqlBuilder {
    b.arg_text(v.name.clone())
        .arg_text(v.target.code())
        .arg_opt_i64(v.customer_id)
        .arg_text(v.target_value.clone())
        .arg_i64(v.min_qty_milli)
        .arg_opt_text(v.valid_from.clone())
        .arg_opt_text(v.valid_to.clone())
        .arg_text(v.currency.code())
        .arg_opt_i64(v.price)
        .arg_opt_i64(v.discount_bp)
        .arg_bool(v.active)
}

pub async fn insert_policy(tx: &mut Tx, product_id: i64, v: &ValidPricePolicy, user: i64, now: i64) -> Result<i64, sqlx::Error> {
    policy_values(
        sql("INSERT INTO price_policies (name, target, customer_id, target_value, min_qty_milli, valid_from, valid_to, currency, price, \
             discount_bp, active, product_id, created_at, created_by, updated_at, updated_by) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $13, $14) RETURNING id"),
        v,
    )
    .arg_i64(product_id)
    .arg_i64(now)
    .arg_i64(user)
    .fetch_i64(tx)
    .await
}

pub async fn update_policy(tx: &mut Tx, id: i64, version: i64, v: &ValidPricePolicy, user: i64, now: i64) -> Result<bool, sqlx::Error> {
    Ok(policy_values(
        sql("UPDATE price_policies SET name = $1, target = $2, customer_id = $3, target_value = $4, min_qty_milli = $5, valid_from = $6, \
             valid_to = $7, currency = $8, price = $9, discount_bp = $10, active = $11, updated_at = $12, updated_by = $13, \
             version = version + 1 WHERE id = $14 AND version = $15 AND deleted_at IS NULL"),
        v,
    )
    .arg_i64(now)
    .arg_i64(user)
    .arg_i64(id)
    .arg_i64(version)
    .execute(tx)
    .await?
        == 1)
}

pub async fn delete_policy(tx: &mut Tx, id: i64, version: i64, user: i64, now: i64) -> Result<bool, sqlx::Error> {
    Ok(sql("UPDATE price_policies SET deleted_at = $1, updated_at = $1, updated_by = $2, version = version + 1 \
            WHERE id = $3 AND version = $4 AND deleted_at IS NULL")
    .arg_i64(now)
    .arg_i64(user)
    .arg_i64(id)
    .arg_i64(version)
    .execute(tx)
    .await?
        == 1)
}
