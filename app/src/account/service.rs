//! Sign-in, sessions, passwords and personal settings.
use crate::account::types::NewPassword;
use crate::platform::audit::{self, AuditEntry};
use crate::platform::authz::{Action, CurrentUser, Entity, Permissions, Scope};
use crate::platform::db::{sql, Db, Tx};
use crate::platform::error::{AppError, AppResult};
use crate::platform::i18n::Locale;
use crate::platform::request::RequestMeta;
use crate::platform::time::now_ms;
use rand::RngCore;
use sha2::{Digest, Sha256};

pub const SESSION_COOKIE: &str = "crm_session";
pub const SESSION_TTL_MS: i64 = 7 * 24 * 3600 * 1000;
/// Failed attempts per username in the window before a temporary lockout.
pub const MAX_FAILURES_PER_USER: i64 = 5;
/// Failed attempts per client address in the window.
pub const MAX_FAILURES_PER_IP: i64 = 30;
pub const FAILURE_WINDOW_MS: i64 = 15 * 60 * 1000;

/// Hashes with argon2 off the async runtime (it takes tens of milliseconds by design).
pub async fn hash_password(password: String) -> AppResult<String> {
    tokio::task::spawn_blocking(move || password_auth::generate_hash(password)).await.map_err(AppError::internal)
}

pub(crate) async fn verify_password(password: String, hash: Option<String>) -> bool {
    tokio::task::spawn_blocking(move || match hash {
        Some(h) => password_auth::verify_password(password, &h).is_ok(),
        None => {
            // Same work for unknown users, so timing does not reveal which names exist.
            static DUMMY: std::sync::OnceLock<String> = std::sync::OnceLock::new();
            let dummy = DUMMY.get_or_init(|| password_auth::generate_hash("not-a-real-password"));
            let _ = password_auth::verify_password(password, dummy);
            false
        }
    })
    .await
    .unwrap_or(false)
}

/// A fresh session token for a cookie: 32 random bytes as hex.
pub(crate) fn new_token() -> String {
    let mut bytes = [0u8; 32];
    rand::thread_rng().fill_bytes(&mut bytes);
    hex::encode(bytes)
}

/// Whether sign-in under `username` or from `ip` failed too often since `since`.
pub(crate) async fn too_many_failures(tx: &mut Tx, username: &str, ip: &str, since: i64) -> Result<bool, sqlx::Error> {
    let user_failures = sql("SELECT COUNT(*) FROM login_attempts WHERE username = $1 AND at > $2 AND succeeded = $3")
        .arg_text(username)
        .arg_i64(since)
        .arg_bool(false)
        .fetch_i64(tx)
        .await?;
    let ip_failures = sql("SELECT COUNT(*) FROM login_attempts WHERE ip = $1 AND at > $2 AND succeeded = $3")
        .arg_text(ip)
        .arg_i64(since)
        .arg_bool(false)
        .fetch_i64(tx)
        .await?;
    Ok(user_failures >= MAX_FAILURES_PER_USER || ip_failures >= MAX_FAILURES_PER_IP)
}

pub(crate) fn token_id(token: &str) -> String {
    hex::encode(Sha256::digest(token.as_bytes()))
}

#[derive(sqlx::FromRow)]
struct LoginUser {
    id: i64,
    display_name: String,
    password_hash: String,
    active: bool,
}

/// A successful sign-in: the cookie token to hand to the browser.
#[derive(Debug)]
pub struct SignedIn {
    pub token: String,
    pub user_id: i64,
}

