//! Company-wide settings stored as key/value rows (`settings` table).
use crate::platform::db::{sql, Tx};

pub async fn get_i64(tx: &mut Tx, key: &str, default: i64) -> Result<i64, sqlx::Error> {
    let v: Option<(String,)> = sql("SELECT value FROM settings WHERE key = $1").arg_text(key).fetch_optional(tx).await?;
    Ok(v.and_then(|(v,)| v.parse().ok()).unwrap_or(default))
}

pub async fn get_text(tx: &mut Tx, key: &str) -> Result<Option<String>, sqlx::Error> {
    let v: Option<(String,)> = sql("SELECT value FROM settings WHERE key = $1").arg_text(key).fetch_optional(tx).await?;
    Ok(v.map(|(v,)| v))
}

pub async fn set(tx: &mut Tx, key: &str, value: &str, actor: Option<i64>, now: i64) -> Result<u64, sqlx::Error> {
    sql("INSERT INTO settings (key, value, updated_at, updated_by) VALUES ($1, $2, $3, $4) \
         ON CONFLICT (key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at, updated_by = excluded.updated_by")
    .arg_text(key)
    .arg_text(value)
    .arg_i64(now)
    .arg_opt_i64(actor)
    .execute(tx)
    .await
}
