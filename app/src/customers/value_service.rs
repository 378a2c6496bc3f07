//! Stores the value model, scores customers (one on demand with its explanation; all
//! of them in the background job) and counts the pyramid within the user's scope.
use crate::customers::lifecycle::derive_status;
use crate::customers::service::customer_in_scope;
use crate::customers::types::CustomerStatus;
use crate::customers::value::*;
use crate::platform::audit::{self, AuditEntry};
use crate::platform::authz::{authorize, Action, CurrentUser, Entity};
use crate::platform::db::{sql, Db, Tx};
use crate::platform::error::{AppError, AppResult};
use crate::platform::settings;
use crate::platform::time::now_ms;

const MODEL_KEY: &str = "value.model";
const COMPUTED_KEY: &str = "value.computed_at";
const WINDOW_MS: i64 = 90 * 86_400_000;

pub async fn load_model(tx: &mut Tx) -> Result<ValueModel, sqlx::Error> {
    let raw: Option<(String,)> = sql("SELECT value FROM settings WHERE key = $1").arg_text(MODEL_KEY).fetch_optional(tx).await?;
    Ok(raw.and_then(|(v,)| serde_json::from_str(&v).ok()).unwrap_or_default())
}

pub async fn get_model(db: &Db, user: &CurrentUser) -> AppResult<ValueModel> {
    authorize(user, Entity::Customer, Action::View)?;
    let mut tx = db.read().await?;
    Ok(load_model(&mut tx).await?)
}

