//! Quote server functions: current user -> service (which authorizes).
use crate::platform::error::AppError;
use crate::quotes::types::*;
use leptos::prelude::*;
use leptos::server_fn::codec::{GetUrl, Json};

#[server(input = Json)]
pub async fn list_quotes(filter: QuoteFilter) -> Result<QuotePage, AppError> {
    use crate::platform::request::{current_user, db};
    crate::quotes::service::list(&db()?, &current_user()?, &filter).await
}

#[server(input = GetUrl)]
pub async fn get_quote(id: i64) -> Result<QuoteDetail, AppError> {
    use crate::platform::request::{current_user, db};
    crate::quotes::service::get(&db()?, &current_user()?, id).await
}

#[server(input = Json)]
pub async fn create_quote(input: QuoteInput) -> Result<i64, AppError> {
    use crate::platform::request::{current_user, db};
    crate::quotes::service::create(&db()?, &current_user()?, &input).await
}

#[server(input = Json)]
pub async fn update_quote(id: i64, version: i64, input: QuoteInput) -> Result<(), AppError> {
    use crate::platform::request::{current_user, db};
    crate::quotes::service::update(&db()?, &current_user()?, id, version, &input).await
}

#[server(input = Json)]
pub async fn advance_quote(id: i64, version: i64, step: QuoteStep, note: String) -> Result<QuoteStatus, AppError> {
    use crate::platform::request::{current_user, db};
    crate::quotes::service::step(&db()?, &current_user()?, id, version, step, &note).await
}

#[server(input = Json)]
pub async fn revise_quote(id: i64, version: i64) -> Result<i64, AppError> {
    use crate::platform::request::{current_user, db};
    crate::quotes::service::revise(&db()?, &current_user()?, id, version).await
}

#[server(input = Json)]
pub async fn set_quote_approval(percent: String) -> Result<(), AppError> {
    use crate::platform::request::{current_user, db};
    crate::quotes::service::set_approval_bp(&db()?, &current_user()?, &percent).await
}

#[server(input = GetUrl)]
pub async fn get_quote_approval() -> Result<i64, AppError> {
    use crate::platform::request::{current_user, db};
    crate::quotes::service::approval_setting(&db()?, &current_user()?).await
}
