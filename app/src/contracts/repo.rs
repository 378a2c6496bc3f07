//! Contract SQL. Every read of a contract takes a [`Grant`] and applies its scope.
//! Received and invoiced amounts are running totals on the contract and its
//! instalments, kept in the same transaction as the payment or invoice that moves them.
use crate::contracts::types::*;
use crate::platform::authz::Grant;
use crate::platform::db::{like_escape, sql, SqlBuilder, Tx};

/// Still to collect on a contract's instalments due before `$1` (today).
const OVERDUE: &str = "COALESCE((SELECT CAST(SUM(i.amount - i.paid) AS BIGINT) FROM contract_instalments i \
                       WHERE i.contract_id = k.id AND i.paid < i.amount AND i.due_on < $1), 0)";

fn select(today: &str) -> SqlBuilder {
    sql(&format!(
        "SELECT k.id, k.number, k.customer_id, c.name AS customer_name, k.opportunity_id, op.name AS opportunity_name, k.quote_id, \
         q.number AS quote_number, k.title, k.currency, k.amount, k.signed_on, k.starts_on, k.ends_on, k.terms, k.status, \
         k.terminate_reason, k.paid, k.invoiced, CASE WHEN k.status = 'active' THEN {OVERDUE} ELSE 0 END AS overdue, k.owner_id, \
         u.display_name AS owner_name, k.department_id, k.kind, k.work_order_id, w.number AS work_order_number, k.version, k.created_at, \
         k.updated_at FROM contracts k JOIN customers c ON c.id = k.customer_id LEFT JOIN opportunities op ON op.id = k.opportunity_id \
         LEFT JOIN quotes q ON q.id = k.quote_id LEFT JOIN users u ON u.id = k.owner_id LEFT JOIN work_orders w ON w.id = k.work_order_id \
         WHERE k.deleted_at IS NULL"
    ))
    .arg_text(today)
}

/// One of a customer's own contracts, for the customer portal (no staff grant applies).
pub async fn get_for_customer(tx: &mut Tx, today: &str, id: i64, customer_id: i64) -> Result<Option<Contract>, sqlx::Error> {
    let mut b = select(today);
    b.push(" AND k.id = ").bind_i64(id);
    b.push(" AND k.customer_id = ").bind_i64(customer_id);
    b.fetch_optional(tx).await
}

pub async fn get(tx: &mut Tx, grant: &Grant, today: &str, id: i64) -> Result<Option<Contract>, sqlx::Error> {
    let mut b = select(today);
    b.push(" AND k.id = ").bind_i64(id);
    grant.push_filter(&mut b, "k");
    b.fetch_optional(tx).await
}

pub async fn list(tx: &mut Tx, grant: &Grant, today: &str, f: &ContractFilter, limit: i64) -> Result<Vec<Contract>, sqlx::Error> {
    let mut b = select(today);
    grant.push_filter(&mut b, "k");
    if let Some(c) = f.customer_id {
        b.push(" AND k.customer_id = ").bind_i64(c);
    }
    if f.overdue {
        b.push(" AND k.status = 'active' AND EXISTS (SELECT 1 FROM contract_instalments i WHERE i.contract_id = k.id AND i.paid < i.amount AND i.due_on < $1)");
    }
    if let Some(term) = f.q.as_deref().map(str::trim).filter(|t| !t.is_empty()) {
        let pattern = format!("%{}%", like_escape(&term.to_lowercase()));
        b.push(" AND (LOWER(k.number) LIKE ").bind_text(pattern.clone()).push(" ESCAPE '\\' OR LOWER(k.title) LIKE ");
        b.bind_text(pattern.clone()).push(" ESCAPE '\\' OR LOWER(c.name) LIKE ").bind_text(pattern).push(" ESCAPE '\\')");
    }
    if let Some((at, id)) = f.after {
        b.push(" AND (k.updated_at < ").bind_i64(at).push(" OR (k.updated_at = ").bind_i64(at);
        b.push(" AND k.id < ").bind_i64(id).push("))");
    }
    b.push(" ORDER BY k.updated_at DESC, k.id DESC LIMIT ").bind_i64(limit);
    b.fetch_all(tx).await
}

pub async fn plan(tx: &mut Tx, contract_id: i64) -> Result<Vec<Instalment>, sqlx::Error> {
    sql("SELECT id, contract_id, position, due_on, amount, paid, note FROM contract_instalments WHERE contract_id = $1 ORDER BY position")
        .arg_i64(contract_id)
        .fetch_all(tx)
        .await
}

pub async fn payments(tx: &mut Tx, contract_id: i64) -> Result<Vec<Payment>, sqlx::Error> {
    sql("SELECT p.id, p.number, p.instalment_id, i.position AS instalment_position, p.amount, p.currency, p.received_on, p.method, \
         p.reference, p.note, u.display_name AS created_by_name, p.created_at, p.voided_at, p.void_reason FROM payments p \
         JOIN contract_instalments i ON i.id = p.instalment_id LEFT JOIN users u ON u.id = p.created_by \
         WHERE p.contract_id = $1 ORDER BY p.received_on DESC, p.id DESC")
    .arg_i64(contract_id)
    .fetch_all(tx)
    .await
}

