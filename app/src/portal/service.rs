//! The customer portal's rules (V10).
//!
//! A portal login belongs to one customer and is not a staff user: it has its own
//! table, its own sessions and its own cookie (sent only to `/portal`), so the staff
//! app never sees it signed in. Every portal read and write below takes the signed-in
//! [`PortalUser`] and filters by its customer, so a login reaches nothing but its own
//! customer's requests, orders and assets, and only the FAQ articles published for
//! customers. The staff manage logins from the customer's page with the customer's edit
//! permission and data scope. Sign-ins, failures, changes and requests are audited.
use crate::account::service::{hash_password, new_token, token_id, too_many_failures, verify_password, FAILURE_WINDOW_MS};
use crate::customers::service::customer_in_scope;
use crate::knowledge::repo::Readers;
use crate::knowledge::types::{Article, ArticleRow};
use crate::platform::audit::{self, AuditEntry};
use crate::platform::authz::{Action, CurrentUser};
use crate::platform::db::{sql, Bind, Db, Tx};
use crate::platform::error::{AppError, AppResult, FieldError};
use crate::platform::i18n::Locale;
use crate::platform::request::RequestMeta;
use crate::platform::time::now_ms;
use crate::portal::types::*;
use crate::tickets::types::{ServiceInput, ServiceMessage};

pub const PORTAL_COOKIE: &str = "crm_portal";
pub const PORTAL_TTL_MS: i64 = 14 * 24 * 3600 * 1000;
/// Statuses in which the customer may still write on a request.
const OPEN: [&str; 3] = ["open", "in_progress", "waiting"];

/// The signed-in portal login and the customer it belongs to.
#[derive(Clone, Debug, sqlx::FromRow)]
pub struct PortalUser {
    pub id: i64,
    pub customer_id: i64,
    pub customer_name: String,
    pub contact_id: Option<i64>,
    pub display_name: String,
    pub login: String,
    pub locale: Option<String>,
    pub session_id: String,
}

impl PortalUser {
    pub fn locale(&self) -> Option<Locale> {
        self.locale.as_deref().and_then(Locale::from_tag)
    }
    /// How the audit log names a portal login: it is not a staff user.
    fn actor(&self) -> String {
        format!("portal:{} ({})", self.login, self.customer_name)
    }
}

// ---- managed by the staff, on the customer's page ----

const LOGIN_ROW: &str =
    "SELECT p.id, p.contact_id, ct.name AS contact_name, p.login, p.display_name, p.active, p.last_login_at, p.created_at, \
                         p.version FROM portal_users p LEFT JOIN contacts ct ON ct.id = p.contact_id";

/// A customer's portal logins, for whoever may see the customer.
pub async fn logins(db: &Db, user: &CurrentUser, customer_id: i64) -> AppResult<Vec<PortalLogin>> {
    let mut tx = db.read().await?;
    customer_in_scope(&mut tx, user, customer_id, Action::View).await?;
    Ok(sql(&format!("{LOGIN_ROW} WHERE p.customer_id = $1 ORDER BY p.id")).arg_i64(customer_id).fetch_all(&mut tx).await?)
}

