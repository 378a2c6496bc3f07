//! SQL for contacts. Contacts are reached through their customer, whose scope the
//! service checks first; the birthday list applies the customer grant itself.
use crate::contacts::types::*;
use crate::platform::authz::Grant;
use crate::platform::db::{sql, SqlBuilder, Tx};

const COLUMNS: &str = "id, customer_id, name, gender, title, dept, mobile, phone, email, wechat, qq, birthday, hobbies, family, \
     background, preferences, decision_role, reports_to_id, is_primary, notes, version, updated_at";

pub async fn list_for_customer(tx: &mut Tx, customer_id: i64) -> Result<Vec<Contact>, sqlx::Error> {
    sql(&format!("SELECT {COLUMNS} FROM contacts WHERE customer_id = $1 AND deleted_at IS NULL ORDER BY is_primary DESC, name, id"))
        .arg_i64(customer_id)
        .fetch_all(tx)
        .await
}

pub async fn get(tx: &mut Tx, id: i64, include_deleted: bool) -> Result<Option<Contact>, sqlx::Error> {
    let deleted = if include_deleted { "" } else { " AND deleted_at IS NULL" };
    sql(&format!("SELECT {COLUMNS} FROM contacts WHERE id = $1{deleted}")).arg_i64(id).fetch_optional(tx).await
}

pub async fn deleted_at(tx: &mut Tx, id: i64) -> Result<Option<i64>, sqlx::Error> {
    Ok(sql("SELECT deleted_at FROM contacts WHERE id = $1").arg_i64(id).fetch_optional::<(Option<i64>,)>(tx).await?.and_then(|r| r.0))
}

fn push_values(q: SqlBuilder, c: &ValidContact) -> SqlBuilder {
    q.arg_text(c.name.clone())
        .arg_opt_text(c.gender.clone())
        .arg_opt_text(c.title.clone())
        .arg_opt_text(c.dept.clone())
        .arg_opt_text(c.mobile.clone())
        .arg_opt_text(c.phone.clone())
        .arg_opt_text(c.email.clone())
        .arg_opt_text(c.wechat.clone())
        .arg_opt_text(c.qq.clone())
        .arg_opt_text(c.birthday.clone())
        .arg_opt_i64(c.birthday_md)
        .arg_opt_text(c.hobbies.clone())
        .arg_opt_text(c.family.clone())
        .arg_opt_text(c.background.clone())
        .arg_opt_text(c.preferences.clone())
        .arg_opt_text(c.decision_role.map(|r| r.code().to_string()))
        .arg_opt_i64(c.reports_to_id)
        .arg_bool(c.is_primary)
        .arg_opt_text(c.notes.clone())
}

pub async fn insert(tx: &mut Tx, customer_id: i64, c: &ValidContact, actor: i64, now: i64) -> Result<i64, sqlx::Error> {
    push_values(
        sql("INSERT INTO contacts (name, gender, title, dept, mobile, phone, email, wechat, qq, birthday, birthday_md, hobbies, family, \
             background, preferences, decision_role, reports_to_id, is_primary, notes, customer_id, version, created_at, created_by, \
             updated_at, updated_by) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, \
             $20, 1, $21, $22, $21, $22) RETURNING id"),
        c,
    )
    .arg_i64(customer_id)
    .arg_i64(now)
    .arg_i64(actor)
    .fetch_i64(tx)
    .await
}

pub async fn update(tx: &mut Tx, id: i64, version: i64, c: &ValidContact, actor: i64, now: i64) -> Result<bool, sqlx::Error> {
    let n = push_values(
        sql("UPDATE contacts SET name = $1, gender = $2, title = $3, dept = $4, mobile = $5, phone = $6, email = $7, wechat = $8, \
             qq = $9, birthday = $10, birthday_md = $11, hobbies = $12, family = $13, background = $14, preferences = $15, \
             decision_role = $16, reports_to_id = $17, is_primary = $18, notes = $19, version = version + 1, updated_at = $20, \
             updated_by = $21 WHERE id = $22 AND version = $23 AND deleted_at IS NULL"),
        c,
    )
    .arg_i64(now)
    .arg_i64(actor)
    .arg_i64(id)
    .arg_i64(version)
    .execute(tx)
    .await?;
    Ok(n == 1)
}

/// Only one primary contact per customer.
pub async fn clear_primary(tx: &mut Tx, customer_id: i64, except: i64) -> Result<u64, sqlx::Error> {
    sql("UPDATE contacts SET is_primary = $1 WHERE customer_id = $2 AND id <> $3 AND is_primary = $4")
        .arg_bool(false)
        .arg_i64(customer_id)
        .arg_i64(except)
        .arg_bool(true)
        .execute(tx)
        .await
}

pub async fn set_deleted(tx: &mut Tx, id: i64, version: i64, deleted_at: Option<i64>, actor: i64, now: i64) -> Result<bool, sqlx::Error> {
    let n =
        sql("UPDATE contacts SET deleted_at = $1, version = version + 1, updated_at = $2, updated_by = $3 WHERE id = $4 AND version = $5")
            .arg_opt_i64(deleted_at)
            .arg_i64(now)
            .arg_i64(actor)
            .arg_i64(id)
            .arg_i64(version)
            .execute(tx)
            .await?;
    Ok(n == 1)
}

/// The manager chain above `start` (ids), stopping at the first repeat.
pub async fn manager_chain(tx: &mut Tx, start: i64) -> Result<Vec<i64>, sqlx::Error> {
    let mut chain = vec![start];
    let mut at = start;
    while chain.len() < 100 {
        let next: Option<(Option<i64>,)> =
            sql("SELECT reports_to_id FROM contacts WHERE id = $1 AND deleted_at IS NULL").arg_i64(at).fetch_optional(tx).await?;
        match next.and_then(|r| r.0) {
            Some(m) if !chain.contains(&m) => {
                chain.push(m);
                at = m;
            }
            _ => break,
        }
    }
    Ok(chain)
}

/// Contacts of customers in the grant's scope whose birthday (month*100+day) lies in
/// `[from, to]`, or, when the window wraps the year end, in `[from, 1231] ∪ [101, to]`.
pub async fn birthdays(tx: &mut Tx, grant: &Grant, from: i64, to: i64, limit: i64) -> Result<Vec<BirthdayRow>, sqlx::Error> {
    let mut q = sql("SELECT k.id, k.name, k.title, k.mobile, k.birthday, k.birthday_md, k.customer_id, c.name AS customer_name \
         FROM contacts k JOIN customers c ON c.id = k.customer_id WHERE k.deleted_at IS NULL AND c.deleted_at IS NULL AND k.birthday IS NOT NULL");
    if from <= to {
        q.push(" AND k.birthday_md BETWEEN ").bind_i64(from).push(" AND ").bind_i64(to);
    } else {
        q.push(" AND (k.birthday_md >= ").bind_i64(from).push(" OR k.birthday_md <= ").bind_i64(to).push(")");
    }
    grant.push_filter(&mut q, "c");
    q.push(" ORDER BY k.birthday_md, k.name LIMIT ").bind_i64(limit);
    q.fetch_all(tx).await
}