pub async fn save_model(db: &Db, user: &CurrentUser, model: &ValueModel) -> AppResult<()> {
    authorize(user, Entity::Setting, Action::Edit)?;
    model.validate().map_err(AppError::Validation)?;
    let mut tx = db.write().await?;
    let before = load_model(&mut tx).await?;
    settings::set(&mut tx, MODEL_KEY, &serde_json::to_string(model).map_err(AppError::internal)?, Some(user.id), now_ms()).await?;
    audit::record(
        &mut tx,
        AuditEntry::by(Some(user.id), &user.display_name, "update").on("setting", 0).summary("value model").before(before).after(model),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// The facts of customers `c` at `now`: follow-ups in the last 90 days, payments in the
/// last 365, and instalments overdue before today (`today`, ISO).
fn facts_query(now: i64, today: &str) -> String {
    let since = now - WINDOW_MS;
    let year = now - 365 * 86_400_000;
    format!(
        "SELECT c.id, c.kind, c.rating, c.relationship, c.credit_limit, c.status, \
         (SELECT MAX(t.at) FROM (SELECT MAX(o.created_at) AS at FROM orders o WHERE o.customer_id = c.id AND o.deleted_at IS NULL \
            AND o.status IN ('confirmed', 'partially_shipped', 'shipped') \
          UNION ALL SELECT MAX(k.created_at) FROM contracts k WHERE k.customer_id = c.id AND k.deleted_at IS NULL \
          UNION ALL SELECT MAX(p.created_at) FROM payments p WHERE p.customer_id = c.id AND p.voided_at IS NULL) t) AS last_transaction_at, \
         (SELECT COUNT(*) FROM payments p WHERE p.customer_id = c.id AND p.voided_at IS NULL AND p.created_at >= {year}) AS payments_12m, \
         (SELECT COUNT(*) FROM contracts k WHERE k.customer_id = c.id AND k.status = 'active' AND k.deleted_at IS NULL) AS contracts, \
         (SELECT COUNT(*) FROM contract_instalments i JOIN contracts k ON k.id = i.contract_id WHERE k.customer_id = c.id \
            AND k.status = 'active' AND k.deleted_at IS NULL AND i.paid < i.amount AND i.due_on < '{today}') AS overdue_instalments, \
         (SELECT COUNT(*) FROM activity_links l JOIN activities a ON a.id = l.activity_id WHERE l.entity = 'customer' AND l.entity_id = c.id \
            AND a.deleted_at IS NULL AND a.status = 'done' AND a.occurred_at >= {since}) AS activities_90d, \
         (SELECT MAX(a.occurred_at) FROM activity_links l JOIN activities a ON a.id = l.activity_id WHERE l.entity = 'customer' AND l.entity_id = c.id \
            AND a.deleted_at IS NULL AND a.status = 'done') AS last_activity_at, \
         (SELECT COUNT(*) FROM contacts k WHERE k.customer_id = c.id AND k.deleted_at IS NULL) AS contacts \
         FROM customers c"
    )
}

/// One customer's score with the indicators that made it.
pub async fn customer_value(db: &Db, user: &CurrentUser, id: i64) -> AppResult<ValueScore> {
    let mut tx = db.read().await?;
    customer_in_scope(&mut tx, user, id, Action::View).await?;
    let now = now_ms();
    let model = load_model(&mut tx).await?;
    let facts: ValueFacts =
        sql(&format!("{} WHERE c.id = $1", facts_query(now, &crate::contracts::service::today()))).arg_i64(id).fetch_one(&mut tx).await?;
    Ok(score(&model, &facts, now))
}

/// Scores every live customer, 1 000 per transaction; returns how many.
pub async fn recompute_all(db: &Db, now: i64) -> AppResult<usize> {
    let model = {
        let mut tx = db.read().await?;
        load_model(&mut tx).await?
    };
    let today = crate::contracts::service::today();
    let mut after = 0_i64;
    let mut total = 0;
    loop {
        let mut tx = db.write().await?;
        let batch: Vec<ValueFacts> =
            sql(&format!("{} WHERE c.deleted_at IS NULL AND c.id > $1 ORDER BY c.id LIMIT 1000", facts_query(now, &today)))
                .arg_i64(after)
                .fetch_all(&mut tx)
                .await?;
        let Some(last) = batch.last() else {
            settings::set(&mut tx, COMPUTED_KEY, &now.to_string(), None, now).await?;
            tx.commit().await?;
            return Ok(total);
        };
        after = last.id;
        let mut moved = Vec::new();
        for f in &batch {
            let s = score(&model, f, now);
            // The lifecycle rule moves customers on transactions only (C2).
            let current = CustomerStatus::from_code(&f.status).unwrap_or(CustomerStatus::Potential);
            let status = derive_status(current, f.last_transaction_at, now);
            if status != current {
                moved.push(format!("{}: {} → {}", f.id, current.code(), status.code()));
            }
            sql("UPDATE customers SET value_score = $1, value_band = $2, status = $3 WHERE id = $4")
                .arg_i64(s.score)
                .arg_text(s.band)
                .arg_text(status.code())
                .arg_i64(f.id)
                .execute(&mut tx)
                .await?;
        }
        if !moved.is_empty() {
            audit::record(
                &mut tx,
                AuditEntry::by(None, "system", "lifecycle").on("customer", 0).summary(format!(
                    "{} customers: {}{}",
                    moved.len(),
                    moved[..moved.len().min(20)].join(", "),
                    if moved.len() > 20 { ", …" } else { "" }
                )),
            )
            .await?;
        }
        tx.commit().await?;
        total += batch.len();
    }
}

/// Runs the scoring now (settings page button); audited.
pub async fn recompute_now(db: &Db, user: &CurrentUser) -> AppResult<usize> {
    authorize(user, Entity::Setting, Action::Edit)?;
    let n = recompute_all(db, now_ms()).await?;
    let mut tx = db.write().await?;
    audit::record(
        &mut tx,
        AuditEntry::by(Some(user.id), &user.display_name, "update").on("setting", 0).summary(format!("value scores: {n} customers")),
    )
    .await?;
    tx.commit().await?;
    Ok(n)
}

/// Customers per band within the user's view scope, highest band first.
pub async fn pyramid(db: &Db, user: &CurrentUser) -> AppResult<Pyramid> {
    let grant = authorize(user, Entity::Customer, Action::View)?;
    let mut tx = db.read().await?;
    let model = load_model(&mut tx).await?;
    let mut q = sql("SELECT COALESCE(c.value_band, ''), COUNT(*) FROM customers c WHERE c.deleted_at IS NULL");
    grant.push_filter(&mut q, "c");
    q.push(" GROUP BY c.value_band");
    let counts: Vec<(String, i64)> = q.fetch_all(&mut tx).await?;
    let computed_at = settings::get_i64(&mut tx, COMPUTED_KEY, 0).await?;
    let bands = model.bands.iter().map(|b| (b.name.clone(), counts.iter().find(|c| c.0 == b.name).map(|c| c.1).unwrap_or(0))).collect();
    // Customers never scored, or in a band that no longer exists, wait for the next run.
    let unscored = counts.iter().filter(|c| !model.bands.iter().any(|b| b.name == c.0)).map(|c| c.1).sum();
    Ok(Pyramid { bands, unscored, computed_at: (computed_at > 0).then_some(computed_at) })
}
