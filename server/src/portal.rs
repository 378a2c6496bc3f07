//! HTTP for the customer portal under `/portal`: its own cookie (sent by the browser to
//! `/portal` paths only), sign-in and sign-out, and the pages of `app::portal::site`.
//! The staff session middleware lets these paths through without a staff session; a
//! portal cookie never signs anyone in to the staff app.
use crate::web::AppState;
use app::platform::error::AppError;
use app::platform::i18n::Locale;
use app::platform::request::RequestMeta;
use app::portal::service::{self as portal, PortalUser, PORTAL_COOKIE, PORTAL_TTL_MS};
use app::portal::site::{self, Ctx};
use app::portal::types::{PortalRequestForm, RatingForm};
use axum::extract::{FromRequest, Path, Query, Request, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::{Form, Router};
use serde::Deserialize;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/portal", get(home))
        .route("/portal/login", get(login_page).post(login_submit))
        .route("/portal/logout", post(logout))
        .route("/portal/lang", post(language))
        .route("/portal/requests/new", get(new_request))
        // A form that came back with errors sits at its POST address; a language switch or a
        // reload there asks for it with GET, which leads back to the page it belongs to.
        .route("/portal/requests", get(|| async { Redirect::to("/portal/requests/new") }).post(submit_request))
        .route("/portal/requests/{id}", get(request_page))
        .route(
            "/portal/requests/{id}/messages",
            get(|Path(id): Path<i64>| async move { Redirect::to(&format!("/portal/requests/{id}")) }).post(post_message),
        )
        .route(
            "/portal/requests/{id}/rating",
            get(|Path(id): Path<i64>| async move { Redirect::to(&format!("/portal/requests/{id}")) }).post(post_rating),
        )
        .route("/portal/orders", get(orders))
        .route("/portal/bills/{id}/pdf", get(bill_pdf))
        .route("/portal/faq", get(faq))
        .route("/portal/faq/{id}", get(article))
        .route("/portal/account", get(account).post(change_password))
}

pub fn is_portal_path(path: &str) -> bool {
    path == "/portal" || path.starts_with("/portal/")
}

fn token(headers: &HeaderMap) -> Option<String> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find_map(|c| app::account::api::cookie_value(c, PORTAL_COOKIE))
        .filter(|t| t.len() == 64 && t.bytes().all(|b| b.is_ascii_hexdigit()))
}

/// What every handler starts from: the signed-in login (if any), the language and the path.
struct Visit {
    who: Option<PortalUser>,
    locale: Locale,
    path: String,
    meta: RequestMeta,
}

impl Visit {
    /// The request's facts are copied out first: a borrowed request cannot be held across
    /// the session lookup (its body is not `Sync`).
    /// `None` when the database does not answer.
    async fn of(state: &AppState, headers: HeaderMap, path: String, meta: RequestMeta) -> Option<Visit> {
        let who = match token(&headers) {
            Some(t) => portal::resolve(&state.db, &t).await.ok()?,
            None => None,
        };
        let header = |name: header::HeaderName| headers.get(name).and_then(|v| v.to_str().ok()).unwrap_or("");
        let locale = who
            .as_ref()
            .and_then(PortalUser::locale)
            .or_else(|| app::account::api::cookie_value(header(header::COOKIE), "crm_lang").and_then(|v| Locale::from_tag(&v)))
            .unwrap_or_else(|| Locale::negotiate(header(header::ACCEPT_LANGUAGE)));
        Some(Visit { who, locale, path, meta })
    }

    fn ctx(&self) -> Ctx<'_> {
        Ctx {
            locale: self.locale,
            who: self.who.as_ref(),
            path: self.path.clone(),
            tz_offset_minutes: app::account::api::tz_offset_minutes(),
        }
    }

    fn page(&self, status: StatusCode, html: String) -> Response {
        (status, [(header::CONTENT_TYPE, "text/html; charset=utf-8")], html).into_response()
    }

    /// The response to a failed service call: a page for "not found", else a logged error page.
    fn failure(&self, e: AppError) -> Response {
        match e {
            AppError::NotFound | AppError::Forbidden => self.page(StatusCode::NOT_FOUND, site::not_found_page(&self.ctx())),
            e => {
                tracing::error!(error = ?e, path = %self.path, "portal request failed");
                self.page(StatusCode::INTERNAL_SERVER_ERROR, site::error_page(&self.ctx()))
            }
        }
    }
}

