//! Opportunity server functions: current user -> service (which authorizes).
use crate::opportunities::types::*;
use crate::platform::error::AppError;
use leptos::prelude::*;
use leptos::server_fn::codec::{GetUrl, Json};

#[server(input = GetUrl)]
pub async fn sales_processes() -> Result<Vec<Process>, AppError> {
    use crate::platform::request::{current_user, db};
    crate::opportunities::service::processes(&db()?, &current_user()?).await
}

#[server(input = GetUrl, endpoint = "pipeline_board")]
pub async fn pipeline_board(
    process: Option<i64>,
    owner: Option<i64>,
    department: Option<i64>,
    close_from: Option<String>,
    close_to: Option<String>,
) -> Result<Board, AppError> {
    use crate::platform::request::{current_user, db};
    let q = BoardQuery {
        process,
        owner,
        department,
        close_from: close_from.filter(|s| !s.is_empty()),
        close_to: close_to.filter(|s| !s.is_empty()),
    };
    crate::opportunities::service::board(&db()?, &current_user()?, &q).await
}

#[server(input = GetUrl)]
pub async fn get_opportunity(id: i64) -> Result<Opportunity, AppError> {
    use crate::platform::request::{current_user, db};
    crate::opportunities::service::get(&db()?, &current_user()?, id).await
}

#[server(input = Json)]
pub async fn create_opportunity(input: OpportunityInput) -> Result<i64, AppError> {
    use crate::platform::request::{current_user, db};
    crate::opportunities::service::create(&db()?, &current_user()?, &input).await
}

#[server(input = Json)]
pub async fn update_opportunity(id: i64, version: i64, input: OpportunityInput) -> Result<Opportunity, AppError> {
    use crate::platform::request::{current_user, db};
    crate::opportunities::service::update(&db()?, &current_user()?, id, version, &input).await
}

/// Moves an opportunity to another open stage (the board's drag and keyboard move).
#[server(input = Json)]
pub async fn move_opportunity(id: i64, version: i64, stage_id: i64) -> Result<Moved, AppError> {
    use crate::platform::request::{current_user, db};
    crate::opportunities::service::move_stage(&db()?, &current_user()?, id, version, stage_id).await
}

#[server(input = Json)]
pub async fn close_opportunity(id: i64, version: i64, won: bool, reason: String, review: String) -> Result<Opportunity, AppError> {
    use crate::platform::request::{current_user, db};
    crate::opportunities::service::close(&db()?, &current_user()?, id, version, won, &reason, &review).await
}

#[server(input = Json)]
pub async fn delete_opportunity(id: i64, version: i64) -> Result<(), AppError> {
    use crate::platform::request::{current_user, db};
    crate::opportunities::service::delete(&db()?, &current_user()?, id, version).await
}

#[server(input = GetUrl)]
pub async fn customer_opportunities(customer_id: i64) -> Result<Vec<OpportunityRow>, AppError> {
    use crate::platform::request::{current_user, db};
    crate::opportunities::service::by_customer(&db()?, &current_user()?, customer_id).await
}

#[server(input = GetUrl)]
pub async fn opportunity_history(id: i64) -> Result<Vec<StageMove>, AppError> {
    use crate::platform::request::{current_user, db};
    crate::opportunities::service::history(&db()?, &current_user()?, id).await
}

#[server(input = Json)]
pub async fn save_sales_stage(input: StageInput) -> Result<(), AppError> {
    use crate::platform::request::{current_user, db};
    crate::opportunities::settings::save_stage(&db()?, &current_user()?, &input).await
}

#[server(input = Json)]
pub async fn move_sales_stage(id: i64, up: bool) -> Result<(), AppError> {
    use crate::platform::request::{current_user, db};
    crate::opportunities::settings::move_stage(&db()?, &current_user()?, id, up).await
}

#[server(input = Json)]
pub async fn remove_sales_stage(id: i64) -> Result<(), AppError> {
    use crate::platform::request::{current_user, db};
    crate::opportunities::settings::remove_stage(&db()?, &current_user()?, id).await
}

#[server(input = Json)]
pub async fn create_sales_process(name: String) -> Result<i64, AppError> {
    use crate::platform::request::{current_user, db};
    crate::opportunities::settings::create_process(&db()?, &current_user()?, &name).await
}

#[server(input = Json)]
pub async fn rename_sales_process(id: i64, name: String) -> Result<(), AppError> {
    use crate::platform::request::{current_user, db};
    crate::opportunities::settings::rename_process(&db()?, &current_user()?, id, &name).await
}

#[server(input = GetUrl)]
pub async fn opportunity_activities(id: i64) -> Result<Vec<OpportunityActivity>, AppError> {
    use crate::platform::request::{current_user, db};
    crate::opportunities::service::activities(&db()?, &current_user()?, id).await
}

/// Approves or rejects (with a reason) a pending registration (报备).
#[server(input = Json)]
pub async fn decide_registration(id: i64, version: i64, approve: bool, note: String) -> Result<Opportunity, AppError> {
    use crate::platform::request::{current_user, db};
    crate::opportunities::registration::decide(&db()?, &current_user()?, id, version, approve, &note).await
}

/// A page of the opportunity list (and the drill-down of every report figure).
#[server(input = Json, endpoint = "list_opportunities")]
pub async fn list_opportunities(filter: OppFilter, after: Option<String>) -> Result<OppPage, AppError> {
    use crate::platform::request::{current_user, db};
    crate::opportunities::service::list(&db()?, &current_user()?, &filter, after.as_deref(), crate::account::api::tz_offset_minutes()).await
}

/// Saved views of the board: the user's own and those others shared.
#[server(input = GetUrl)]
pub async fn board_views() -> Result<Vec<BoardView>, AppError> {
    use crate::platform::request::{current_user, db};
    crate::opportunities::service::board_views(&db()?, &current_user()?).await
}

#[server(input = Json)]
pub async fn save_board_view(name: String, shared: bool, query: BoardQuery) -> Result<i64, AppError> {
    use crate::platform::request::{current_user, db};
    crate::opportunities::service::save_board_view(&db()?, &current_user()?, &name, shared, &query).await
}
