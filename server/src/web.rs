//! HTTP: router, session resolution, sign-in forms, CSRF check, security headers.
use crate::config::Config;
use app::account::service::{self as account, SESSION_COOKIE, SESSION_TTL_MS};
use app::customers::service::ExportFormat;
use app::platform::authz::CurrentUser;
use app::platform::db::Db;
use app::platform::error::AppError;
use app::platform::i18n::Locale;
use app::platform::request::RequestMeta;
use app::{shell, App};
use axum::extract::{ConnectInfo, FromRef, FromRequest, Request, State};
use axum::http::{header, HeaderMap, HeaderValue, Method, StatusCode};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::{Form, Router};
use leptos::prelude::*;
use leptos_axum::{generate_route_list, LeptosRoutes};
use serde::Deserialize;
use std::net::SocketAddr;
use std::time::Duration;
use tower_http::compression::CompressionLayer;
use tower_http::request_id::{MakeRequestUuid, PropagateRequestIdLayer, RequestId, SetRequestIdLayer};
use tower_http::set_header::SetResponseHeaderLayer;
use tower_http::trace::TraceLayer;

#[derive(Clone)]
pub struct AppState {
    pub leptos_options: LeptosOptions,
    pub db: Db,
    pub config: Config,
}

impl FromRef<AppState> for LeptosOptions {
    fn from_ref(s: &AppState) -> Self {
        s.leptos_options.clone()
    }
}

pub fn init_tracing() {
    use tracing_subscriber::EnvFilter;
    let filter = EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new("info,sqlx=warn,tower_http=info"));
    let _ = tracing_subscriber::fmt().with_env_filter(filter).with_target(false).try_init();
}