macro_rules! visit {
    ($state:expr, $req:expr) => {{
        let path = $req.uri().path_and_query().map(|p| p.as_str().to_string()).unwrap_or_else(|| "/portal".into());
        let meta = $req.extensions().get::<RequestMeta>().cloned().unwrap_or_default();
        match Visit::of(&$state, $req.headers().clone(), path, meta).await {
            Some(v) => v,
            None => return (StatusCode::SERVICE_UNAVAILABLE, "database unavailable").into_response(),
        }
    }};
}

/// The signed-in login, or the way to the sign-in page.
macro_rules! signed_in {
    ($v:expr) => {
        match &$v.who {
            Some(p) => p.clone(),
            None => return Redirect::to("/portal/login").into_response(),
        }
    };
}

fn cookie(token: &str, max_age_secs: i64, secure: bool) -> HeaderValue {
    let secure = if secure { "; Secure" } else { "" };
    HeaderValue::from_str(&format!("{PORTAL_COOKIE}={token}; Path=/portal; HttpOnly; SameSite=Lax; Max-Age={max_age_secs}{secure}"))
        .expect("valid cookie")
}

async fn home(State(state): State<AppState>, req: Request) -> Response {
    let v = visit!(state, req);
    let p = signed_in!(v);
    match portal::requests(&state.db, &p).await {
        Ok(rows) => v.page(StatusCode::OK, site::home_page(&v.ctx(), &rows)),
        Err(e) => v.failure(e),
    }
}

async fn login_page(State(state): State<AppState>, req: Request) -> Response {
    let v = visit!(state, req);
    if v.who.is_some() {
        return Redirect::to("/portal").into_response();
    }
    v.page(StatusCode::OK, site::login_page(&v.ctx(), "", None))
}

#[derive(Deserialize)]
struct LoginForm {
    #[serde(default)]
    login: String,
    #[serde(default)]
    password: String,
}

async fn login_submit(State(state): State<AppState>, req: Request) -> Response {
    let v = visit!(state, req);
    let Ok(Form(form)) = Form::<LoginForm>::from_request(req, &state).await else {
        return v.page(StatusCode::BAD_REQUEST, site::login_page(&v.ctx(), "", Some("validation.required")));
    };
    match portal::login(&state.db, &form.login, &form.password, &v.meta).await {
        Ok(token) => {
            let mut res = Redirect::to("/portal").into_response();
            res.headers_mut().insert(header::SET_COOKIE, cookie(&token, PORTAL_TTL_MS / 1000, state.config.secure_cookies));
            res
        }
        Err(AppError::RateLimited { .. }) => {
            v.page(StatusCode::TOO_MANY_REQUESTS, site::login_page(&v.ctx(), form.login.trim(), Some("portal.locked")))
        }
        Err(AppError::Validation(errs)) => {
            let key = if errs.iter().any(|e| e.code == "validation.required") { "portal.fill_both" } else { "portal.invalid_credentials" };
            v.page(StatusCode::UNPROCESSABLE_ENTITY, site::login_page(&v.ctx(), form.login.trim(), Some(key)))
        }
        Err(e) => v.failure(e),
    }
}

async fn logout(State(state): State<AppState>, req: Request) -> Response {
    let v = visit!(state, req);
    if let Some(p) = &v.who {
        if let Err(e) = portal::logout(&state.db, p, &v.meta).await {
            tracing::error!(error = ?e, "portal sign-out failed");
        }
    }
    let mut res = Redirect::to("/portal/login").into_response();
    res.headers_mut().insert(header::SET_COOKIE, cookie("", 0, state.config.secure_cookies));
    res
}

#[derive(Deserialize)]
struct LanguageForm {
    locale: String,
    next: Option<String>,
}

