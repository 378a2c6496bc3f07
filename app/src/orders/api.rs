//! Order server functions.
use crate::orders::types::*;
use crate::platform::error::AppError;
use leptos::prelude::*;
use leptos::server_fn::codec::{GetUrl, Json};

#[server(input = Json)]
pub async fn list_orders(filter: OrderFilter) -> Result<OrderPage, AppError> {
    use crate::platform::request::{current_user, db};
    crate::orders::service::list(&db()?, &current_user()?, &filter).await
}

#[server(input = GetUrl)]
pub async fn get_order(id: i64) -> Result<OrderDetail, AppError> {
    use crate::platform::request::{current_user, db};
    crate::orders::service::get(&db()?, &current_user()?, id).await
}

#[server(input = Json)]
pub async fn create_order(input: OrderInput) -> Result<i64, AppError> {
    use crate::platform::request::{current_user, db};
    crate::orders::service::create(&db()?, &current_user()?, &input).await
}

#[server(input = Json)]
pub async fn order_from_quote(quote_id: i64) -> Result<i64, AppError> {
    use crate::platform::request::{current_user, db};
    crate::orders::service::from_quote(&db()?, &current_user()?, quote_id).await
}

#[server(input = Json)]
pub async fn update_order(id: i64, version: i64, input: OrderInput) -> Result<(), AppError> {
    use crate::platform::request::{current_user, db};
    crate::orders::service::update(&db()?, &current_user()?, id, version, &input).await
}

#[server(input = Json)]
pub async fn advance_order(id: i64, version: i64, step: OrderStep, note: String) -> Result<OrderStatus, AppError> {
    use crate::platform::request::{current_user, db};
    crate::orders::service::step(&db()?, &current_user()?, id, version, step, &note).await
}

#[server(input = Json)]
pub async fn record_shipment(id: i64, version: i64, returning: bool, input: ShipmentInput) -> Result<OrderStatus, AppError> {
    use crate::platform::request::{current_user, db};
    crate::orders::service::ship(&db()?, &current_user()?, id, version, returning, &input).await
}