/// Opens the portal to someone at the customer. Needs edit rights on the customer.
pub async fn create_login(db: &Db, user: &CurrentUser, customer_id: i64, input: &PortalLoginInput) -> AppResult<i64> {
    let v = input.validate().map_err(AppError::Validation)?;
    // Checked before hashing, so a refused caller costs no argon2 work, and again in
    // the write transaction that saves the login.
    let mut tx = db.read().await?;
    customer_in_scope(&mut tx, user, customer_id, Action::Edit).await?;
    drop(tx);
    let hash = hash_password(v.password.clone()).await?;
    let mut tx = db.write().await?;
    customer_in_scope(&mut tx, user, customer_id, Action::Edit).await?;
    if let Some(c) = v.contact_id {
        let owner: Option<(i64,)> =
            sql("SELECT customer_id FROM contacts WHERE id = $1 AND deleted_at IS NULL").arg_i64(c).fetch_optional(&mut tx).await?;
        if owner != Some((customer_id,)) {
            return Err(AppError::validation("contact_id", "validation.invalid_choice"));
        }
    }
    let taken = sql("SELECT COUNT(*) FROM portal_users WHERE login = $1").arg_text(v.login.clone()).fetch_i64(&mut tx).await?;
    if taken > 0 {
        return Err(AppError::validation("login", "portal.login_taken"));
    }
    let now = now_ms();
    let id = sql("INSERT INTO portal_users (customer_id, contact_id, login, display_name, password_hash, created_at, created_by, updated_at, updated_by) \
                   VALUES ($1, $2, $3, $4, $5, $6, $7, $6, $7) RETURNING id")
    .arg_i64(customer_id)
    .arg_opt_i64(v.contact_id)
    .arg_text(v.login.clone())
    .arg_text(v.display_name.clone())
    .arg_text(hash)
    .arg_i64(now)
    .arg_i64(user.id)
    .fetch_i64(&mut tx)
    .await?;
    audit::record(
        &mut tx,
        AuditEntry::by(Some(user.id), &user.display_name, "create")
            .on("portal_user", id)
            .summary(format!("{} → customer {customer_id}", v.login))
            .after(serde_json::json!({ "customer_id": customer_id, "contact_id": v.contact_id, "login": v.login, "display_name": v.display_name })),
    )
    .await?;
    tx.commit().await?;
    Ok(id)
}

/// Loads a login for a change by the staff: edit rights on its customer, at the version seen.
async fn login_for_change(tx: &mut Tx, user: &CurrentUser, id: i64, version: i64) -> AppResult<(i64, String)> {
    let row: Option<(i64, String, i64)> =
        sql("SELECT customer_id, login, version FROM portal_users WHERE id = $1").arg_i64(id).fetch_optional(tx).await?;
    let (customer_id, login, current) = row.ok_or(AppError::NotFound)?;
    customer_in_scope(tx, user, customer_id, Action::Edit).await?;
    if current != version {
        return Err(AppError::Conflict);
    }
    Ok((customer_id, login))
}

/// Sets one column of a login the staff change, at the version they saw; `end_sessions`
/// signs the customer out everywhere. Returns the login, for the audit line.
async fn change_login(
    tx: &mut Tx,
    user: &CurrentUser,
    id: i64,
    version: i64,
    column: &str,
    value: Bind,
    end_sessions: bool,
) -> AppResult<String> {
    let (_, login) = login_for_change(tx, user, id, version).await?;
    let n = sql(&format!(
        "UPDATE portal_users SET {column} = $1, version = version + 1, updated_at = $2, updated_by = $3 WHERE id = $4 AND version = $5"
    ))
    .arg(value)
    .arg_i64(now_ms())
    .arg_i64(user.id)
    .arg_i64(id)
    .arg_i64(version)
    .execute(tx)
    .await?;
    if n != 1 {
        return Err(AppError::Conflict);
    }
    if end_sessions {
        sql("DELETE FROM portal_sessions WHERE portal_user_id = $1").arg_i64(id).execute(tx).await?;
    }
    Ok(login)
}

