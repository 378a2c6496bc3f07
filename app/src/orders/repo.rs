//! Order SQL. Every read of an order takes a [`Grant`] and applies its scope.
use crate::orders::types::*;
use crate::platform::authz::Grant;
use crate::platform::db::{like_escape, sql, SqlBuilder, Tx};
use crate::quotes::repo::{line_values, LINE_COLUMNS};
use crate::quotes::types::{QuoteLine, Totals, ValidQuote};

const COLUMNS: &str = "o.id, o.number, o.customer_id, c.name AS customer_name, o.opportunity_id, op.name AS opportunity_name, o.quote_id, \
                       q.number AS quote_number, o.warehouse_id, w.name AS warehouse_name, o.title, o.order_date, o.delivery_date, o.currency, \
                       o.discount_bp, o.subtotal, o.discount_total, o.tax_total, o.total, o.status, o.approval_reason, o.approval_note, \
                       d.display_name AS decided_by_name, o.terms, o.notes, o.owner_id, u.display_name AS owner_name, o.department_id, \
                       o.version, o.created_at, o.updated_at";

fn select() -> SqlBuilder {
    sql(&format!(
        "SELECT {COLUMNS} FROM orders o JOIN customers c ON c.id = o.customer_id LEFT JOIN opportunities op ON op.id = o.opportunity_id \
         LEFT JOIN quotes q ON q.id = o.quote_id JOIN warehouses w ON w.id = o.warehouse_id LEFT JOIN users u ON u.id = o.owner_id \
         LEFT JOIN users d ON d.id = o.decided_by WHERE o.deleted_at IS NULL"
    ))
}

pub async fn get(tx: &mut Tx, grant: &Grant, id: i64) -> Result<Option<Order>, sqlx::Error> {
    let mut b = select();
    b.push(" AND o.id = ").bind_i64(id);
    grant.push_filter(&mut b, "o");
    b.fetch_optional(tx).await
}

pub async fn list(tx: &mut Tx, grant: &Grant, f: &OrderFilter, limit: i64) -> Result<Vec<Order>, sqlx::Error> {
    let mut b = select();
    grant.push_filter(&mut b, "o");
    if let Some(s) = f.status.as_deref().filter(|s| OrderStatus::from_code(s).is_some()) {
        b.push(" AND o.status = ").bind_text(s.to_string());
    }
    if let Some(c) = f.customer_id {
        b.push(" AND o.customer_id = ").bind_i64(c);
    }
    if let Some(term) = f.q.as_deref().map(str::trim).filter(|t| !t.is_empty()) {
        let pattern = format!("%{}%", like_escape(&term.to_lowercase()));
        b.push(" AND (LOWER(o.number) LIKE ").bind_text(pattern.clone()).push(" ESCAPE '\\' OR LOWER(o.title) LIKE ");
        b.bind_text(pattern.clone()).push(" ESCAPE '\\' OR LOWER(c.name) LIKE ").bind_text(pattern).push(" ESCAPE '\\')");
    }
    if let Some((at, id)) = f.after {
        b.push(" AND (o.updated_at < ").bind_i64(at).push(" OR (o.updated_at = ").bind_i64(at);
        b.push(" AND o.id < ").bind_i64(id).push("))");
    }
    b.push(" ORDER BY o.updated_at DESC, o.id DESC LIMIT ").bind_i64(limit);
    b.fetch_all(tx).await
}

pub async fn lines(tx: &mut Tx, order_id: i64) -> Result<Vec<OrderLine>, sqlx::Error> {
    sql("SELECT id, order_id, position, product_id, stocked, name, unit, qty_milli, shipped_milli, returned_milli, priced_unit, policy_id, \
         policy_name, unit_price, discount_bp, tax_rate_bp, amount, net, tax FROM order_lines WHERE order_id = $1 ORDER BY position")
    .arg_i64(order_id)
    .fetch_all(tx)
    .await
}

pub async fn shipments(tx: &mut Tx, order_id: i64) -> Result<Vec<Shipment>, sqlx::Error> {
    let mut rows: Vec<Shipment> =
        sql("SELECT s.id, s.kind, w.name AS warehouse_name, s.note, u.display_name AS created_by_name, s.created_at FROM shipments s \
         JOIN warehouses w ON w.id = s.warehouse_id LEFT JOIN users u ON u.id = s.created_by WHERE s.order_id = $1 ORDER BY s.id DESC")
        .arg_i64(order_id)
        .fetch_all(tx)
        .await?;
    for s in &mut rows {
        let parts: Vec<(String, String, i64)> =
            sql("SELECT l.name, l.unit, sl.qty_milli FROM shipment_lines sl JOIN order_lines l ON l.id = sl.order_line_id \
                                                     WHERE sl.shipment_id = $1 ORDER BY l.position")
            .arg_i64(s.id)
            .fetch_all(tx)
            .await?;
        s.summary = parts
            .iter()
            .map(|(n, u, q)| format!("{n} × {} {u}", crate::catalog::types::format_qty(*q)).trim().to_string())
            .collect::<Vec<_>>()
            .join("; ");
    }
    Ok(rows)
}

