//! Catalog server functions: current user -> service (which authorizes).
use crate::catalog::types::*;
use crate::platform::error::AppError;
use leptos::prelude::*;
use leptos::server_fn::codec::{GetUrl, Json};

#[server(input = Json)]
pub async fn list_products(query: ProductQuery) -> Result<ProductPage, AppError> {
    use crate::platform::request::{current_user, db};
    crate::catalog::service::list_products(&db()?, &current_user()?, &query).await
}

#[server(input = GetUrl)]
pub async fn get_product(id: i64) -> Result<ProductDetail, AppError> {
    use crate::platform::request::{current_user, db};
    crate::catalog::service::get_product(&db()?, &current_user()?, id).await
}

#[server(input = Json)]
pub async fn create_product(input: ProductInput) -> Result<i64, AppError> {
    use crate::platform::request::{current_user, db};
    crate::catalog::service::create_product(&db()?, &current_user()?, &input).await
}

#[server(input = Json)]
pub async fn update_product(id: i64, version: i64, input: ProductInput) -> Result<Product, AppError> {
    use crate::platform::request::{current_user, db};
    crate::catalog::service::update_product(&db()?, &current_user()?, id, version, &input).await
}

#[server(input = Json)]
pub async fn set_product_deleted(id: i64, deleted: bool) -> Result<(), AppError> {
    use crate::platform::request::{current_user, db};
    crate::catalog::service::set_product_deleted(&db()?, &current_user()?, id, deleted).await
}

/// Adds a policy (`id` None) or saves policy `id` at `version`.
#[server(input = Json)]
pub async fn save_price_policy(product_id: i64, id: Option<(i64, i64)>, input: PricePolicyInput) -> Result<PricePolicy, AppError> {
    use crate::platform::request::{current_user, db};
    crate::catalog::service::save_policy(&db()?, &current_user()?, product_id, id, &input).await
}

#[server(input = Json)]
pub async fn delete_price_policy(id: i64, version: i64) -> Result<(), AppError> {
    use crate::platform::request::{current_user, db};
    crate::catalog::service::delete_policy(&db()?, &current_user()?, id, version).await
}

#[server(input = Json)]
pub async fn check_price(product_id: i64, check: PriceCheckInput) -> Result<PriceQuote, AppError> {
    use crate::platform::request::{current_user, db};
    crate::catalog::service::price_check(&db()?, &current_user()?, product_id, &check).await
}