/// Turns a login off (its sessions end at once) or back on.
pub async fn set_active(db: &Db, user: &CurrentUser, id: i64, version: i64, active: bool) -> AppResult<()> {
    let mut tx = db.write().await?;
    let login = change_login(&mut tx, user, id, version, "active", Bind::Bool(active), !active).await?;
    let what = if active { "portal access on" } else { "portal access off" };
    audit::record(
        &mut tx,
        AuditEntry::by(Some(user.id), &user.display_name, "update").on("portal_user", id).summary(format!("{login}: {what}")),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// Sets a new password for a customer who forgot theirs; their sessions end.
pub async fn reset_password(db: &Db, user: &CurrentUser, id: i64, version: i64, password: &str) -> AppResult<()> {
    let p = crate::account::types::NewPassword::parse("password", password).map_err(|e| AppError::Validation(vec![e]))?;
    let hash = hash_password(p.as_str().to_string()).await?;
    let mut tx = db.write().await?;
    let login = change_login(&mut tx, user, id, version, "password_hash", Bind::Text(hash), true).await?;
    audit::record(&mut tx, AuditEntry::by(Some(user.id), &user.display_name, "password_change").on("portal_user", id).summary(login))
        .await?;
    tx.commit().await?;
    Ok(())
}

// ---- signing in on the portal ----

#[derive(sqlx::FromRow)]
struct LoginRow {
    id: i64,
    password_hash: String,
    active: bool,
    customer_live: bool,
}

/// Checks a customer's password with the same throttling as staff sign-in and opens a
/// portal session. Returns the cookie token.
pub async fn login(db: &Db, login: &str, password: &str, meta: &RequestMeta) -> AppResult<String> {
    let login = normalize_login(login);
    if login.is_empty() {
        return Err(AppError::validation("login", "validation.required"));
    }
    if password.is_empty() {
        return Err(AppError::validation("password", "validation.required"));
    }
    // Attempts are kept with the staff's, under a name no staff user can have.
    let key = format!("portal:{login}");
    let now = now_ms();
    let since = now - FAILURE_WINDOW_MS;
    let mut tx = db.read().await?;
    let locked = too_many_failures(&mut tx, &key, &meta.ip, since).await?;
    let row: Option<LoginRow> = sql("SELECT p.id, p.password_hash, p.active, c.deleted_at IS NULL AS customer_live \
                                     FROM portal_users p JOIN customers c ON c.id = p.customer_id WHERE p.login = $1")
    .arg_text(login.clone())
    .fetch_optional(&mut tx)
    .await?;
    drop(tx);
    if locked {
        let mut tx = db.write().await?;
        audit::record(&mut tx, AuditEntry::with_meta(meta, None, &key, "login_locked").summary("too many failed attempts")).await?;
        tx.commit().await?;
        return Err(AppError::RateLimited { retry_after_secs: FAILURE_WINDOW_MS / 1000 });
    }
    let ok = verify_password(password.to_string(), row.as_ref().map(|r| r.password_hash.clone())).await;
    let signed_in = row.filter(|r| ok && r.active && r.customer_live);
    let mut tx = db.write().await?;
    sql("INSERT INTO login_attempts (username, ip, succeeded, at) VALUES ($1, $2, $3, $4)")
        .arg_text(key.clone())
        .arg_text(meta.ip.clone())
        .arg_bool(signed_in.is_some())
        .arg_i64(now)
        .execute(&mut tx)
        .await?;
    let Some(row) = signed_in else {
        audit::record(&mut tx, AuditEntry::with_meta(meta, None, &key, "login_failed").summary("wrong login or password")).await?;
        tx.commit().await?;
        return Err(AppError::validation("password", "auth.invalid_credentials"));
    };
    let token = new_token();
    sql("INSERT INTO portal_sessions (id, portal_user_id, created_at, last_seen_at, expires_at, ip) VALUES ($1, $2, $3, $3, $4, $5)")
        .arg_text(token_id(&token))
        .arg_i64(row.id)
        .arg_i64(now)
        .arg_i64(now + PORTAL_TTL_MS)
        .arg_text(meta.ip.clone())
        .execute(&mut tx)
        .await?;
    sql("UPDATE portal_users SET last_login_at = $1 WHERE id = $2").arg_i64(now).arg_i64(row.id).execute(&mut tx).await?;
    sql("DELETE FROM login_attempts WHERE username = $1 AND succeeded = FALSE").arg_text(key.clone()).execute(&mut tx).await?;
    audit::record(&mut tx, AuditEntry::with_meta(meta, None, &key, "login").on("portal_user", row.id)).await?;
    tx.commit().await?;
    Ok(token)
}

/// The login behind a portal cookie; `None` when unknown, expired, turned off, or its
/// customer was deleted.
pub async fn resolve(db: &Db, token: &str) -> AppResult<Option<PortalUser>> {
    let now = now_ms();
    let mut tx = db.read().await?;
    let row: Option<PortalUser> =
        sql("SELECT p.id, p.customer_id, c.name AS customer_name, p.contact_id, p.display_name, p.login, p.locale, \
                                       s.id AS session_id FROM portal_sessions s JOIN portal_users p ON p.id = s.portal_user_id \
                                       JOIN customers c ON c.id = p.customer_id \
                                       WHERE s.id = $1 AND s.expires_at > $2 AND p.active = $3 AND c.deleted_at IS NULL")
        .arg_text(token_id(token))
        .arg_i64(now)
        .arg_bool(true)
        .fetch_optional(&mut tx)
        .await?;
    Ok(row)
}

pub async fn logout(db: &Db, p: &PortalUser, meta: &RequestMeta) -> AppResult<()> {
    let mut tx = db.write().await?;
    sql("DELETE FROM portal_sessions WHERE id = $1").arg_text(p.session_id.clone()).execute(&mut tx).await?;
    audit::record(&mut tx, AuditEntry::with_meta(meta, None, &p.actor(), "logout").on("portal_user", p.id)).await?;
    tx.commit().await?;
    Ok(())
}

pub async fn set_locale(db: &Db, p: &PortalUser, locale: Locale) -> AppResult<()> {
    let mut tx = db.write().await?;
    sql("UPDATE portal_users SET locale = $1 WHERE id = $2").arg_text(locale.code()).arg_i64(p.id).execute(&mut tx).await?;
    tx.commit().await?;
    Ok(())
}

/// The customer changes the password the staff handed over.
pub async fn change_password(db: &Db, p: &PortalUser, current: &str, new: &str, confirm: &str, meta: &RequestMeta) -> AppResult<()> {
    let mut errors = Vec::new();
    if current.is_empty() {
        errors.push(FieldError::new("current", "validation.required"));
    }
    let parsed = crate::account::types::NewPassword::parse("new", new);
    if let Err(e) = &parsed {
        errors.push(e.clone());
    }
    if new != confirm {
        errors.push(FieldError::new("confirm", "validation.password_mismatch"));
    }
    if !errors.is_empty() {
        return Err(AppError::Validation(errors));
    }
    let mut tx = db.read().await?;
    let (hash,): (String,) = sql("SELECT password_hash FROM portal_users WHERE id = $1").arg_i64(p.id).fetch_one(&mut tx).await?;
    drop(tx);
    if !verify_password(current.to_string(), Some(hash)).await {
        return Err(AppError::validation("current", "auth.wrong_current_password"));
    }
    let hash = hash_password(new.to_string()).await?;
    let mut tx = db.write().await?;
    sql("UPDATE portal_users SET password_hash = $1, version = version + 1, updated_at = $2 WHERE id = $3")
        .arg_text(hash)
        .arg_i64(now_ms())
        .arg_i64(p.id)
        .execute(&mut tx)
        .await?;
    // Other devices sign in again; this one stays.
    sql("DELETE FROM portal_sessions WHERE portal_user_id = $1 AND id <> $2")
        .arg_i64(p.id)
        .arg_text(p.session_id.clone())
        .execute(&mut tx)
        .await?;
    audit::record(&mut tx, AuditEntry::with_meta(meta, None, &p.actor(), "password_change").on("portal_user", p.id)).await?;
    tx.commit().await?;
    Ok(())
}

// ---- what the customer sees and does ----

#[derive(Clone, Debug, sqlx::FromRow)]
pub struct PortalRequestRow {
    pub id: i64,
    pub number: String,
    pub kind: String,
    pub subject: String,
    pub status: String,
    pub created_at: i64,
    pub updated_at: i64,
}

#[derive(Clone, Debug, sqlx::FromRow)]
pub struct PortalRequest {
    pub id: i64,
    pub number: String,
    pub kind: String,
    pub priority: String,
    pub subject: String,
    pub description: String,
    pub status: String,
    pub resolution: String,
    pub created_at: i64,
    pub resolved_at: Option<i64>,
    pub asset_name: Option<String>,
    pub asset_serial: Option<String>,
    #[sqlx(skip)]
    pub messages: Vec<ServiceMessage>,
    /// The customer's rating of the latest resolution (score, comment), once given.
    #[sqlx(skip)]
    pub rating: Option<(i64, String)>,
    /// Service bills for the work done on it.
    #[sqlx(skip)]
    pub bills: Vec<crate::fieldwork::types::PostedBill>,
}

impl PortalRequest {
    pub fn open(&self) -> bool {
        OPEN.contains(&self.status.as_str())
    }
    /// Resolved (or closed) and not rated since: the customer may say how satisfied they are.
    pub fn can_rate(&self) -> bool {
        matches!(self.status.as_str(), "resolved" | "closed") && self.rating.is_none()
    }
}

/// The portal rating given for request `id` since it was last resolved.
async fn rating_since_resolved(tx: &mut Tx, id: i64, resolved_at: Option<i64>) -> Result<Option<(i64, String)>, sqlx::Error> {
    let Some(resolved_at) = resolved_at else { return Ok(None) };
    sql("SELECT satisfaction, comment FROM service_visits WHERE request_id = $1 AND channel = 'portal' AND created_at >= $2 \
         ORDER BY id DESC LIMIT 1")
    .arg_i64(id)
    .arg_i64(resolved_at)
    .fetch_optional(tx)
    .await
}

#[derive(Clone, Debug, sqlx::FromRow)]
pub struct PortalOrder {
    pub id: i64,
    pub number: String,
    pub title: String,
    pub order_date: String,
    pub delivery_date: String,
    pub status: String,
    pub currency: String,
    pub total: i64,
}

#[derive(Clone, Debug, sqlx::FromRow)]
pub struct PortalAsset {
    pub id: i64,
    pub name: String,
    pub serial_no: String,
    pub warranty_ends_on: Option<String>,
}

/// The customer's requests, the latest activity first.
pub async fn requests(db: &Db, p: &PortalUser) -> AppResult<Vec<PortalRequestRow>> {
    let mut tx = db.read().await?;
    Ok(sql("SELECT id, number, kind, subject, status, created_at, updated_at FROM service_requests \
            WHERE customer_id = $1 AND deleted_at IS NULL ORDER BY updated_at DESC, id DESC LIMIT 200")
    .arg_i64(p.customer_id)
    .fetch_all(&mut tx)
    .await?)
}

/// One of the customer's requests with its conversation; another customer's is not found.
pub async fn request(db: &Db, p: &PortalUser, id: i64) -> AppResult<PortalRequest> {
    let mut tx = db.read().await?;
    let mut r: PortalRequest =
        sql("SELECT r.id, r.number, r.kind, r.priority, r.subject, r.description, r.status, r.resolution, r.created_at, \
                                    r.resolved_at, a.name AS asset_name, a.serial_no AS asset_serial FROM service_requests r \
                                    LEFT JOIN service_assets a ON a.id = r.asset_id \
                                    WHERE r.id = $1 AND r.customer_id = $2 AND r.deleted_at IS NULL")
        .arg_i64(id)
        .arg_i64(p.customer_id)
        .fetch_optional(&mut tx)
        .await?
        .ok_or(AppError::NotFound)?;
    r.messages = crate::tickets::repo::messages(&mut tx, id).await?;
    r.rating = rating_since_resolved(&mut tx, id, r.resolved_at).await?;
    r.bills = crate::fieldwork::billing::for_request(&mut tx, p.customer_id, id).await?;
    Ok(r)
}

/// One of the customer's service bills as a printable document in their language;
/// audited as the staff's prints are. Another customer's is not found.
pub async fn bill(db: &Db, p: &PortalUser, id: i64, locale: Locale, meta: &RequestMeta) -> AppResult<crate::platform::print::Document> {
    let mut tx = db.write().await?;
    let d = crate::fieldwork::billing::print_for_customer(&mut tx, p.customer_id, id, locale, &p.display_name).await?;
    audit::record(&mut tx, AuditEntry::with_meta(meta, None, &p.actor(), "export").on("contract", id).summary(format!("PDF {}", d.number)))
        .await?;
    tx.commit().await?;
    Ok(d)
}

/// The customer rates a resolved request of theirs (1–5, a comment optional; words are
/// asked for when they are not satisfied). Once per resolution; a dissatisfied customer
/// reopens it. Returns whether it was reopened.
pub async fn rate(db: &Db, p: &PortalUser, id: i64, form: &RatingForm, meta: &RequestMeta) -> AppResult<bool> {
    let score = form.validate().map_err(AppError::Validation)?;
    let mut tx = db.write().await?;
    let r: Option<crate::tickets::service::PortalRated> =
        sql("SELECT id, number, subject, customer_id, owner_id, status, resolved_at FROM service_requests \
         WHERE id = $1 AND customer_id = $2 AND deleted_at IS NULL")
        .arg_i64(id)
        .arg_i64(p.customer_id)
        .fetch_optional(&mut tx)
        .await?;
    let r = r.ok_or(AppError::NotFound)?;
    if !matches!(r.status.as_str(), "resolved" | "closed") {
        return Err(AppError::validation("score", "portal.rate_after_resolution"));
    }
    if rating_since_resolved(&mut tx, id, r.resolved_at).await?.is_some() {
        return Err(AppError::validation("score", "portal.already_rated"));
    }
    let reopened = crate::tickets::service::customer_rated(&mut tx, &r, p.id, score, form.comment.trim(), now_ms()).await?;
    let what = format!("{} portal rating {score}/5{}", r.number, if reopened { ", reopened" } else { "" });
    audit::record(&mut tx, AuditEntry::with_meta(meta, None, &p.actor(), "update").on("service_request", id).summary(what)).await?;
    tx.commit().await?;
    Ok(reopened)
}

/// The customer's installed assets, for the request form.
pub async fn assets(db: &Db, p: &PortalUser) -> AppResult<Vec<PortalAsset>> {
    let mut tx = db.read().await?;
    Ok(sql(
        "SELECT id, name, serial_no, warranty_ends_on FROM service_assets WHERE customer_id = $1 AND deleted_at IS NULL ORDER BY name, id",
    )
    .arg_i64(p.customer_id)
    .fetch_all(&mut tx)
    .await?)
}

/// Opens a request from the portal: routed and given deadlines like any other, owned
/// when the route names nobody by the customer's own account manager.
pub async fn submit(db: &Db, p: &PortalUser, form: &PortalRequestForm, meta: &RequestMeta) -> AppResult<i64> {
    let mut errors = Vec::new();
    if !PORTAL_KINDS.contains(&form.kind.as_str()) {
        errors.push(FieldError::new("kind", "validation.required"));
    }
    let asset_id = match form.asset.trim() {
        "" => None,
        a => match a.parse::<i64>() {
            Ok(a) => Some(a),
            Err(_) => {
                errors.push(FieldError::new("asset", "validation.invalid_choice"));
                None
            }
        },
    };
    let input = ServiceInput {
        customer_id: Some(p.customer_id),
        contact_id: p.contact_id,
        kind: form.kind.clone(),
        channel: "portal".into(),
        priority: if form.urgent.is_some() { "high" } else { "normal" }.into(),
        subject: form.subject.clone(),
        description: form.description.clone(),
        product_id: None,
        asset_id,
    };
    let mut v = match input.validate() {
        Ok(v) if errors.is_empty() => v,
        Ok(_) => return Err(AppError::Validation(errors)),
        Err(more) => {
            errors.extend(more.into_iter().filter(|e| e.field != "kind"));
            return Err(AppError::Validation(errors));
        }
    };
    if v.description.chars().count() > TEXT_MAX {
        return Err(AppError::validation("description", "validation.too_long"));
    }
    let mut tx = db.write().await?;
    if let Some(a) = v.asset_id {
        let asset = crate::tickets::repo::asset(&mut tx, a).await?.filter(|a| a.customer_id == p.customer_id);
        let Some(asset) = asset else {
            return Err(AppError::validation("asset", "validation.invalid_choice"));
        };
        v.product_id = asset.product_id;
    }
    let (owner, dept): (Option<i64>, Option<i64>) =
        sql("SELECT owner_id, department_id FROM customers WHERE id = $1").arg_i64(p.customer_id).fetch_one(&mut tx).await?;
    let now = now_ms();
    let o = crate::tickets::service::open_request(&mut tx, &v, None, (owner, dept), now).await?;
    sql("UPDATE service_requests SET portal_user_id = $1 WHERE id = $2").arg_i64(p.id).arg_i64(o.id).execute(&mut tx).await?;
    audit::record(
        &mut tx,
        AuditEntry::with_meta(meta, None, &p.actor(), "create")
            .on("service_request", o.id)
            .summary(format!("{} {}", o.number, v.subject))
            .after(&v),
    )
    .await?;
    if let Some(owner) = o.owner_id {
        crate::tickets::service::notify(
            &mut tx,
            owner,
            "service.notice_assigned",
            &o.number,
            &v.subject,
            p.customer_id,
            o.id,
            o.response_due_at,
            now,
        )
        .await?;
    }
    tx.commit().await?;
    Ok(o.id)
}

/// The customer writes on one of their open requests; whoever works it is told.
pub async fn add_message(db: &Db, p: &PortalUser, id: i64, body: &str, meta: &RequestMeta) -> AppResult<()> {
    let body = body.trim();
    if body.is_empty() {
        return Err(AppError::validation("body", "validation.required"));
    }
    if body.chars().count() > TEXT_MAX {
        return Err(AppError::validation("body", "validation.too_long"));
    }
    let mut tx = db.write().await?;
    let row: Option<(String, String, String, Option<i64>)> =
        sql("SELECT number, subject, status, owner_id FROM service_requests WHERE id = $1 AND customer_id = $2 AND deleted_at IS NULL")
            .arg_i64(id)
            .arg_i64(p.customer_id)
            .fetch_optional(&mut tx)
            .await?;
    let (number, subject, status, owner) = row.ok_or(AppError::NotFound)?;
    if !OPEN.contains(&status.as_str()) {
        return Err(AppError::validation("body", "portal.request_closed"));
    }
    let now = now_ms();
    crate::tickets::repo::add_message(&mut tx, id, None, Some(p.id), body, now).await?;
    // An answer to a request waiting for the customer puts it back to work.
    crate::tickets::service::customer_answered(&mut tx, id, &p.actor(), now).await?;
    audit::record(
        &mut tx,
        AuditEntry::with_meta(meta, None, &p.actor(), "update").on("service_request", id).summary(format!("{number} customer message")),
    )
    .await?;
    if let Some(owner) = owner {
        crate::tickets::service::notify(&mut tx, owner, "service.notice_customer_message", &number, &subject, p.customer_id, id, now, now)
            .await?;
    }
    tx.commit().await?;
    Ok(())
}

/// The customer's orders past the draft stage, the latest first.
pub async fn orders(db: &Db, p: &PortalUser) -> AppResult<Vec<PortalOrder>> {
    let mut tx = db.read().await?;
    Ok(sql("SELECT id, number, title, order_date, delivery_date, status, currency, total FROM orders \
            WHERE customer_id = $1 AND deleted_at IS NULL AND status <> 'draft' ORDER BY order_date DESC, id DESC LIMIT 200")
    .arg_i64(p.customer_id)
    .fetch_all(&mut tx)
    .await?)
}

/// FAQ search: published articles written for customers, Chinese substrings included.
pub async fn faq(db: &Db, q: &str) -> AppResult<Vec<ArticleRow>> {
    let q: String = q.trim().chars().take(100).collect();
    let mut tx = db.read().await?;
    Ok(crate::knowledge::repo::search(&mut tx, &q, "", Readers::Customers, 50).await?)
}

pub async fn faq_article(db: &Db, id: i64) -> AppResult<Article> {
    let mut tx = db.read().await?;
    crate::knowledge::repo::get(&mut tx, id, Readers::Customers).await?.ok_or(AppError::NotFound)
}