/// Checks the password, throttles guessing, opens a session and audits the outcome.
#[tracing::instrument(skip(db, password, user_agent, meta))]
pub async fn login(db: &Db, username: &str, password: &str, meta: &RequestMeta, user_agent: &str) -> AppResult<SignedIn> {
    let ip = meta.ip.as_str();
    let username = username.trim().to_lowercase();
    if username.is_empty() {
        return Err(AppError::validation("username", "validation.required"));
    }
    if password.is_empty() {
        return Err(AppError::validation("password", "validation.required"));
    }
    let now = now_ms();
    let since = now - FAILURE_WINDOW_MS;
    let mut tx = db.read().await?;
    let locked = too_many_failures(&mut tx, &username, ip, since).await?;
    let user: Option<LoginUser> = sql("SELECT id, display_name, password_hash, active FROM users WHERE username = $1")
        .arg_text(username.clone())
        .fetch_optional(&mut tx)
        .await?;
    drop(tx);
    if locked {
        let mut tx = db.write().await?;
        let oldest: (i64,) =
            sql("SELECT COALESCE(MIN(at), $3) FROM login_attempts WHERE (username = $1 OR ip = $2) AND at > $3 AND succeeded = FALSE")
                .arg_text(username.clone())
                .arg_text(ip)
                .arg_i64(since)
                .fetch_one(&mut tx)
                .await?;
        audit::record(
            &mut tx,
            AuditEntry::with_meta(meta, user.as_ref().map(|u| u.id), &username, "login_locked").summary("too many failed attempts"),
        )
        .await?;
        tx.commit().await?;
        let retry = ((oldest.0 + FAILURE_WINDOW_MS - now) / 1000).max(1);
        return Err(AppError::RateLimited { retry_after_secs: retry });
    }
    let ok = verify_password(password.to_string(), user.as_ref().map(|u| u.password_hash.clone())).await;
    let mut tx = db.write().await?;
    let active_user = user.filter(|u| ok && u.active);
    sql("INSERT INTO login_attempts (username, ip, succeeded, at) VALUES ($1, $2, $3, $4)")
        .arg_text(username.clone())
        .arg_text(ip)
        .arg_bool(active_user.is_some())
        .arg_i64(now)
        .execute(&mut tx)
        .await?;
    let Some(user) = active_user else {
        audit::record(&mut tx, AuditEntry::with_meta(meta, None, &username, "login_failed").summary("wrong username or password")).await?;
        tx.commit().await?;
        return Err(AppError::validation("password", "auth.invalid_credentials"));
    };
    let token = new_token();
    sql("INSERT INTO sessions (id, user_id, created_at, last_seen_at, expires_at, ip, user_agent) VALUES ($1, $2, $3, $3, $4, $5, $6)")
        .arg_text(token_id(&token))
        .arg_i64(user.id)
        .arg_i64(now)
        .arg_i64(now + SESSION_TTL_MS)
        .arg_text(ip)
        .arg_text(user_agent.chars().take(300).collect::<String>())
        .execute(&mut tx)
        .await?;
    // Successful sign-in clears this user's failure history.
    sql("DELETE FROM login_attempts WHERE username = $1 AND succeeded = FALSE").arg_text(username.clone()).execute(&mut tx).await?;
    audit::record(&mut tx, AuditEntry::with_meta(meta, Some(user.id), &user.display_name, "login").on("user", user.id).summary(username))
        .await?;
    tx.commit().await?;
    Ok(SignedIn { token, user_id: user.id })
}

/// Ends the session behind `token` and audits it.
pub async fn logout(db: &Db, user: &CurrentUser, meta: &RequestMeta) -> AppResult<()> {
    let mut tx = db.write().await?;
    sql("DELETE FROM sessions WHERE id = $1").arg_text(user.session_id.clone()).execute(&mut tx).await?;
    audit::record(&mut tx, AuditEntry::with_meta(meta, Some(user.id), &user.display_name, "logout").on("user", user.id)).await?;
    tx.commit().await?;
    Ok(())
}

#[derive(sqlx::FromRow)]
struct SessionUser {
    session_id: String,
    last_seen_at: i64,
    id: i64,
    username: String,
    display_name: String,
    department_id: Option<i64>,
    department_path: Option<String>,
    department_name: Option<String>,
    locale: Option<String>,
}

#[derive(sqlx::FromRow)]
struct PermRow {
    entity: String,
    action: String,
    scope: String,
}

/// Loads the user and permissions behind a session cookie; `None` when expired or unknown.
pub async fn resolve_session(db: &Db, token: &str) -> AppResult<Option<CurrentUser>> {
    let now = now_ms();
    let id = token_id(token);
    let mut tx = db.read().await?;
    let row: Option<SessionUser> = sql(
        "SELECT s.id AS session_id, s.last_seen_at, u.id, u.username, u.display_name, u.department_id, d.path AS department_path, d.name AS department_name, u.locale \
         FROM sessions s JOIN users u ON u.id = s.user_id LEFT JOIN departments d ON d.id = u.department_id \
         WHERE s.id = $1 AND s.expires_at > $2 AND u.active = $3",
    )
    .arg_text(id)
    .arg_i64(now)
    .arg_bool(true)
    .fetch_optional(&mut tx)
    .await?;
    let Some(row) = row else { return Ok(None) };
    let permissions = load_permissions(&mut tx, row.id).await?;
    drop(tx);
    // Sliding expiry, written at most once a minute per session.
    if now - row.last_seen_at > 60_000 {
        let mut tx = db.write().await?;
        sql("UPDATE sessions SET last_seen_at = $1, expires_at = $2 WHERE id = $3")
            .arg_i64(now)
            .arg_i64(now + SESSION_TTL_MS)
            .arg_text(row.session_id.clone())
            .execute(&mut tx)
            .await?;
        tx.commit().await?;
    }
    Ok(Some(CurrentUser {
        id: row.id,
        username: row.username,
        display_name: row.display_name,
        department_id: row.department_id,
        department_path: row.department_path,
        department_name: row.department_name,
        locale: row.locale.as_deref().and_then(Locale::from_tag),
        permissions,
        session_id: row.session_id,
    }))
}