pub async fn invoices(tx: &mut Tx, contract_id: i64) -> Result<Vec<Invoice>, sqlx::Error> {
    sql("SELECT v.id, v.number, v.kind, v.tax_number, v.amount, v.currency, v.issued_on, v.note, u.display_name AS created_by_name, \
         v.created_at, v.voided_at, v.void_reason FROM invoices v LEFT JOIN users u ON u.id = v.created_by \
         WHERE v.contract_id = $1 ORDER BY v.issued_on DESC, v.id DESC")
    .arg_i64(contract_id)
    .fetch_all(tx)
    .await
}

fn header_values(b: SqlBuilder, v: &ValidContract) -> SqlBuilder {
    b.arg_i64(v.customer_id)
        .arg_opt_i64(v.opportunity_id)
        .arg_opt_i64(v.quote_id)
        .arg_text(v.title.clone())
        .arg_text(v.currency.code())
        .arg_i64(v.amount)
        .arg_text(v.signed_on.clone())
        .arg_text(v.starts_on.clone())
        .arg_text(v.ends_on.clone())
        .arg_text(v.terms.clone())
}

pub async fn insert(tx: &mut Tx, v: &ValidContract, number: &str, owner: (i64, Option<i64>), now: i64) -> Result<i64, sqlx::Error> {
    header_values(
        sql(
            "INSERT INTO contracts (customer_id, opportunity_id, quote_id, title, currency, amount, signed_on, starts_on, ends_on, terms, \
             number, owner_id, department_id, created_at, created_by, updated_at, updated_by) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $12, $14, $12) RETURNING id",
        ),
        v,
    )
    .arg_text(number)
    .arg_i64(owner.0)
    .arg_opt_i64(owner.1)
    .arg_i64(now)
    .fetch_i64(tx)
    .await
}