pub fn router(config: Config, db: Db) -> Router {
    let leptos_options =
        LeptosOptions::builder().output_name("crm").site_root(config.site_root.clone()).site_pkg_dir("pkg").site_addr(config.bind).build();
    let state = AppState { leptos_options: leptos_options.clone(), db: db.clone(), config };
    let routes = generate_route_list(App);
    let ctx_db = db.clone();
    let ctx_dir = app::platform::request::DataDir(state.config.data_dir.clone());
    let x_request_id = header::HeaderName::from_static("x-request-id");
    Router::new()
        .route("/auth/login", post(login_submit))
        .route("/auth/logout", post(logout_submit))
        .route("/auth/locale", post(locale_submit))
        .route("/healthz", get(|| async { "ok" }))
        .merge(crate::portal::routes())
        .route(app::leads::web_form::PATH, get(web_form_page).post(web_form_submit))
        .route("/customers/export.csv", get(|s: State<AppState>, r: Request| export_customers(s, r, ExportFormat::Csv)))
        .route("/customers/export.xlsx", get(|s: State<AppState>, r: Request| export_customers(s, r, ExportFormat::Xlsx)))
        .route(
            "/activities/{id}/attachments",
            post(attachment_upload).layer(axum::extract::DefaultBodyLimit::max(app::activities::attachments::MAX_BYTES + 64 * 1024)),
        )
        .route("/attachments/{id}", get(attachment_download))
        .route("/quotes/{id}/pdf", get(quote_pdf))
        .route("/service-bills/{id}/pdf", get(service_bill_pdf))
        .route(
            "/import/customers",
            post(|s: State<AppState>, r: Request| import_upload(s, r, "customer"))
                .layer(axum::extract::DefaultBodyLimit::max(app::customers::import::MAX_FILE_BYTES + 64 * 1024)),
        )
        .route(
            "/import/leads",
            post(|s: State<AppState>, r: Request| import_upload(s, r, "lead"))
                .layer(axum::extract::DefaultBodyLimit::max(app::customers::import::MAX_FILE_BYTES + 64 * 1024)),
        )
        .leptos_routes_with_context(
            &state,
            routes,
            move || {
                provide_context(ctx_db.clone());
                provide_context(ctx_dir.clone());
            },
            {
                let options = leptos_options.clone();
                move || shell(options.clone())
            },
        )
        .fallback(leptos_axum::file_and_error_handler::<AppState, _>(shell))
        .layer(middleware::from_fn_with_state(state.clone(), session_middleware))
        .layer(CompressionLayer::new())
        .layer(SetResponseHeaderLayer::if_not_present(header::X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff")))
        .layer(SetResponseHeaderLayer::if_not_present(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY")))
        .layer(SetResponseHeaderLayer::if_not_present(header::REFERRER_POLICY, HeaderValue::from_static("same-origin")))
        .layer(SetResponseHeaderLayer::if_not_present(
            header::CONTENT_SECURITY_POLICY,
            HeaderValue::from_static(
                "default-src 'self'; script-src 'self' 'unsafe-inline' 'wasm-unsafe-eval'; style-src 'self' 'unsafe-inline'; \
                 img-src 'self' data:; connect-src 'self' ws: wss:; frame-ancestors 'none'; base-uri 'self'; form-action 'self'",
            ),
        ))
        .layer(PropagateRequestIdLayer::new(x_request_id.clone()))
        .layer(TraceLayer::new_for_http().make_span_with(|req: &Request| {
            let id = req.headers().get("x-request-id").and_then(|v| v.to_str().ok()).unwrap_or("-");
            tracing::info_span!("request", method = %req.method(), path = %req.uri().path(), request_id = %id)
        }))
        .layer(SetRequestIdLayer::new(x_request_id, MakeRequestUuid))
        .with_state(state)
}

pub async fn serve(config: Config, db: Db) -> anyhow::Result<()> {
    let bind = config.bind;
    let app = router(config, db.clone());
    let purge_db = db.clone();
    tokio::spawn(async move {
        let mut tick = tokio::time::interval(Duration::from_secs(3600));
        loop {
            tick.tick().await;
            if let Err(e) = account::purge_expired(&purge_db).await {
                tracing::warn!(error = %e, "session purge failed");
            }
        }
    });
    let listener = tokio::net::TcpListener::bind(bind).await.map_err(|e| anyhow::anyhow!("cannot listen on {bind}: {e}"))?;
    let local = listener.local_addr()?;
    tracing::info!("CRM listening on http://{local}");
    println!("CRM listening on http://{local}");
    axum::serve(listener, app.into_make_service_with_connect_info::<SocketAddr>()).with_graceful_shutdown(shutdown_signal()).await?;
    db.close().await;
    tracing::info!("shut down cleanly");
    Ok(())
}

async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async {
        if let Ok(mut s) = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            s.recv().await;
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! { _ = ctrl_c => {}, _ = term => {} }
}

fn session_token(headers: &HeaderMap) -> Option<String> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find_map(|c| app::account::api::cookie_value(c, SESSION_COOKIE))
        .filter(|t| t.len() == 64 && t.bytes().all(|b| b.is_ascii_hexdigit()))
}

fn client_ip(req: &Request, trust_proxy: bool) -> String {
    if trust_proxy {
        if let Some(ip) = req.headers().get("x-forwarded-for").and_then(|v| v.to_str().ok()).and_then(|v| v.split(',').next()) {
            return ip.trim().to_string();
        }
    }
    req.extensions().get::<ConnectInfo<SocketAddr>>().map(|c| c.0.ip().to_string()).unwrap_or_default()
}

fn is_public(path: &str) -> bool {
    path == "/login"
        || path == "/auth/login"
        || path == "/auth/locale"
        || path == "/healthz"
        || path == app::leads::web_form::PATH
        || path == "/favicon.ico"
        // The customer portal signs its own users in (see `crate::portal`).
        || crate::portal::is_portal_path(path)
        // The tablet's offline shell: the service worker, the web app manifest, its icons.
        || path == "/sw.js"
        || path == "/manifest.webmanifest"
        || path.starts_with("/icons/")
        || path.starts_with("/pkg/")
}

/// Rejects cross-site state-changing requests. SameSite=Lax already keeps the
/// session cookie off cross-site POSTs; this also stops login CSRF and covers
/// server functions, which have no CSRF protection of their own.
fn cross_site(req: &Request) -> bool {
    if matches!(*req.method(), Method::GET | Method::HEAD | Method::OPTIONS) {
        return false;
    }
    let h = req.headers();
    if let Some(site) = h.get("sec-fetch-site").and_then(|v| v.to_str().ok()) {
        return !matches!(site, "same-origin" | "none");
    }
    match (h.get(header::ORIGIN).and_then(|v| v.to_str().ok()), h.get(header::HOST).and_then(|v| v.to_str().ok())) {
        (Some("null"), _) => true,
        (Some(origin), Some(host)) => origin.split("://").nth(1).map(|o| o.trim_end_matches('/')) != Some(host),
        _ => false,
    }
}

/// Resolves the session, records request facts, enforces sign-in and the CSRF check.
async fn session_middleware(State(state): State<AppState>, mut req: Request, next: Next) -> Response {
    let request_id = req.extensions().get::<RequestId>().and_then(|r| r.header_value().to_str().ok()).unwrap_or("-").to_string();
    let ip = client_ip(&req, state.config.trust_proxy);
    req.extensions_mut().insert(RequestMeta { request_id, ip });
    let path = req.uri().path().to_string();
    if cross_site(&req) {
        tracing::warn!(%path, "cross-site request refused");
        return (StatusCode::FORBIDDEN, "cross-site request refused").into_response();
    }
    let user = match session_token(req.headers()) {
        Some(token) => match account::resolve_session(&state.db, &token).await {
            Ok(u) => u,
            Err(_) => return (StatusCode::SERVICE_UNAVAILABLE, "database unavailable").into_response(),
        },
        None => None,
    };
    let signed_in = user.is_some();
    if let Some(u) = user {
        req.extensions_mut().insert::<CurrentUser>(u);
    }
    if !signed_in && !is_public(&path) {
        if path.starts_with("/api/") {
            let body = serde_json::to_string(&AppError::Unauthenticated).unwrap_or_default();
            return (StatusCode::UNAUTHORIZED, [(header::CONTENT_TYPE, "application/json")], body).into_response();
        }
        let target = req.uri().path_and_query().map(|p| p.as_str()).unwrap_or("/");
        let next_param = if target == "/" { String::new() } else { format!("?next={}", app::ui::url_encode(target)) };
        return Redirect::to(&format!("/login{next_param}")).into_response();
    }
    if signed_in && path == "/login" && req.method() == Method::GET {
        return Redirect::to("/customers").into_response();
    }
    let mut res = next.run(req).await;
    if !path.starts_with("/pkg/") {
        res.headers_mut().insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    }
    res
}

/// Only same-site relative paths are followed after sign-in (no open redirect).
fn safe_next(next: Option<&str>) -> String {
    match next {
        Some(n) if n.starts_with('/') && !n.starts_with("//") && !n.starts_with("/\\") && !n.starts_with("/login") => n.to_string(),
        _ => "/customers".to_string(),
    }
}

fn session_cookie(token: &str, max_age_secs: i64, secure: bool) -> HeaderValue {
    let secure = if secure { "; Secure" } else { "" };
    HeaderValue::from_str(&format!("{SESSION_COOKIE}={token}; Path=/; HttpOnly; SameSite=Lax; Max-Age={max_age_secs}{secure}"))
        .expect("valid cookie")
}

#[derive(Deserialize)]
struct LoginForm {
    username: String,
    password: String,
    next: Option<String>,
}

async fn login_submit(State(state): State<AppState>, req: Request) -> Response {
    let meta = req.extensions().get::<RequestMeta>().cloned().unwrap_or_default();
    let ua = req.headers().get(header::USER_AGENT).and_then(|v| v.to_str().ok()).unwrap_or("").to_string();
    let Ok(Form(form)) = Form::<LoginForm>::from_request(req, &state).await else {
        return Redirect::to("/login?error=required").into_response();
    };
    let next = safe_next(form.next.as_deref());
    let back = |error: &str, extra: String| {
        Redirect::to(&format!(
            "/login?error={error}&username={}&next={}{extra}",
            app::ui::url_encode(form.username.trim()),
            app::ui::url_encode(&next)
        ))
        .into_response()
    };
    match account::login(&state.db, &form.username, &form.password, &meta, &ua).await {
        Ok(signed_in) => {
            let mut res = Redirect::to(&next).into_response();
            res.headers_mut()
                .insert(header::SET_COOKIE, session_cookie(&signed_in.token, SESSION_TTL_MS / 1000, state.config.secure_cookies));
            res
        }
        Err(AppError::RateLimited { retry_after_secs }) => back("locked", format!("&retry={retry_after_secs}")),
        Err(AppError::Validation(errs)) if errs.iter().any(|e| e.code == "validation.required") => back("required", String::new()),
        Err(AppError::Validation(_)) => back("invalid", String::new()),
        Err(_) => (StatusCode::SERVICE_UNAVAILABLE, "sign-in is unavailable, please retry").into_response(),
    }
}

async fn logout_submit(State(state): State<AppState>, req: Request) -> Response {
    if let Some(user) = req.extensions().get::<CurrentUser>().cloned() {
        // Audit and session removal must not be skipped silently.
        let meta = req.extensions().get::<RequestMeta>().cloned().unwrap_or_default();
        if let Err(e) = account::logout(&state.db, &user, &meta).await {
            tracing::error!(error = %e, "logout failed");
        }
    }
    let mut res = Redirect::to("/login").into_response();
    res.headers_mut().insert(header::SET_COOKIE, session_cookie("", 0, state.config.secure_cookies));
    res
}

#[derive(Deserialize)]
struct LocaleForm {
    locale: String,
    next: Option<String>,
}

async fn locale_submit(State(state): State<AppState>, req: Request) -> Response {
    let user = req.extensions().get::<CurrentUser>().cloned();
    let Ok(Form(form)) = Form::<LocaleForm>::from_request(req, &state).await else {
        return (StatusCode::BAD_REQUEST, "invalid form").into_response();
    };
    let Some(locale) = Locale::from_tag(&form.locale) else {
        return (StatusCode::BAD_REQUEST, "unknown language").into_response();
    };
    if let Some(u) = user {
        if let Err(e) = account::set_locale(&state.db, u.id, locale).await {
            tracing::error!(error = %e, "saving language failed");
        }
    }
    let next = match form.next.as_deref() {
        Some(n) if n.starts_with("/login") => n.to_string(),
        other => safe_next(other),
    };
    let mut res = Redirect::to(&next).into_response();
    let cookie = format!("crm_lang={}; Path=/; Max-Age=31536000; SameSite=Lax", locale.code());
    res.headers_mut().insert(header::SET_COOKIE, HeaderValue::from_str(&cookie).expect("valid cookie"));
    res
}

/// The public form's language: the `lang` it carries, else the browser's.
fn web_form_locale(lang: Option<&str>, headers: &HeaderMap) -> Locale {
    lang.and_then(Locale::from_tag)
        .unwrap_or_else(|| Locale::negotiate(headers.get(header::ACCEPT_LANGUAGE).and_then(|v| v.to_str().ok()).unwrap_or("")))
}

fn html_page(page: app::leads::web_form::Page) -> Response {
    let status = StatusCode::from_u16(page.status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    (status, [(header::CONTENT_TYPE, "text/html; charset=utf-8")], page.html).into_response()
}

#[derive(Deserialize)]
struct LangQuery {
    lang: Option<String>,
}

/// The public lead form (no sign-in), with a fresh signed time token.
async fn web_form_page(State(state): State<AppState>, req: Request) -> Response {
    use app::leads::web_form;
    let lang = axum::extract::Query::<LangQuery>::try_from_uri(req.uri()).ok().and_then(|q| q.0.lang);
    let locale = web_form_locale(lang.as_deref(), req.headers());
    match web_form::secret(&state.db).await {
        Ok(key) => {
            let token = web_form::issue_token(&key, app::platform::time::now_ms());
            html_page(web_form::Page { status: 200, html: web_form::render(locale, &Default::default(), &[], &token) })
        }
        Err(e) => {
            tracing::error!(error = ?e, "web form unavailable");
            (StatusCode::SERVICE_UNAVAILABLE, "unavailable").into_response()
        }
    }
}

async fn web_form_submit(State(state): State<AppState>, req: Request) -> Response {
    use app::leads::web_form;
    let ip = req.extensions().get::<RequestMeta>().map(|m| m.ip.clone()).unwrap_or_default();
    let headers = req.headers().clone();
    let Ok(Form(form)) = Form::<app::leads::types::WebLeadForm>::from_request(req, &state).await else {
        return (StatusCode::BAD_REQUEST, "invalid form").into_response();
    };
    let locale = web_form_locale(Some(form.lang.as_str()), &headers);
    html_page(web_form::handle(&state.db, &form, &ip, app::platform::time::now_ms(), locale).await)
}

/// The customer list as CSV or XLSX, with the list page's filters and the user's data scope.
/// The signed-in user's language: their setting, else the browser's.
fn request_locale(user: &CurrentUser, req: &Request) -> Locale {
    user.locale.unwrap_or_else(|| Locale::negotiate(req.headers().get(header::ACCEPT_LANGUAGE).and_then(|v| v.to_str().ok()).unwrap_or("")))
}

/// An error of a download route as a status and a translated line of text.
fn error_response(locale: Locale, e: &AppError) -> Response {
    let status = match e {
        AppError::Forbidden => StatusCode::FORBIDDEN,
        AppError::NotFound => StatusCode::NOT_FOUND,
        AppError::Validation(_) => StatusCode::BAD_REQUEST,
        _ => StatusCode::INTERNAL_SERVER_ERROR,
    };
    (status, app::ui::error_text(app::platform::i18n::I18n(locale), e)).into_response()
}

async fn export_customers(State(state): State<AppState>, req: Request, format: ExportFormat) -> Response {
    let Some(user) = req.extensions().get::<CurrentUser>().cloned() else {
        return StatusCode::UNAUTHORIZED.into_response();
    };
    let meta = req.extensions().get::<RequestMeta>().cloned().unwrap_or_default();
    let locale = request_locale(&user, &req);
    let Ok(axum::extract::Query(q)) = axum::extract::Query::<app::customers::types::ListQuery>::try_from_uri(req.uri()) else {
        return (StatusCode::BAD_REQUEST, app::platform::i18n::tr(locale, "error.validation")).into_response();
    };
    let params = app::customers::service::ListParams::from_query(&q, None);
    match app::customers::service::export_customers(&state.db, &user, &params, locale, &meta, format).await {
        Ok((bytes, _)) => {
            let date = app::platform::time::format_ms(app::platform::time::now_ms(), app::account::api::tz_offset_minutes());
            let (ext, mime) = match format {
                ExportFormat::Csv => ("csv", "text/csv; charset=utf-8"),
                ExportFormat::Xlsx => ("xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
            };
            let disposition = format!("attachment; filename=\"customers-{}.{ext}\"", &date[..10]);
            ([(header::CONTENT_TYPE, mime.to_string()), (header::CONTENT_DISPOSITION, disposition)], bytes).into_response()
        }
        Err(e) => error_response(locale, &e),
    }
}

/// A quote as an A4 PDF in the user's language (see `crate::pdf`).
async fn quote_pdf(State(state): State<AppState>, axum::extract::Path(id): axum::extract::Path<i64>, req: Request) -> Response {
    let Some(user) = req.extensions().get::<CurrentUser>().cloned() else {
        return StatusCode::UNAUTHORIZED.into_response();
    };
    let meta = req.extensions().get::<RequestMeta>().cloned().unwrap_or_default();
    let locale = request_locale(&user, &req);
    pdf_response(locale, app::quotes::service::print(&state.db, &user, id, locale, &meta).await).await
}

/// A service bill (a receivable posted from a work order) as an A4 PDF for the customer.
async fn service_bill_pdf(State(state): State<AppState>, axum::extract::Path(id): axum::extract::Path<i64>, req: Request) -> Response {
    let Some(user) = req.extensions().get::<CurrentUser>().cloned() else {
        return StatusCode::UNAUTHORIZED.into_response();
    };
    let meta = req.extensions().get::<RequestMeta>().cloned().unwrap_or_default();
    let locale = request_locale(&user, &req);
    pdf_response(locale, app::fieldwork::billing::print(&state.db, &user, id, locale, &meta).await).await
}

/// A printable document as a PDF download, named after its number. Layout runs on a
/// blocking thread: it is CPU work of some tens of milliseconds.
pub(crate) async fn pdf_response(locale: Locale, doc: Result<app::platform::print::Document, AppError>) -> Response {
    let doc = match doc {
        Ok(doc) => doc,
        Err(e) => return error_response(locale, &e),
    };
    let file = format!("{}.pdf", doc.number.replace(|c: char| !c.is_ascii_alphanumeric() && c != '-', "_"));
    let Ok(json) = serde_json::to_string(&doc) else {
        return StatusCode::INTERNAL_SERVER_ERROR.into_response();
    };
    match tokio::task::spawn_blocking(move || crate::pdf::render(&json)).await {
        Ok(Ok(bytes)) => (
            [
                (header::CONTENT_TYPE, "application/pdf".to_string()),
                (header::CONTENT_DISPOSITION, format!("attachment; filename=\"{file}\"")),
                (header::CACHE_CONTROL, "private, no-store".to_string()),
            ],
            bytes,
        )
            .into_response(),
        Ok(Err(e)) => {
            tracing::error!(error = %e, "PDF");
            (StatusCode::SERVICE_UNAVAILABLE, app::platform::i18n::tr(locale, "print.unavailable")).into_response()
        }
        Err(e) => {
            tracing::error!(error = %e, "PDF task");
            StatusCode::INTERNAL_SERVER_ERROR.into_response()
        }
    }
}

/// Receives the file of a customer or lead import from a plain HTML form (works before
/// hydration) and sends the user on to the mapping page, or back with the reason it was refused.
async fn import_upload(State(state): State<AppState>, req: Request, entity: &'static str) -> Response {
    let Some(user) = req.extensions().get::<CurrentUser>().cloned() else {
        return StatusCode::UNAUTHORIZED.into_response();
    };
    let start = app::customers::import_types::entity_home(entity).1;
    let back = |code: &str| Redirect::to(&format!("{start}?error={code}")).into_response();
    let Ok(mut form) = axum::extract::Multipart::from_request(req, &state).await else {
        return back("import.unreadable");
    };
    while let Ok(Some(field)) = form.next_field().await {
        if field.name() != Some("file") {
            continue;
        }
        let name = field.file_name().unwrap_or("").to_string();
        let Ok(bytes) = field.bytes().await else {
            return back("import.too_large");
        };
        return match app::customers::import::upload_as(&state.db, &user, entity, &name, &bytes).await {
            Ok(id) => Redirect::to(&format!("{start}/{id}")).into_response(),
            Err(e) => back(&e.field("file").unwrap_or_else(|| e.message_key().to_string())),
        };
    }
    back("import.empty")
}

#[derive(Deserialize)]
struct BackQuery {
    back: Option<String>,
}

/// Receives an attachment from the plain form on a timeline entry and returns to the page.
async fn attachment_upload(State(state): State<AppState>, axum::extract::Path(id): axum::extract::Path<i64>, req: Request) -> Response {
    let Some(user) = req.extensions().get::<CurrentUser>().cloned() else {
        return StatusCode::UNAUTHORIZED.into_response();
    };
    let back = axum::extract::Query::<BackQuery>::try_from_uri(req.uri()).ok().and_then(|q| q.0.back);
    let back = safe_next(back.as_deref());
    let with_error = |code: &str| {
        let sep = if back.contains('?') { '&' } else { '?' };
        Redirect::to(&format!("{back}{sep}attach_error={code}")).into_response()
    };
    let Ok(mut form) = axum::extract::Multipart::from_request(req, &state).await else {
        return with_error("attachment.too_large");
    };
    while let Ok(Some(field)) = form.next_field().await {
        if field.name() != Some("file") {
            continue;
        }
        let name = field.file_name().unwrap_or("").to_string();
        let Ok(bytes) = field.bytes().await else {
            return with_error("attachment.too_large");
        };
        return match app::activities::attachments::save(&state.db, &user, id, &name, &bytes, &state.config.data_dir).await {
            Ok(_) => Redirect::to(&back).into_response(),
            Err(e) => with_error(&e.field("file").unwrap_or_else(|| e.message_key().to_string())),
        };
    }
    with_error("attachment.empty")
}

/// Serves an attachment to whoever may view its customer, always as a download.
async fn attachment_download(State(state): State<AppState>, axum::extract::Path(id): axum::extract::Path<i64>, req: Request) -> Response {
    let Some(user) = req.extensions().get::<CurrentUser>().cloned() else {
        return StatusCode::UNAUTHORIZED.into_response();
    };
    match app::activities::attachments::open(&state.db, &user, id, &state.config.data_dir).await {
        Ok((name, mime, bytes)) => {
            let encoded = app::ui::url_encode(&name);
            let disposition = format!("attachment; filename*=UTF-8''{encoded}");
            (
                [
                    (header::CONTENT_TYPE, mime),
                    (header::CONTENT_DISPOSITION, disposition),
                    (header::CACHE_CONTROL, "private, no-store".to_string()),
                ],
                bytes,
            )
                .into_response()
        }
        Err(AppError::NotFound) | Err(AppError::Forbidden) => StatusCode::NOT_FOUND.into_response(),
        Err(_) => StatusCode::INTERNAL_SERVER_ERROR.into_response(),
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use axum::body::Body;

    #[test]
    fn next_is_kept_on_site() {
        assert_eq!(safe_next(Some("/customers/5")), "/customers/5");
        assert_eq!(safe_next(Some("//evil.example")), "/customers");
        assert_eq!(safe_next(Some("https://evil.example")), "/customers");
        assert_eq!(safe_next(Some("/\\evil")), "/customers");
        assert_eq!(safe_next(None), "/customers");
    }

    fn req(method: Method, headers: &[(&str, &str)]) -> Request {
        let mut b = Request::builder().method(method).uri("/api/x");
        for (k, v) in headers {
            b = b.header(*k, *v);
        }
        b.body(Body::empty()).unwrap()
    }

    pub(crate) fn test_config() -> Config {
        Config {
            database_url: String::new(),
            data_dir: std::env::temp_dir(),
            bind: "127.0.0.1:0".parse().unwrap(),
            site_root: "target/site".into(),
            secure_cookies: false,
            trust_proxy: false,
        }
    }

    pub(crate) async fn send(app: &Router, req: Request) -> Response {
        use tower::ServiceExt;
        app.clone().oneshot(req).await.unwrap()
    }

    pub(crate) async fn body_text(res: Response) -> String {
        let body = axum::body::to_bytes(res.into_body(), 1 << 22).await.unwrap();
        String::from_utf8_lossy(&body).into_owned()
    }

    pub(crate) fn header_of<'a>(res: &'a Response, name: &str) -> &'a str {
        res.headers().get(name).and_then(|v| v.to_str().ok()).unwrap_or("")
    }

    #[tokio::test]
    async fn the_http_layer_guards_every_route() {
        use app::admin::service::{create_user_as, Actor};
        use app::admin::types::UserInput;
        let test_db = app::platform::db::testing::TestDb::sqlite().await;
        let app = router(test_config(), test_db.db.clone());

        // Signed out: pages redirect to the login page, the API answers 401.
        let res = send(&app, Request::get("/customers?status=lost").body(Body::empty()).unwrap()).await;
        assert_eq!(res.status(), StatusCode::SEE_OTHER);
        assert_eq!(header_of(&res, "location"), "/login?next=%2Fcustomers%3Fstatus%3Dlost");
        assert_eq!(header_of(&res, "x-content-type-options"), "nosniff");
        assert_eq!(header_of(&res, "x-frame-options"), "DENY");
        assert!(header_of(&res, "content-security-policy").contains("frame-ancestors 'none'"));
        assert_eq!(header_of(&res, "x-request-id").len(), 36);
        let res = send(&app, Request::get("/api/list_customers").body(Body::empty()).unwrap()).await;
        assert_eq!(res.status(), StatusCode::UNAUTHORIZED);
        let res = send(&app, Request::get("/login").body(Body::empty()).unwrap()).await;
        assert_eq!(res.status(), StatusCode::OK);

        // A cross-site sign-in attempt is refused before it reaches the handler.
        let form = "username=lina&password=correct-horse-battery";
        let cross = Request::post("/auth/login")
            .header("content-type", "application/x-www-form-urlencoded")
            .header("sec-fetch-site", "cross-site")
            .body(Body::from(form))
            .unwrap();
        assert_eq!(send(&app, cross).await.status(), StatusCode::FORBIDDEN);

        // A real sign-in sets an HttpOnly, SameSite cookie that opens the app.
        let input = UserInput {
            username: "lina".into(),
            display_name: "李娜".into(),
            roles: vec!["salesperson".into()],
            active: true,
            password: "correct-horse-battery".into(),
            ..Default::default()
        };
        create_user_as(&test_db.db, &Actor { id: None, name: "test".into() }, &input).await.unwrap();
        let login = Request::post("/auth/login")
            .header("content-type", "application/x-www-form-urlencoded")
            .header("sec-fetch-site", "same-origin")
            .body(Body::from(format!("{form}&next=%2Fcustomers%3Fsort%3Dname")))
            .unwrap();
        let res = send(&app, login).await;
        assert_eq!(res.status(), StatusCode::SEE_OTHER);
        assert_eq!(header_of(&res, "location"), "/customers?sort=name");
        let cookie = header_of(&res, "set-cookie").to_string();
        assert!(cookie.contains("HttpOnly") && cookie.contains("SameSite=Lax"), "{cookie}");
        let token = cookie.split(';').next().unwrap().to_string();
        let res = send(&app, Request::get("/customers").header("cookie", &token).body(Body::empty()).unwrap()).await;
        assert_eq!(res.status(), StatusCode::OK);
        let body = axum::body::to_bytes(res.into_body(), 1 << 20).await.unwrap();
        let html = String::from_utf8_lossy(&body);
        assert!(html.contains("李娜"), "the page knows who is signed in");
        assert!(html.contains("没有符合条件的客户"), "an empty list in zh-CN");

        // Wrong password: back to the form with the reason, nothing set.
        let bad = Request::post("/auth/login")
            .header("content-type", "application/x-www-form-urlencoded")
            .body(Body::from("username=lina&password=nope"))
            .unwrap();
        let res = send(&app, bad).await;
        assert!(header_of(&res, "location").starts_with("/login?error=invalid&username=lina"));
        assert_eq!(header_of(&res, "set-cookie"), "");

        // Signing out ends the session on the server, not just in the browser.
        let out = Request::post("/auth/logout").header("cookie", &token).body(Body::empty()).unwrap();
        assert_eq!(send(&app, out).await.status(), StatusCode::SEE_OTHER);
        let res = send(&app, Request::get("/customers").header("cookie", &token).body(Body::empty()).unwrap()).await;
        assert_eq!(res.status(), StatusCode::SEE_OTHER);
        test_db.cleanup().await;
    }

    #[test]
    fn cross_site_posts_are_refused() {
        assert!(cross_site(&req(Method::POST, &[("sec-fetch-site", "cross-site")])));
        assert!(cross_site(&req(Method::POST, &[("sec-fetch-site", "same-site")])));
        assert!(!cross_site(&req(Method::POST, &[("sec-fetch-site", "same-origin")])));
        assert!(cross_site(&req(Method::POST, &[("origin", "https://evil.example"), ("host", "crm.example")])));
        assert!(!cross_site(&req(Method::POST, &[("origin", "https://crm.example"), ("host", "crm.example")])));
        assert!(cross_site(&req(Method::POST, &[("origin", "null"), ("host", "crm.example")])));
        assert!(!cross_site(&req(Method::GET, &[("sec-fetch-site", "cross-site")])));
    }
}
