//! Per-request facts available to server functions through the Leptos context.
use crate::platform::authz::CurrentUser;
use crate::platform::db::Db;
use crate::platform::error::AppError;
use leptos::prelude::use_context;

/// What the server's session middleware found for this request.
#[derive(Clone, Debug, Default)]
pub struct RequestMeta {
    pub request_id: String,
    pub ip: String,
}

pub fn request_id() -> String {
    use_context::<http::request::Parts>()
        .and_then(|p| p.extensions.get::<RequestMeta>().map(|m| m.request_id.clone()))
        .unwrap_or_else(|| "-".to_string())
}

pub fn meta() -> RequestMeta {
    use_context::<http::request::Parts>().and_then(|p| p.extensions.get::<RequestMeta>().cloned()).unwrap_or_default()
}

/// The signed-in user, or `Unauthenticated`.
pub fn current_user() -> Result<CurrentUser, AppError> {
    use_context::<http::request::Parts>().and_then(|p| p.extensions.get::<CurrentUser>().cloned()).ok_or(AppError::Unauthenticated)
}

pub fn db() -> Result<Db, AppError> {
    use_context::<Db>().ok_or_else(|| AppError::internal("database missing from context"))
}

/// Header value of the current request.
pub fn header(name: &str) -> Option<String> {
    use_context::<http::request::Parts>().and_then(|p| p.headers.get(name).and_then(|v| v.to_str().ok()).map(str::to_string))
}

/// Where files (attachments) are kept: the server's data directory.
#[derive(Clone, Debug)]
pub struct DataDir(pub std::path::PathBuf);

pub fn data_dir() -> Result<std::path::PathBuf, AppError> {
    use_context::<DataDir>().map(|d| d.0).ok_or_else(|| AppError::internal("data directory missing from context"))
}
