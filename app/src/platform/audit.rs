//! Audit log: one row per login, logout, failed login, create, update, delete
//! (and, later, sensitive view and export), written in the same transaction as
//! the change. Rows form a hash chain through `audit_head`, whose row lock
//! serialises writers on both backends, so editing or deleting a row shows up
//! in [`verify_chain`].
use crate::platform::db::{sql, Tx};
use crate::platform::time::now_ms;
use sha2::{Digest, Sha256};

pub const GENESIS: &str = "0000000000000000000000000000000000000000000000000000000000000000";

#[derive(Clone, Debug, Default)]
pub struct AuditEntry {
    pub actor_id: Option<i64>,
    pub actor_name: String,
    /// `login`, `logout`, `login_failed`, `create`, `update`, `delete`, `restore`, …
    pub action: String,
    pub entity: Option<String>,
    pub entity_id: Option<i64>,
    pub summary: String,
    pub before: Option<serde_json::Value>,
    pub after: Option<serde_json::Value>,
    pub ip: String,
    pub request_id: String,
}

impl AuditEntry {
    /// An entry for `actor` doing `action`, with ip and request id from the current request.
    pub fn by(actor_id: Option<i64>, actor_name: &str, action: &str) -> Self {
        let meta = crate::platform::request::meta();
        AuditEntry {
            actor_id,
            actor_name: actor_name.to_string(),
            action: action.to_string(),
            ip: meta.ip,
            request_id: meta.request_id,
            ..Default::default()
        }
    }
    /// An entry for a request handled outside a server function (sign-in forms).
    pub fn with_meta(meta: &crate::platform::request::RequestMeta, actor_id: Option<i64>, actor_name: &str, action: &str) -> Self {
        AuditEntry {
            actor_id,
            actor_name: actor_name.to_string(),
            action: action.to_string(),
            ip: meta.ip.clone(),
            request_id: meta.request_id.clone(),
            ..Default::default()
        }
    }
    pub fn on(mut self, entity: &str, id: i64) -> Self {
        self.entity = Some(entity.to_string());
        self.entity_id = Some(id);
        self
    }
    pub fn summary(mut self, s: impl Into<String>) -> Self {
        self.summary = s.into();
        self
    }
    pub fn before(mut self, v: impl serde::Serialize) -> Self {
        self.before = serde_json::to_value(v).ok();
        self
    }
    pub fn after(mut self, v: impl serde::Serialize) -> Self {
        self.after = serde_json::to_value(v).ok();
        self
    }
}

#[derive(sqlx::FromRow)]
struct Head {
    seq: i64,
    hash: String,
}

#[allow(clippy::too_many_arguments)]
fn chain_hash(
    prev: &str,
    seq: i64,
    at: i64,
    actor_id: Option<i64>,
    actor_name: &str,
    action: &str,
    entity: Option<&str>,
    entity_id: Option<i64>,
    summary: &str,
    before: Option<&str>,
    after: Option<&str>,
    ip: &str,
) -> String {
    let mut h = Sha256::new();
    let fields: [String; 12] = [
        prev.to_string(),
        seq.to_string(),
        at.to_string(),
        actor_id.map(|v| v.to_string()).unwrap_or_default(),
        actor_name.to_string(),
        action.to_string(),
        entity.unwrap_or_default().to_string(),
        entity_id.map(|v| v.to_string()).unwrap_or_default(),
        summary.to_string(),
        before.unwrap_or_default().to_string(),
        after.unwrap_or_default().to_string(),
        ip.to_string(),
    ];
    for f in fields {
        h.update((f.len() as u64).to_le_bytes());
        h.update(f.as_bytes());
    }
    hex::encode(h.finalize())
}

/// Appends `entry` to the log inside `tx`.
pub async fn record(tx: &mut Tx, entry: AuditEntry) -> Result<(), sqlx::Error> {
    record_returning_seq(tx, entry).await.map(|_| ())
}