async fn language(State(state): State<AppState>, req: Request) -> Response {
    let v = visit!(state, req);
    let Ok(Form(form)) = Form::<LanguageForm>::from_request(req, &state).await else {
        return (StatusCode::BAD_REQUEST, "invalid form").into_response();
    };
    let Some(locale) = Locale::from_tag(&form.locale) else {
        return (StatusCode::BAD_REQUEST, "unknown language").into_response();
    };
    if let Some(p) = &v.who {
        if let Err(e) = portal::set_locale(&state.db, p, locale).await {
            tracing::error!(error = ?e, "saving the portal language failed");
        }
    }
    // Back to the same portal page, never elsewhere.
    let next =
        form.next.filter(|n| is_portal_path(n.split('?').next().unwrap_or("")) && !n.starts_with("//")).unwrap_or_else(|| "/portal".into());
    let mut res = Redirect::to(&next).into_response();
    let lang = format!("crm_lang={}; Path=/; Max-Age=31536000; SameSite=Lax", locale.code());
    res.headers_mut().insert(header::SET_COOKIE, HeaderValue::from_str(&lang).expect("valid cookie"));
    res
}

async fn new_request(State(state): State<AppState>, req: Request) -> Response {
    let v = visit!(state, req);
    let p = signed_in!(v);
    match portal::assets(&state.db, &p).await {
        Ok(assets) => v.page(StatusCode::OK, site::new_request_page(&v.ctx(), &assets, &PortalRequestForm::default(), &[])),
        Err(e) => v.failure(e),
    }
}

async fn submit_request(State(state): State<AppState>, req: Request) -> Response {
    let v = visit!(state, req);
    let p = signed_in!(v);
    let Ok(Form(form)) = Form::<PortalRequestForm>::from_request(req, &state).await else {
        return (StatusCode::BAD_REQUEST, "invalid form").into_response();
    };
    match portal::submit(&state.db, &p, &form, &v.meta).await {
        Ok(id) => Redirect::to(&format!("/portal/requests/{id}?done=sent")).into_response(),
        Err(AppError::Validation(errors)) => {
            let assets = portal::assets(&state.db, &p).await.unwrap_or_default();
            v.page(StatusCode::UNPROCESSABLE_ENTITY, site::new_request_page(&v.ctx(), &assets, &form, &errors))
        }
        Err(e) => v.failure(e),
    }
}

#[derive(Deserialize)]
struct Done {
    done: Option<String>,
}

async fn request_page(State(state): State<AppState>, Path(id): Path<i64>, Query(q): Query<Done>, req: Request) -> Response {
    let v = visit!(state, req);
    let p = signed_in!(v);
    match portal::request(&state.db, &p, id).await {
        Ok(r) => v.page(StatusCode::OK, site::request_page(&v.ctx(), &r, "", &RatingForm::default(), &[], q.done.as_deref())),
        Err(e) => v.failure(e),
    }
}

/// One of the customer's service bills as a PDF; another customer's is not found.
async fn bill_pdf(State(state): State<AppState>, Path(id): Path<i64>, req: Request) -> Response {
    let v = visit!(state, req);
    let p = signed_in!(v);
    match portal::bill(&state.db, &p, id, v.locale, &v.meta).await {
        Err(e) => v.failure(e),
        Ok(doc) => crate::web::pdf_response(v.locale, Ok(doc)).await,
    }
}

#[derive(Deserialize)]
struct MessageForm {
    #[serde(default)]
    body: String,
}

async fn post_message(State(state): State<AppState>, Path(id): Path<i64>, req: Request) -> Response {
    let v = visit!(state, req);
    let p = signed_in!(v);
    let Ok(Form(form)) = Form::<MessageForm>::from_request(req, &state).await else {
        return (StatusCode::BAD_REQUEST, "invalid form").into_response();
    };
    match portal::add_message(&state.db, &p, id, &form.body, &v.meta).await {
        Ok(()) => Redirect::to(&format!("/portal/requests/{id}?done=posted")).into_response(),
        Err(AppError::Validation(errors)) => match portal::request(&state.db, &p, id).await {
            Ok(r) => v.page(
                StatusCode::UNPROCESSABLE_ENTITY,
                site::request_page(&v.ctx(), &r, &form.body, &RatingForm::default(), &errors, None),
            ),
            Err(e) => v.failure(e),
        },
        Err(e) => v.failure(e),
    }
}

