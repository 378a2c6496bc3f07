//! Inventory server functions.
use crate::inventory::types::*;
use crate::platform::error::AppError;
use leptos::prelude::*;
use leptos::server_fn::codec::{GetUrl, Json};

#[server(input = GetUrl)]
pub async fn list_warehouses() -> Result<WarehousesPage, AppError> {
    use crate::platform::request::{current_user, db};
    crate::inventory::service::warehouses_page(&db()?, &current_user()?).await
}

#[server(input = Json)]
pub async fn save_warehouse(id: Option<i64>, version: i64, input: WarehouseInput) -> Result<i64, AppError> {
    use crate::platform::request::{current_user, db};
    crate::inventory::service::save_warehouse(&db()?, &current_user()?, id, version, &input).await
}

#[server(input = Json)]
pub async fn set_allow_negative(allow: bool) -> Result<(), AppError> {
    use crate::platform::request::{current_user, db};
    crate::inventory::service::set_allow_negative(&db()?, &current_user()?, allow).await
}

#[server(input = Json)]
pub async fn stock_levels(query: StockQuery) -> Result<StockPage, AppError> {
    use crate::platform::request::{current_user, db};
    crate::inventory::service::stock(&db()?, &current_user()?, &query).await
}

#[server(input = Json)]
pub async fn stock_movements(query: MovementQuery) -> Result<MovementPage, AppError> {
    use crate::platform::request::{current_user, db};
    crate::inventory::service::movements(&db()?, &current_user()?, &query).await
}

#[server(input = Json)]
pub async fn post_stock_move(input: MoveInput) -> Result<i64, AppError> {
    use crate::platform::request::{current_user, db};
    crate::inventory::service::post_move(&db()?, &current_user()?, &input).await
}

#[server(input = Json)]
pub async fn post_stocktake(input: StocktakeInput) -> Result<StocktakeResult, AppError> {
    use crate::platform::request::{current_user, db};
    crate::inventory::service::post_stocktake(&db()?, &current_user()?, &input).await
}

#[server(input = Json)]
pub async fn stock_availability(warehouse: i64, products: Vec<i64>) -> Result<Vec<Availability>, AppError> {
    use crate::platform::request::{current_user, db};
    crate::inventory::service::availability(&db()?, &current_user()?, warehouse, &products).await
}
