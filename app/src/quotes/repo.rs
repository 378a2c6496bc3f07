//! Quote SQL. Every read of a quote takes a [`Grant`] and applies its scope.
use crate::platform::authz::Grant;
use crate::platform::db::{like_escape, sql, SqlBuilder, Tx};
use crate::quotes::types::*;

const COLUMNS: &str = "q.id, q.number, q.revision, q.root_id, q.customer_id, c.name AS customer_name, q.opportunity_id, \
                       o.name AS opportunity_name, q.title, q.quote_date, q.valid_until, q.currency, q.discount_bp, q.subtotal, \
                       q.discount_total, q.tax_total, q.total, q.effective_discount_bp, q.status, q.approval_note, q.decided_by, \
                       d.display_name AS decided_by_name, q.terms, q.notes, q.owner_id, u.display_name AS owner_name, q.department_id, \
                       q.version, q.created_at, q.updated_at";

fn select() -> SqlBuilder {
    sql(&format!(
        "SELECT {COLUMNS} FROM quotes q JOIN customers c ON c.id = q.customer_id LEFT JOIN opportunities o ON o.id = q.opportunity_id \
         LEFT JOIN users u ON u.id = q.owner_id LEFT JOIN users d ON d.id = q.decided_by WHERE q.deleted_at IS NULL"
    ))
}

pub async fn get(tx: &mut Tx, grant: &Grant, id: i64) -> Result<Option<Quote>, sqlx::Error> {
    let mut b = select();
    b.push(" AND q.id = ").bind_i64(id);
    grant.push_filter(&mut b, "q");
    b.fetch_optional(tx).await
}

pub async fn list(tx: &mut Tx, grant: &Grant, f: &QuoteFilter, limit: i64) -> Result<Vec<Quote>, sqlx::Error> {
    let mut b = select();
    grant.push_filter(&mut b, "q");
    match f.status.as_deref().filter(|s| !s.is_empty()) {
        Some(s) => {
            b.push(" AND q.status = ").bind_text(s.to_string());
        }
        // Replaced revisions show only in their quote's history.
        None => {
            b.push(" AND q.status <> 'superseded'");
        }
    }
    if let Some(c) = f.customer_id {
        b.push(" AND q.customer_id = ").bind_i64(c);
    }
    if let Some(term) = f.q.as_deref().map(str::trim).filter(|t| !t.is_empty()) {
        let pattern = format!("%{}%", like_escape(&term.to_lowercase()));
        b.push(" AND (LOWER(q.number) LIKE ").bind_text(pattern.clone()).push(" ESCAPE '\\' OR LOWER(q.title) LIKE ");
        b.bind_text(pattern.clone()).push(" ESCAPE '\\' OR LOWER(c.name) LIKE ").bind_text(pattern).push(" ESCAPE '\\')");
    }
    if let Some((at, id)) = f.after {
        b.push(" AND (q.updated_at < ").bind_i64(at).push(" OR (q.updated_at = ").bind_i64(at);
        b.push(" AND q.id < ").bind_i64(id).push("))");
    }
    b.push(" ORDER BY q.updated_at DESC, q.id DESC LIMIT ").bind_i64(limit);
    b.fetch_all(tx).await
}

pub async fn lines(tx: &mut Tx, quote_id: i64) -> Result<Vec<QuoteLine>, sqlx::Error> {
    sql("SELECT id, quote_id, position, product_id, name, unit, qty_milli, priced_unit, policy_id, policy_name, unit_price, discount_bp, \
         tax_rate_bp, amount, net, tax FROM quote_lines WHERE quote_id = $1 ORDER BY position")
    .arg_i64(quote_id)
    .fetch_all(tx)
    .await
}

/// Every revision of the quote whose first revision is `root`, newest first.
pub async fn revisions(tx: &mut Tx, root: i64) -> Result<Vec<Revision>, sqlx::Error> {
    sql("SELECT id, revision, status, total, updated_at FROM quotes WHERE (id = $1 OR root_id = $1) AND deleted_at IS NULL ORDER BY revision DESC")
        .arg_i64(root)
        .fetch_all(tx)
        .await
}

/// The figures a quote row is saved with, besides its identity.
pub struct Header<'a> {
    pub q: &'a ValidQuote,
    pub quote_date: &'a str,
    pub valid_until: &'a str,
    pub totals: &'a Totals,
}

fn header_values(b: SqlBuilder, h: &Header) -> SqlBuilder {
    b.arg_i64(h.q.customer_id)
        .arg_opt_i64(h.q.opportunity_id)
        .arg_text(h.q.title.clone())
        .arg_text(h.quote_date)
        .arg_text(h.valid_until)
        .arg_text(h.q.currency.code())
        .arg_i64(h.q.discount_bp)
        .arg_i64(h.totals.subtotal)
        .arg_i64(h.totals.discount_total)
        .arg_i64(h.totals.tax_total)
        .arg_i64(h.totals.total)
        .arg_i64(h.totals.effective_discount_bp)
        .arg_text(h.q.terms.clone())
        .arg_text(h.q.notes.clone())
}