async fn post_rating(State(state): State<AppState>, Path(id): Path<i64>, req: Request) -> Response {
    let v = visit!(state, req);
    let p = signed_in!(v);
    let Ok(Form(form)) = Form::<RatingForm>::from_request(req, &state).await else {
        return (StatusCode::BAD_REQUEST, "invalid form").into_response();
    };
    match portal::rate(&state.db, &p, id, &form, &v.meta).await {
        Ok(reopened) => {
            Redirect::to(&format!("/portal/requests/{id}?done={}", if reopened { "reopened" } else { "rated" })).into_response()
        }
        Err(AppError::Validation(errors)) => match portal::request(&state.db, &p, id).await {
            Ok(r) => v.page(StatusCode::UNPROCESSABLE_ENTITY, site::request_page(&v.ctx(), &r, "", &form, &errors, None)),
            Err(e) => v.failure(e),
        },
        Err(e) => v.failure(e),
    }
}

async fn orders(State(state): State<AppState>, req: Request) -> Response {
    let v = visit!(state, req);
    let p = signed_in!(v);
    match portal::orders(&state.db, &p).await {
        Ok(list) => v.page(StatusCode::OK, site::orders_page(&v.ctx(), &list)),
        Err(e) => v.failure(e),
    }
}

#[derive(Deserialize)]
struct Search {
    q: Option<String>,
}

/// The FAQ is open to anyone: customers read it before they have a login.
async fn faq(State(state): State<AppState>, Query(s): Query<Search>, req: Request) -> Response {
    let v = visit!(state, req);
    let q = s.q.unwrap_or_default();
    match portal::faq(&state.db, &q).await {
        Ok(rows) => v.page(StatusCode::OK, site::faq_page(&v.ctx(), &q, &rows)),
        Err(e) => v.failure(e),
    }
}

async fn article(State(state): State<AppState>, Path(id): Path<i64>, req: Request) -> Response {
    let v = visit!(state, req);
    match portal::faq_article(&state.db, id).await {
        Ok(a) => v.page(StatusCode::OK, site::article_page(&v.ctx(), &a)),
        Err(e) => v.failure(e),
    }
}

async fn account(State(state): State<AppState>, Query(q): Query<Done>, req: Request) -> Response {
    let v = visit!(state, req);
    signed_in!(v);
    v.page(StatusCode::OK, site::account_page(&v.ctx(), &[], q.done.is_some()))
}

#[derive(Deserialize)]
struct PasswordForm {
    #[serde(default)]
    current: String,
    #[serde(default)]
    new: String,
    #[serde(default)]
    confirm: String,
}

async fn change_password(State(state): State<AppState>, req: Request) -> Response {
    let v = visit!(state, req);
    let p = signed_in!(v);
    let Ok(Form(form)) = Form::<PasswordForm>::from_request(req, &state).await else {
        return (StatusCode::BAD_REQUEST, "invalid form").into_response();
    };
    match portal::change_password(&state.db, &p, &form.current, &form.new, &form.confirm, &v.meta).await {
        Ok(()) => Redirect::to("/portal/account?done=1").into_response(),
        Err(AppError::Validation(errors)) => v.page(StatusCode::UNPROCESSABLE_ENTITY, site::account_page(&v.ctx(), &errors, false)),
        Err(e) => v.failure(e),
    }
}

#[cfg(test)]
mod tests {
    use crate::web::tests::{body_text, header_of, send, test_config};
    use app::platform::request::RequestMeta;
    use axum::body::Body;
    use axum::extract::Request;
    use axum::http::StatusCode;

    const PASSWORD: &str = "correct-horse-battery";

    fn form(uri: &str, body: &str, cookie: Option<&str>) -> Request {
        let mut b = Request::post(uri).header("content-type", "application/x-www-form-urlencoded");
        if let Some(c) = cookie {
            b = b.header("cookie", c);
        }
        b.body(Body::from(body.to_string())).unwrap()
    }

