//! Customer server functions: current user -> service (which authorizes).
use crate::customers::types::*;
use crate::platform::error::AppError;
use leptos::prelude::*;
use leptos::server_fn::codec::{GetUrl, Json};

#[server(input = GetUrl, endpoint = "list_customers")]
pub async fn list_customers(
    q: Option<String>,
    status: Option<String>,
    owner: Option<i64>,
    sort: Option<String>,
    after: Option<String>,
) -> Result<CustomerPage, AppError> {
    use crate::platform::request::{current_user, db};
    let params = crate::customers::service::ListParams { q, status, owner, sort, after };
    crate::customers::service::list_customers(&db()?, &current_user()?, &params).await
}

#[server(input = GetUrl)]
pub async fn get_customer(id: i64) -> Result<CustomerDetail, AppError> {
    use crate::platform::request::{current_user, db};
    crate::customers::service::get_customer(&db()?, &current_user()?, id).await
}

#[server(input = Json)]
pub async fn create_customer(input: CustomerInput) -> Result<i64, AppError> {
    use crate::platform::request::{current_user, db};
    crate::customers::service::create_customer(&db()?, &current_user()?, &input).await
}

#[server(input = Json)]
pub async fn update_customer(id: i64, version: i64, input: CustomerInput) -> Result<CustomerDetail, AppError> {
    use crate::platform::request::{current_user, db};
    crate::customers::service::update_customer(&db()?, &current_user()?, id, version, &input).await
}

#[server(input = Json)]
pub async fn delete_customer(id: i64, version: i64) -> Result<(), AppError> {
    use crate::platform::request::{current_user, db};
    crate::customers::service::delete_customer(&db()?, &current_user()?, id, version).await
}

#[server(input = Json)]
pub async fn restore_customer(id: i64) -> Result<CustomerDetail, AppError> {
    use crate::platform::request::{current_user, db};
    crate::customers::service::restore_customer(&db()?, &current_user()?, id).await
}

#[server(input = GetUrl)]
pub async fn list_owner_options() -> Result<Vec<OwnerOption>, AppError> {
    use crate::platform::request::{current_user, db};
    crate::customers::service::owner_options(&db()?, &current_user()?).await
}

/// Possible duplicates of what the user is entering (excluding the record being edited).
#[server(input = Json)]
pub async fn check_customer_duplicates(
    input: CustomerInput,
    exclude_id: Option<i64>,
) -> Result<Vec<crate::customers::dedup::DuplicateHit>, AppError> {
    use crate::platform::request::{current_user, db};
    crate::customers::service::check_duplicates(&db()?, &current_user()?, &input, exclude_id).await
}