/// Saves new terms of an active contract. `false` on a version conflict.
pub async fn update(tx: &mut Tx, id: i64, version: i64, v: &ValidContract, user: i64, now: i64) -> Result<bool, sqlx::Error> {
    Ok(header_values(
        sql("UPDATE contracts SET customer_id = $1, opportunity_id = $2, quote_id = $3, title = $4, currency = $5, amount = $6, signed_on = $7, \
             starts_on = $8, ends_on = $9, terms = $10, updated_at = $11, updated_by = $12, version = version + 1 \
             WHERE id = $13 AND version = $14 AND status = 'active' AND deleted_at IS NULL"),
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

/// Bumps the version (and the change time) of a contract whose payments, invoices or
/// status changed, so an open form elsewhere sees the conflict.
pub async fn touch(tx: &mut Tx, id: i64, version: i64, user: i64, now: i64) -> Result<bool, sqlx::Error> {
    Ok(sql("UPDATE contracts SET updated_at = $1, updated_by = $2, version = version + 1 WHERE id = $3 AND version = $4 AND deleted_at IS NULL")
        .arg_i64(now)
        .arg_i64(user)
        .arg_i64(id)
        .arg_i64(version)
        .execute(tx)
        .await?
        == 1)
}

/// Makes the saved plan the given one: instalments with an id are updated, new ones
/// inserted, missing ones deleted. Positions follow the order given.
pub async fn save_plan(tx: &mut Tx, contract_id: i64, plan: &[ValidInstalment], removed: &[i64]) -> Result<(), sqlx::Error> {
    for id in removed {
        sql("DELETE FROM contract_instalments WHERE id = $1 AND contract_id = $2 AND paid = 0")
            .arg_i64(*id)
            .arg_i64(contract_id)
            .execute(tx)
            .await?;
    }
    for (i, p) in plan.iter().enumerate() {
        let position = i as i64 + 1;
        match p.id {
            Some(id) => {
                // A new due date may be reminded about again once it passes.
                sql("UPDATE contract_instalments SET position = $1, due_on = $2, amount = $3, note = $4, \
                     reminded_on = CASE WHEN due_on = $2 THEN reminded_on END WHERE id = $5 AND contract_id = $6")
                .arg_i64(position)
                .arg_text(p.due_on.clone())
                .arg_i64(p.amount)
                .arg_text(p.note.clone())
                .arg_i64(id)
                .arg_i64(contract_id)
                .execute(tx)
                .await?;
            }
            None => {
                sql("INSERT INTO contract_instalments (contract_id, position, due_on, amount, note) VALUES ($1, $2, $3, $4, $5)")
                    .arg_i64(contract_id)
                    .arg_i64(position)
                    .arg_text(p.due_on.clone())
                    .arg_i64(p.amount)
                    .arg_text(p.note.clone())
                    .execute(tx)
                    .await?;
            }
        }
    }
    Ok(())
}

/// Adds `delta` to what an instalment and its contract have received. `false` when it
/// would take the instalment past its amount or below zero (nothing is changed).
pub async fn add_paid(tx: &mut Tx, contract_id: i64, instalment_id: i64, delta: i64) -> Result<bool, sqlx::Error> {
    let n = sql(
        "UPDATE contract_instalments SET paid = paid + $1 WHERE id = $2 AND contract_id = $3 AND paid + $1 <= amount AND paid + $1 >= 0",
    )
    .arg_i64(delta)
    .arg_i64(instalment_id)
    .arg_i64(contract_id)
    .execute(tx)
    .await?;
    if n != 1 {
        return Ok(false);
    }
    sql("UPDATE contracts SET paid = paid + $1 WHERE id = $2").arg_i64(delta).arg_i64(contract_id).execute(tx).await?;
    Ok(true)
}

/// Adds `delta` to what a contract has invoiced; `false` past its amount.
pub async fn add_invoiced(tx: &mut Tx, contract_id: i64, delta: i64) -> Result<bool, sqlx::Error> {
    Ok(sql("UPDATE contracts SET invoiced = invoiced + $1 WHERE id = $2 AND invoiced + $1 <= amount AND invoiced + $1 >= 0")
        .arg_i64(delta)
        .arg_i64(contract_id)
        .execute(tx)
        .await?
        == 1)
}

/// What active contracts in the grant's scope come to per customer and currency:
/// (customer, currency, contracts, amount, received, invoiced). Reads running totals,
/// never the payments ledger.
pub async fn contract_sums(tx: &mut Tx, grant: &Grant, f: &ReceivableFilter) -> Result<Vec<ContractSum>, sqlx::Error> {
    let mut b = sql(
        "SELECT k.customer_id, k.currency, COUNT(*), CAST(SUM(k.amount) AS BIGINT), CAST(SUM(k.paid) AS BIGINT), CAST(SUM(k.invoiced) AS BIGINT) \
         FROM contracts k WHERE k.deleted_at IS NULL AND k.status = 'active'",
    );
    grant.push_filter(&mut b, "k");
    filter_receivables(&mut b, f);
    b.push(" GROUP BY k.customer_id, k.currency");
    b.fetch_all(tx).await
}

/// Open amounts of instalments due before `today` per customer and currency, with the
/// oldest due date: (customer, currency, overdue, oldest due). Reads only open
/// instalments (their partial index) and the contracts they belong to.
pub async fn overdue_sums(tx: &mut Tx, grant: &Grant, today: &str, f: &ReceivableFilter) -> Result<Vec<OverdueSum>, sqlx::Error> {
    let mut b = sql(
        "SELECT k.customer_id, k.currency, CAST(SUM(i.amount - i.paid) AS BIGINT), MIN(i.due_on) FROM contract_instalments i \
         JOIN contracts k ON k.id = i.contract_id WHERE i.paid < i.amount AND i.due_on < $1 AND k.deleted_at IS NULL AND k.status = 'active'",
    )
    .arg_text(today);
    grant.push_filter(&mut b, "k");
    filter_receivables(&mut b, f);
    b.push(" GROUP BY k.customer_id, k.currency");
    b.fetch_all(tx).await
}

pub type ContractSum = (i64, String, i64, i64, i64, i64);
pub type OverdueSum = (i64, String, i64, Option<String>);

fn filter_receivables(b: &mut SqlBuilder, f: &ReceivableFilter) {
    if let Some(c) = f.customer_id {
        b.push(" AND k.customer_id = ").bind_i64(c);
    }
    if let Some(term) = f.q.as_deref().map(str::trim).filter(|t| !t.is_empty()) {
        let pattern = format!("%{}%", like_escape(&term.to_lowercase()));
        b.push(" AND k.customer_id IN (SELECT c.id FROM customers c WHERE LOWER(c.name) LIKE ").bind_text(pattern).push(" ESCAPE '\\')");
    }
}

/// Names of the customers on a report page.
pub async fn customer_names(tx: &mut Tx, ids: &[i64]) -> Result<Vec<(i64, String)>, sqlx::Error> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    let mut b = sql("SELECT id, name FROM customers WHERE id IN (");
    for (n, id) in ids.iter().enumerate() {
        if n > 0 {
            b.push(", ");
        }
        b.bind_i64(*id);
    }
    b.push(")");
    b.fetch_all(tx).await
}

/// Overdue instalments of active contracts in the grant's scope, oldest first.
pub async fn overdue(tx: &mut Tx, grant: &Grant, today: &str, limit: i64) -> Result<Vec<OverdueInstalment>, sqlx::Error> {
    let mut b = sql(
        "SELECT i.id AS instalment_id, i.position, i.due_on, i.amount - i.paid AS open, k.id AS contract_id, k.number AS contract_number, \
         k.currency, k.customer_id, c.name AS customer_name, u.display_name AS owner_name \
         FROM contract_instalments i JOIN contracts k ON k.id = i.contract_id JOIN customers c ON c.id = k.customer_id \
         LEFT JOIN users u ON u.id = k.owner_id \
         WHERE i.paid < i.amount AND i.due_on < $1 AND k.status = 'active' AND k.deleted_at IS NULL",
    )
    .arg_text(today);
    grant.push_filter(&mut b, "k");
    b.push(" ORDER BY i.due_on, i.id LIMIT ").bind_i64(limit);
    b.fetch_all(tx).await
}