    fn get(uri: &str, cookie: &str) -> Request {
        Request::get(uri).header("cookie", cookie).body(Body::empty()).unwrap()
    }

    /// A customer's login reaches the portal and its own records, and never the staff app.
    #[tokio::test]
    async fn a_portal_cookie_opens_the_portal_and_nothing_else() {
        use app::admin::service::{create_user_as, Actor};
        use app::admin::types::UserInput;
        let test_db = app::platform::db::testing::TestDb::sqlite().await;
        let db = test_db.db.clone();
        let app = crate::web::router(test_config(), db.clone());
        let admin = UserInput {
            username: "boss".into(),
            display_name: "老板".into(),
            roles: vec!["admin".into()],
            active: true,
            password: PASSWORD.into(),
            ..Default::default()
        };
        let admin = create_user_as(&db, &Actor { id: None, name: "test".into() }, &admin).await.unwrap();
        let admin = app::account::service::load_user(&db, admin).await.unwrap().unwrap();
        let new = |name: &str| app::customers::types::CustomerInput {
            name: name.into(),
            kind: "company".into(),
            status: "potential".into(),
            ..Default::default()
        };
        let mine = app::customers::service::create_customer(&db, &admin, &new("无锡华光机床有限公司")).await.unwrap();
        let other = app::customers::service::create_customer(&db, &admin, &new("苏州恒润精密有限公司")).await.unwrap();
        let input = app::portal::types::PortalLoginInput {
            contact_id: None,
            display_name: "王芳".into(),
            login: "wang@huaguang.cn".into(),
            password: PASSWORD.into(),
        };
        app::portal::service::create_login(&db, &admin, mine, &input).await.unwrap();
        let theirs = app::tickets::service::create(
            &db,
            &admin,
            &app::tickets::types::ServiceInput {
                customer_id: Some(other),
                kind: "repair".into(),
                channel: "phone".into(),
                priority: "normal".into(),
                subject: "恒润 主轴异响".into(),
                ..Default::default()
            },
        )
        .await
        .unwrap();

        // Signed out: portal pages go to the portal's sign-in, which is a plain page.
        let res = send(&app, Request::get("/portal").body(Body::empty()).unwrap()).await;
        assert_eq!((res.status(), header_of(&res, "location")), (StatusCode::SEE_OTHER, "/portal/login"));
        let res = send(&app, Request::get("/portal/login").header("accept-language", "en").body(Body::empty()).unwrap()).await;
        assert_eq!(res.status(), StatusCode::OK);
        assert!(body_text(res).await.contains("Sign in to customer service"));

        // A wrong password stays on the form; the right one sets a cookie for /portal only.
        let res = send(&app, form("/portal/login", "login=wang%40huaguang.cn&password=nope", None)).await;
        assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(header_of(&res, "set-cookie"), "");
        let res = send(&app, form("/portal/login", &format!("login=WANG%40huaguang.cn&password={PASSWORD}"), None)).await;
        assert_eq!((res.status(), header_of(&res, "location")), (StatusCode::SEE_OTHER, "/portal"));
        let cookie = header_of(&res, "set-cookie").to_string();
        assert!(cookie.contains("Path=/portal;") && cookie.contains("HttpOnly") && cookie.contains("SameSite=Lax"), "{cookie}");
        let token = cookie.split(';').next().unwrap().to_string();

        // The portal knows the customer and submits a request for it.
        let res = send(&app, get("/portal", &token)).await;
        assert_eq!(res.status(), StatusCode::OK);
        assert!(body_text(res).await.contains("无锡华光机床有限公司"));
        let res = send(&app, form("/portal/requests", "kind=repair&subject=&description=x", Some(&token))).await;
        assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY, "a missing subject is shown on the form");
        assert!(body_text(res).await.contains("aria-invalid=\"true\""));
        let res =
            send(&app, form("/portal/requests", "kind=repair&subject=%E4%B8%BB%E8%BD%B4%E6%8A%A5%E8%AD%A6&urgent=on", Some(&token))).await;
        assert_eq!(res.status(), StatusCode::SEE_OTHER);
        let page = header_of(&res, "location").to_string();
        assert!(page.starts_with("/portal/requests/") && page.ends_with("?done=sent"), "{page}");
        let res = send(&app, get(&page, &token)).await;
        assert_eq!(res.status(), StatusCode::OK);
        assert!(body_text(res).await.contains("主轴报警"));