#[derive(sqlx::FromRow)]
struct UserRow {
    username: String,
    display_name: String,
    department_id: Option<i64>,
    department_path: Option<String>,
    department_name: Option<String>,
    locale: Option<String>,
}

/// A user with their permissions, as a session would carry them, outside any session
/// (the CLI and benchmarks act as a user; tests build users this way).
pub async fn load_user(db: &Db, user_id: i64) -> AppResult<Option<CurrentUser>> {
    let mut tx = db.read().await?;
    let row: Option<UserRow> =
        sql("SELECT u.username, u.display_name, u.department_id, d.path AS department_path, d.name AS department_name, u.locale \
         FROM users u LEFT JOIN departments d ON d.id = u.department_id WHERE u.id = $1")
        .arg_i64(user_id)
        .fetch_optional(&mut tx)
        .await?;
    let Some(row) = row else { return Ok(None) };
    let permissions = load_permissions(&mut tx, user_id).await?;
    Ok(Some(CurrentUser {
        id: user_id,
        username: row.username,
        display_name: row.display_name,
        department_id: row.department_id,
        department_path: row.department_path,
        department_name: row.department_name,
        locale: row.locale.as_deref().and_then(Locale::from_tag),
        permissions,
        session_id: String::new(),
    }))
}

pub async fn load_permissions(tx: &mut Tx, user_id: i64) -> AppResult<Permissions> {
    let rows: Vec<PermRow> = sql(
        "SELECT rp.entity, rp.action, rp.scope FROM user_roles ur JOIN role_permissions rp ON rp.role_id = ur.role_id WHERE ur.user_id = $1",
    )
    .arg_i64(user_id)
    .fetch_all(tx)
    .await?;
    let mut perms: Vec<(Entity, Action, Scope)> = rows
        .iter()
        .filter_map(|r| Some((Entity::from_code(&r.entity)?, Action::from_code(&r.action)?, Scope::from_code(&r.scope)?)))
        .collect();
    perms.sort();
    perms.dedup();
    Ok(Permissions(perms))
}

/// Changes the signed-in user's password after checking the current one; other sessions end.
pub async fn change_password(db: &Db, user: &CurrentUser, current: &str, new: &str, confirm: &str) -> AppResult<()> {
    let mut errors = Vec::new();
    if current.is_empty() {
        errors.push(crate::platform::error::FieldError::new("current", "validation.required"));
    }
    let new_pw = match NewPassword::parse("new", new) {
        Ok(p) => Some(p),
        Err(e) => {
            errors.push(e);
            None
        }
    };
    if new != confirm {
        errors.push(crate::platform::error::FieldError::new("confirm", "validation.password_mismatch"));
    }
    if !errors.is_empty() {
        return Err(AppError::Validation(errors));
    }
    let mut tx = db.read().await?;
    let (hash,): (String,) = sql("SELECT password_hash FROM users WHERE id = $1").arg_i64(user.id).fetch_one(&mut tx).await?;
    drop(tx);
    if !verify_password(current.to_string(), Some(hash)).await {
        return Err(AppError::validation("current", "auth.wrong_current_password"));
    }
    let new_hash = hash_password(new_pw.expect("validated").as_str().to_string()).await?;
    let mut tx = db.write().await?;
    sql("UPDATE users SET password_hash = $1, version = version + 1, updated_at = $2 WHERE id = $3")
        .arg_text(new_hash)
        .arg_i64(now_ms())
        .arg_i64(user.id)
        .execute(&mut tx)
        .await?;
    sql("DELETE FROM sessions WHERE user_id = $1 AND id <> $2").arg_i64(user.id).arg_text(user.session_id.clone()).execute(&mut tx).await?;
    audit::record(&mut tx, AuditEntry::by(Some(user.id), &user.display_name, "password_change").on("user", user.id)).await?;
    tx.commit().await?;
    Ok(())
}

/// Saves the user's language.
pub async fn set_locale(db: &Db, user_id: i64, locale: Locale) -> AppResult<()> {
    let mut tx = db.write().await?;
    sql("UPDATE users SET locale = $1 WHERE id = $2").arg_text(locale.code()).arg_i64(user_id).execute(&mut tx).await?;
    tx.commit().await?;
    Ok(())
}

/// Removes expired sessions and old login attempts (run periodically by the server).
pub async fn purge_expired(db: &Db) -> AppResult<u64> {
    let now = now_ms();
    let mut tx = db.write().await?;
    let n = sql("DELETE FROM sessions WHERE expires_at < $1").arg_i64(now).execute(&mut tx).await?;
    // The customer portal's sessions expire the same way.
    sql("DELETE FROM portal_sessions WHERE expires_at < $1").arg_i64(now).execute(&mut tx).await?;
    sql("DELETE FROM login_attempts WHERE at < $1").arg_i64(now - 24 * 3600 * 1000).execute(&mut tx).await?;
    tx.commit().await?;
    Ok(n)
}
