//! The one error type that crosses the server-function boundary.
//!
//! Every variant maps to an HTTP meaning and to a translated message; internal
//! details never leave the server (they are logged with the request id).
use leptos::prelude::{FromServerFnError, ServerFnErrorErr};
use leptos::server_fn::codec::JsonEncoding;
use serde::{Deserialize, Serialize};

/// A validation problem with one input field. `code` is a locale key.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FieldError {
    pub field: String,
    pub code: String,
}

impl FieldError {
    pub fn new(field: &str, code: &str) -> Self {
        Self { field: field.to_string(), code: code.to_string() }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
pub enum AppError {
    /// 404: the record does not exist or the user may not see it (never reveal which).
    #[error("not found")]
    NotFound,
    /// 401: no valid session.
    #[error("unauthenticated")]
    Unauthenticated,
    /// 403: signed in but the role does not grant the operation.
    #[error("forbidden")]
    Forbidden,
    /// 422: input rejected; one entry per offending field.
    #[error("validation failed")]
    Validation(Vec<FieldError>),
    /// 409: optimistic-lock conflict; the record changed since it was loaded.
    #[error("conflict")]
    Conflict,
    /// 429: too many attempts (login throttling).
    #[error("too many attempts")]
    RateLimited { retry_after_secs: i64 },
    /// 500: logged in full on the server under `request_id`.
    #[error("internal error ({request_id})")]
    Internal { request_id: String },
    /// The request never reached our code (network, decoding).
    #[error("transport error: {0}")]
    Transport(String),
}

impl FromServerFnError for AppError {
    type Encoder = JsonEncoding;

    fn from_server_fn_error(value: ServerFnErrorErr) -> Self {
        AppError::Transport(value.to_string())
    }
}

impl AppError {
    pub fn validation(field: &str, code: &str) -> Self {
        AppError::Validation(vec![FieldError::new(field, code)])
    }

    /// Locale key of the message shown to the user.
    pub fn message_key(&self) -> &'static str {
        match self {
            AppError::NotFound => "error.not_found",
            AppError::Unauthenticated => "error.unauthenticated",
            AppError::Forbidden => "error.forbidden",
            AppError::Validation(_) => "error.validation",
            AppError::Conflict => "error.conflict",
            AppError::RateLimited { .. } => "error.rate_limited",
            AppError::Internal { .. } => "error.internal",
            AppError::Transport(_) => "error.transport",
        }
    }

    /// The error code for one field, if this is a validation error naming it.
    pub fn field(&self, field: &str) -> Option<String> {
        match self {
            AppError::Validation(errs) => errs.iter().find(|e| e.field == field).map(|e| e.code.clone()),
            _ => None,
        }
    }

    #[cfg(feature = "ssr")]
    pub fn internal(err: impl std::fmt::Display) -> Self {
        let request_id = crate::platform::request::request_id();
        tracing::error!(%request_id, error = %err, "internal error");
        AppError::Internal { request_id }
    }
}

#[cfg(feature = "ssr")]
impl From<sqlx::Error> for AppError {
    fn from(err: sqlx::Error) -> Self {
        AppError::internal(err)
    }
}

#[cfg(feature = "ssr")]
impl From<anyhow::Error> for AppError {
    fn from(err: anyhow::Error) -> Self {
        AppError::internal(format!("{err:#}"))
    }
}

pub type AppResult<T> = Result<T, AppError>;