/// Like [`record`], returning the entry's sequence number (for actions undone from their audit record).
pub async fn record_returning_seq(tx: &mut Tx, entry: AuditEntry) -> Result<i64, sqlx::Error> {
    let head: Head = sql("UPDATE audit_head SET seq = seq + 1 WHERE id = 1 RETURNING seq, hash").fetch_one(tx).await?;
    let at = now_ms();
    let before = entry.before.as_ref().map(|v| v.to_string());
    let after = entry.after.as_ref().map(|v| v.to_string());
    let hash = chain_hash(
        &head.hash,
        head.seq,
        at,
        entry.actor_id,
        &entry.actor_name,
        &entry.action,
        entry.entity.as_deref(),
        entry.entity_id,
        &entry.summary,
        before.as_deref(),
        after.as_deref(),
        &entry.ip,
    );
    sql("INSERT INTO audit_log (seq, at, actor_id, actor_name, action, entity, entity_id, summary, before_json, after_json, ip, request_id, prev_hash, hash) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)")
    .arg_i64(head.seq)
    .arg_i64(at)
    .arg_opt_i64(entry.actor_id)
    .arg_text(entry.actor_name)
    .arg_text(entry.action)
    .arg_opt_text(entry.entity)
    .arg_opt_i64(entry.entity_id)
    .arg_text(entry.summary)
    .arg_opt_text(before)
    .arg_opt_text(after)
    .arg_text(entry.ip)
    .arg_text(entry.request_id)
    .arg_text(head.hash)
    .arg_text(hash.clone())
    .execute(tx)
    .await?;
    sql("UPDATE audit_head SET hash = $1 WHERE id = 1").arg_text(hash).execute(tx).await?;
    Ok(head.seq)
}

#[derive(sqlx::FromRow)]
struct ChainRow {
    seq: i64,
    at: i64,
    actor_id: Option<i64>,
    actor_name: String,
    action: String,
    entity: Option<String>,
    entity_id: Option<i64>,
    summary: String,
    before_json: Option<String>,
    after_json: Option<String>,
    ip: String,
    prev_hash: String,
    hash: String,
}

pub use crate::platform::audit_types::ChainStatus;

/// Recomputes every hash in order; also checks the head and that no row is missing.
pub async fn verify_chain(tx: &mut Tx) -> Result<ChainStatus, sqlx::Error> {
    let mut prev = GENESIS.to_string();
    let mut expected_seq = 1;
    loop {
        let rows: Vec<ChainRow> =
            sql("SELECT seq, at, actor_id, actor_name, action, entity, entity_id, summary, before_json, after_json, ip, prev_hash, hash \
             FROM audit_log WHERE seq >= $1 ORDER BY seq LIMIT 2000")
            .arg_i64(expected_seq)
            .fetch_all(tx)
            .await?;
        if rows.is_empty() {
            break;
        }
        for r in rows {
            let h = chain_hash(
                &prev,
                r.seq,
                r.at,
                r.actor_id,
                &r.actor_name,
                &r.action,
                r.entity.as_deref(),
                r.entity_id,
                &r.summary,
                r.before_json.as_deref(),
                r.after_json.as_deref(),
                &r.ip,
            );
            if r.seq != expected_seq || r.prev_hash != prev || r.hash != h {
                return Ok(ChainStatus::Broken { seq: expected_seq });
            }
            prev = r.hash;
            expected_seq += 1;
        }
    }
    let head: Head = sql("SELECT seq, hash FROM audit_head WHERE id = 1").fetch_one(tx).await?;
    if head.seq != expected_seq - 1 || head.hash != prev {
        return Ok(ChainStatus::Broken { seq: expected_seq });
    }
    Ok(ChainStatus::Intact { rows: expected_seq - 1 })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hash_depends_on_every_field_and_is_unambiguous() {
        let base = chain_hash(GENESIS, 1, 10, Some(1), "admin", "login", None, None, "", None, None, "::1");
        assert_eq!(base.len(), 64);
        assert_ne!(base, chain_hash(GENESIS, 1, 10, Some(1), "admin", "logout", None, None, "", None, None, "::1"));
        assert_ne!(base, chain_hash(GENESIS, 2, 10, Some(1), "admin", "login", None, None, "", None, None, "::1"));
        // Length prefixes stop "ab"+"c" colliding with "a"+"bc".
        assert_ne!(
            chain_hash(GENESIS, 1, 10, None, "ab", "c", None, None, "", None, None, ""),
            chain_hash(GENESIS, 1, 10, None, "a", "bc", None, None, "", None, None, "")
        );
    }
}