#[allow(clippy::too_many_arguments)]
pub async fn insert(
    tx: &mut Tx,
    h: &Header<'_>,
    number: &str,
    revision: i64,
    root_id: Option<i64>,
    owner: (i64, Option<i64>),
    user: i64,
    now: i64,
) -> Result<i64, sqlx::Error> {
    header_values(
        sql("INSERT INTO quotes (customer_id, opportunity_id, title, quote_date, valid_until, currency, discount_bp, subtotal, discount_total, \
             tax_total, total, effective_discount_bp, terms, notes, number, revision, root_id, owner_id, department_id, created_at, created_by, \
             updated_at, updated_by) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $21, $20, $21) \
             RETURNING id"),
        h,
    )
    .arg_text(number)
    .arg_i64(revision)
    .arg_opt_i64(root_id)
    .arg_i64(owner.0)
    .arg_opt_i64(owner.1)
    .arg_i64(now)
    .arg_i64(user)
    .fetch_i64(tx)
    .await
}

/// Saves new figures and puts the quote back to draft. `false` on a version conflict.
pub async fn update(tx: &mut Tx, id: i64, version: i64, h: &Header<'_>, user: i64, now: i64) -> Result<bool, sqlx::Error> {
    Ok(header_values(
        sql("UPDATE quotes SET customer_id = $1, opportunity_id = $2, title = $3, quote_date = $4, valid_until = $5, currency = $6, \
             discount_bp = $7, subtotal = $8, discount_total = $9, tax_total = $10, total = $11, effective_discount_bp = $12, terms = $13, \
             notes = $14, status = 'draft', approval_note = NULL, decided_by = NULL, decided_at = NULL, updated_at = $15, updated_by = $16, \
             version = version + 1 WHERE id = $17 AND version = $18 AND deleted_at IS NULL"),
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

/// The columns a priced line is saved with, in this order, by quotes and orders alike.
pub(crate) const LINE_COLUMNS: &str =
    "product_id, name, unit, qty_milli, priced_unit, policy_id, policy_name, unit_price, discount_bp, tax_rate_bp, amount, net, tax";

/// Binds a line's values for [`LINE_COLUMNS`] after whatever `b` already has.
pub(crate) fn line_values(b: SqlBuilder, l: &QuoteLine) -> SqlBuilder {
    b.arg_opt_i64(l.product_id)
        .arg_text(l.name.clone())
        .arg_text(l.unit.clone())
        .arg_i64(l.qty_milli)
        .arg_i64(l.priced_unit)
        .arg_opt_i64(l.policy_id)
        .arg_opt_text(l.policy_name.clone())
        .arg_i64(l.unit_price)
        .arg_i64(l.discount_bp)
        .arg_i64(l.tax_rate_bp)
        .arg_i64(l.amount)
        .arg_i64(l.net)
        .arg_i64(l.tax)
}

pub async fn replace_lines(tx: &mut Tx, quote_id: i64, lines: &[QuoteLine]) -> Result<(), sqlx::Error> {
    sql("DELETE FROM quote_lines WHERE quote_id = $1").arg_i64(quote_id).execute(tx).await?;
    for (i, l) in lines.iter().enumerate() {
        let insert = sql(&format!(
            "INSERT INTO quote_lines (quote_id, position, {LINE_COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15)"
        ));
        line_values(insert.arg_i64(quote_id).arg_i64(i as i64 + 1), l).execute(tx).await?;
    }
    Ok(())
}

/// Moves the quote to `status` (with a decision when approving or rejecting).
#[allow(clippy::too_many_arguments)]
pub async fn set_status(
    tx: &mut Tx,
    id: i64,
    version: i64,
    status: QuoteStatus,
    decision: Option<(&str, i64)>,
    user: i64,
    now: i64,
) -> Result<bool, sqlx::Error> {
    let b = match decision {
        Some((note, by)) => sql("UPDATE quotes SET status = $1, approval_note = $2, decided_by = $3, decided_at = $4, updated_at = $4, \
                                  updated_by = $5, version = version + 1 WHERE id = $6 AND version = $7 AND deleted_at IS NULL")
        .arg_text(status.code())
        .arg_text(note)
        .arg_i64(by),
        None => sql("UPDATE quotes SET status = $1, updated_at = $2, updated_by = $3, version = version + 1 \
                     WHERE id = $4 AND version = $5 AND deleted_at IS NULL")
        .arg_text(status.code()),
    };
    Ok(b.arg_i64(now).arg_i64(user).arg_i64(id).arg_i64(version).execute(tx).await? == 1)
}
