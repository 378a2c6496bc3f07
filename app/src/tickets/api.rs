//! Service desk server functions.
use crate::platform::error::AppError;
use crate::tickets::types::*;
use leptos::prelude::*;
use leptos::server_fn::codec::{GetUrl, Json};

#[server(input = Json)]
pub async fn list_service_requests(filter: ServiceFilter) -> Result<ServicePage, AppError> {
    use crate::platform::request::{current_user, db};
    crate::tickets::service::list(&db()?, &current_user()?, &filter).await
}

#[server(input = GetUrl)]
pub async fn get_service_request(id: i64) -> Result<ServiceDetail, AppError> {
    use crate::platform::request::{current_user, db};
    crate::tickets::service::get(&db()?, &current_user()?, id).await
}

#[server(input = Json)]
pub async fn create_service_request(input: ServiceInput) -> Result<i64, AppError> {
    use crate::platform::request::{current_user, db};
    crate::tickets::service::create(&db()?, &current_user()?, &input).await
}

#[server(input = Json)]
pub async fn respond_service_request(id: i64, version: i64, note: String) -> Result<(), AppError> {
    use crate::platform::request::{current_user, db};
    crate::tickets::service::respond(&db()?, &current_user()?, id, version, &note).await
}

#[server(input = Json)]
pub async fn set_service_status(id: i64, version: i64, status: String, resolution: String) -> Result<(), AppError> {
    use crate::platform::request::{current_user, db};
    crate::tickets::service::set_status(&db()?, &current_user()?, id, version, &status, &resolution).await
}

#[server(input = Json)]
pub async fn assign_service_request(id: i64, version: i64, owner_id: i64) -> Result<(), AppError> {
    use crate::platform::request::{current_user, db};
    crate::tickets::service::assign(&db()?, &current_user()?, id, version, owner_id).await
}

#[server(input = Json)]
pub async fn set_service_priority(id: i64, version: i64, priority: String) -> Result<(), AppError> {
    use crate::platform::request::{current_user, db};
    crate::tickets::service::set_priority(&db()?, &current_user()?, id, version, &priority).await
}

#[server(input = Json)]
pub async fn convert_service_to_lead(id: i64, version: i64) -> Result<i64, AppError> {
    use crate::platform::request::{current_user, db};
    crate::tickets::service::convert_to_lead(&db()?, &current_user()?, id, version).await
}

#[server(input = GetUrl)]
pub async fn service_at_risk() -> Result<Vec<AtRiskRequest>, AppError> {
    use crate::platform::request::{current_user, db};
    crate::tickets::service::at_risk(&db()?, &current_user()?, 10).await
}

#[server(input = GetUrl)]
pub async fn get_service_settings() -> Result<ServiceSettings, AppError> {
    use crate::platform::request::{current_user, db};
    crate::tickets::service::settings(&db()?, &current_user()?).await
}

#[server(input = Json)]
pub async fn save_service_settings(settings: ServiceSettings) -> Result<(), AppError> {
    use crate::platform::request::{current_user, db};
    crate::tickets::service::save_settings(&db()?, &current_user()?, &settings).await
}

#[server(input = GetUrl)]
pub async fn list_assets(customer_id: i64) -> Result<Vec<Asset>, AppError> {
    use crate::platform::request::{current_user, db};
    crate::tickets::service::assets(&db()?, &current_user()?, customer_id).await
}

#[server(input = Json)]
pub async fn save_asset(id: Option<i64>, version: i64, input: AssetInput) -> Result<i64, AppError> {
    use crate::platform::request::{current_user, db};
    crate::tickets::service::save_asset(&db()?, &current_user()?, id, version, &input).await
}

#[server(input = Json)]
pub async fn delete_asset(id: i64, version: i64) -> Result<(), AppError> {
    use crate::platform::request::{current_user, db};
    crate::tickets::service::delete_asset(&db()?, &current_user()?, id, version).await
}

#[server(input = Json)]
pub async fn record_service_visit(id: i64, version: i64, input: VisitInput) -> Result<(), AppError> {
    use crate::platform::request::{current_user, db};
    crate::tickets::service::record_visit(&db()?, &current_user()?, id, version, &input).await
}

#[server(input = Json)]
pub async fn override_service_close(id: i64, version: i64, reason: String) -> Result<(), AppError> {
    use crate::platform::request::{current_user, db};
    crate::tickets::service::override_close(&db()?, &current_user()?, id, version, &reason).await
}

#[server(input = GetUrl)]
pub async fn get_service_stats(period: String) -> Result<crate::tickets::stats::ServiceStats, AppError> {
    use crate::platform::request::{current_user, db};
    crate::tickets::stats::compute::stats(&db()?, &current_user()?, &period).await
}
