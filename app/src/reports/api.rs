//! Report server functions: current user -> service (which authorizes).
use crate::platform::error::AppError;
use crate::reports::types::*;
use leptos::prelude::*;
use leptos::server_fn::codec::{GetUrl, Json};

#[server(input = Json, endpoint = "sales_dashboard")]
pub async fn sales_dashboard(filter: DashFilter) -> Result<Dashboard, AppError> {
    use crate::platform::request::{current_user, db};
    crate::reports::service::dashboard(&db()?, &current_user()?, &filter, crate::account::api::tz_offset_minutes()).await
}

#[server(input = GetUrl)]
pub async fn sales_targets(year: i64, currency: String) -> Result<TargetSheet, AppError> {
    use crate::platform::request::{current_user, db};
    crate::reports::service::target_sheet(&db()?, &current_user()?, year, &currency).await
}

#[server(input = Json)]
pub async fn save_sales_targets(input: TargetInput) -> Result<TargetRow, AppError> {
    use crate::platform::request::{current_user, db};
    crate::reports::service::save_targets(&db()?, &current_user()?, &input).await
}

/// Departments the user's opportunity scope reaches (team filters).
#[server(input = GetUrl)]
pub async fn team_options() -> Result<Vec<Choice>, AppError> {
    use crate::platform::request::{current_user, db};
    crate::reports::service::team_options(&db()?, &current_user()?).await
}