/// The figures an order row is saved with, besides its identity.
pub struct Header<'a> {
    pub v: &'a ValidQuote,
    pub warehouse_id: i64,
    pub quote_id: Option<i64>,
    pub order_date: &'a str,
    pub delivery_date: &'a str,
    pub totals: &'a Totals,
}

fn header_values(b: SqlBuilder, h: &Header) -> SqlBuilder {
    b.arg_i64(h.v.customer_id)
        .arg_opt_i64(h.v.opportunity_id)
        .arg_opt_i64(h.quote_id)
        .arg_i64(h.warehouse_id)
        .arg_text(h.v.title.clone())
        .arg_text(h.order_date)
        .arg_text(h.delivery_date)
        .arg_text(h.v.currency.code())
        .arg_i64(h.v.discount_bp)
        .arg_i64(h.totals.subtotal)
        .arg_i64(h.totals.discount_total)
        .arg_i64(h.totals.tax_total)
        .arg_i64(h.totals.total)
        .arg_text(h.v.terms.clone())
        .arg_text(h.v.notes.clone())
}

pub async fn insert(tx: &mut Tx, h: &Header<'_>, number: &str, owner: (i64, Option<i64>), user: i64, now: i64) -> Result<i64, sqlx::Error> {
    header_values(
        sql("INSERT INTO orders (customer_id, opportunity_id, quote_id, warehouse_id, title, order_date, delivery_date, currency, discount_bp, \
             subtotal, discount_total, tax_total, total, terms, notes, number, owner_id, department_id, created_at, created_by, updated_at, \
             updated_by) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $19, $20) RETURNING id"),
        h,
    )
    .arg_text(number)
    .arg_i64(owner.0)
    .arg_opt_i64(owner.1)
    .arg_i64(now)
    .arg_i64(user)
    .fetch_i64(tx)
    .await
}

/// Saves new figures of a draft. `false` on a version conflict or when no longer a draft.
pub async fn update(tx: &mut Tx, id: i64, version: i64, h: &Header<'_>, user: i64, now: i64) -> Result<bool, sqlx::Error> {
    Ok(header_values(
        sql("UPDATE orders SET customer_id = $1, opportunity_id = $2, quote_id = $3, warehouse_id = $4, title = $5, order_date = $6, \
             delivery_date = $7, currency = $8, discount_bp = $9, subtotal = $10, discount_total = $11, tax_total = $12, total = $13, terms = $14, \
             notes = $15, updated_at = $16, updated_by = $17, version = version + 1 \
             WHERE id = $18 AND version = $19 AND status = 'draft' AND deleted_at IS NULL"),
        h,
    )
    .arg_i64(now)
    .arg_i64(user)
    .arg_i64(id)
    .arg_i64(version)
    .execute(tx)
    .await?
        == 1)
}

/// Replaces a draft's lines; `stocked` tells which move stock.
pub async fn replace_lines(tx: &mut Tx, order_id: i64, lines: &[QuoteLine], stocked: &[bool]) -> Result<(), sqlx::Error> {
    sql("DELETE FROM order_lines WHERE order_id = $1").arg_i64(order_id).execute(tx).await?;
    for (i, l) in lines.iter().enumerate() {
        let insert = sql(&format!(
            "INSERT INTO order_lines (order_id, position, stocked, {LINE_COLUMNS}) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16)"
        ));
        let insert = insert.arg_i64(order_id).arg_i64(i as i64 + 1).arg_bool(stocked.get(i).copied().unwrap_or(false));
        line_values(insert, l).execute(tx).await?;
    }
    Ok(())
}

/// Moves the order to `status`; with a decision when approving or rejecting.
#[allow(clippy::too_many_arguments)]
pub async fn set_status(
    tx: &mut Tx,
    id: i64,
    version: i64,
    status: OrderStatus,
    reason: Option<&str>,
    decision: Option<(&str, i64)>,
    user: i64,
    now: i64,
) -> Result<bool, sqlx::Error> {
    let b = match decision {
        Some((note, by)) => sql("UPDATE orders SET status = $1, approval_reason = $2, approval_note = $3, decided_by = $4, decided_at = $5, \
                                  updated_at = $5, updated_by = $6, version = version + 1 WHERE id = $7 AND version = $8 AND deleted_at IS NULL")
        .arg_text(status.code())
        .arg_opt_text(reason.map(str::to_string))
        .arg_text(note)
        .arg_i64(by),
        None => sql("UPDATE orders SET status = $1, approval_reason = $2, updated_at = $3, updated_by = $4, version = version + 1 \
                     WHERE id = $5 AND version = $6 AND deleted_at IS NULL")
        .arg_text(status.code())
        .arg_opt_text(reason.map(str::to_string)),
    };
    Ok(b.arg_i64(now).arg_i64(user).arg_i64(id).arg_i64(version).execute(tx).await? == 1)
}