        // A reload or language switch on a form's POST address leads back to its page.
        let res = send(&app, get("/portal/requests", &token)).await;
        assert_eq!(header_of(&res, "location"), "/portal/requests/new");
        let res = send(&app, get(&format!("{}/messages", page.split('?').next().unwrap()), &token)).await;
        assert_eq!(header_of(&res, "location"), page.split('?').next().unwrap());
        let res = send(&app, get(&format!("{}/rating", page.split('?').next().unwrap()), &token)).await;
        assert_eq!(header_of(&res, "location"), page.split('?').next().unwrap());
        // Rating an open request is refused with the reason on the page.
        let res = send(&app, form(&format!("{}/rating", page.split('?').next().unwrap()), "score=5", Some(&token))).await;
        assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
        assert!(body_text(res).await.contains("申请处理完成后才能评价"));

        // Another customer's request is not there; the staff app does not know this cookie.
        let res = send(&app, get(&format!("/portal/requests/{theirs}"), &token)).await;
        assert_eq!(res.status(), StatusCode::NOT_FOUND);
        let res = send(&app, form(&format!("/portal/requests/{theirs}/messages"), "body=hi", Some(&token))).await;
        assert_eq!(res.status(), StatusCode::NOT_FOUND);
        let res = send(&app, form(&format!("/portal/requests/{theirs}/rating"), "score=1&comment=x", Some(&token))).await;
        assert_eq!(res.status(), StatusCode::NOT_FOUND);
        // No bill of another customer's prints (here: none of that number at all), and the
        // staff's print route does not know this cookie.
        let res = send(&app, get("/portal/bills/1/pdf", &token)).await;
        assert_eq!(res.status(), StatusCode::NOT_FOUND);
        let res = send(&app, get("/service-bills/1/pdf", &token)).await;
        assert_eq!(res.status(), StatusCode::SEE_OTHER);
        let res = send(&app, get("/customers", &token)).await;
        assert_eq!((res.status(), header_of(&res, "location")), (StatusCode::SEE_OTHER, "/login?next=%2Fcustomers"));
        let res = send(&app, get("/api/list_customers", &token)).await;
        assert_eq!(res.status(), StatusCode::UNAUTHORIZED);
        let res = send(&app, get(&format!("/service/{theirs}"), &token)).await;
        assert_eq!(res.status(), StatusCode::SEE_OTHER);

        // Cross-site posts are refused before they reach the portal.
        let mut cross = form("/portal/requests", "kind=repair&subject=x", Some(&token));
        cross.headers_mut().insert("sec-fetch-site", "cross-site".parse().unwrap());
        assert_eq!(send(&app, cross).await.status(), StatusCode::FORBIDDEN);

        // The language switch comes back to the portal page, never elsewhere.
        let res = send(&app, form("/portal/lang", "locale=zh-TW&next=%2F%2Fevil.example", Some(&token))).await;
        assert_eq!(header_of(&res, "location"), "/portal");
        let res = send(&app, get("/portal/faq", &token)).await;
        assert!(body_text(res).await.contains("lang=\"zh-TW\""), "the login keeps its language");

        // Signing out ends the session on the server.
        let res = send(&app, form("/portal/logout", "", Some(&token))).await;
        assert_eq!(res.status(), StatusCode::SEE_OTHER);
        assert_eq!(send(&app, get("/portal", &token)).await.status(), StatusCode::SEE_OTHER);
        let meta = RequestMeta::default();
        assert!(app::portal::service::login(&db, "wang@huaguang.cn", PASSWORD, &meta).await.is_ok());
        test_db.cleanup().await;
    }
}
