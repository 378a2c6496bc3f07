//! Lead server functions: current user -> service (which authorizes).
use crate::customers::dedup::DuplicateHit;
use crate::leads::types::*;
use crate::platform::error::AppError;
use leptos::prelude::*;
use leptos::server_fn::codec::{GetUrl, Json};

/// A page of the lead list.
#[server(input = Json, endpoint = "list_leads")]
pub async fn list_leads(filter: LeadFilter, after: Option<String>) -> Result<LeadPage, AppError> {
    use crate::platform::request::{current_user, db};
    crate::leads::service::list(&db()?, &current_user()?, &filter, after.as_deref()).await
}

#[server(input = GetUrl)]
pub async fn get_lead(id: i64) -> Result<Lead, AppError> {
    use crate::platform::request::{current_user, db};
    crate::leads::service::get(&db()?, &current_user()?, id).await
}

#[server(input = Json)]
pub async fn create_lead(input: LeadInput) -> Result<i64, AppError> {
    use crate::platform::request::{current_user, db};
    crate::leads::service::create(&db()?, &current_user()?, &input).await
}

#[server(input = Json)]
pub async fn update_lead(id: i64, version: i64, input: LeadInput) -> Result<Lead, AppError> {
    use crate::platform::request::{current_user, db};
    crate::leads::service::update(&db()?, &current_user()?, id, version, &input).await
}

/// Moves a lead to `new`, `working`, `qualified` or `disqualified` (which needs a reason).
#[server(input = Json)]
pub async fn set_lead_status(id: i64, version: i64, status: String, reason: String) -> Result<Lead, AppError> {
    use crate::platform::request::{current_user, db};
    crate::leads::service::set_status(&db()?, &current_user()?, id, version, &status, &reason).await
}

#[server(input = Json)]
pub async fn delete_lead(id: i64, version: i64) -> Result<(), AppError> {
    use crate::platform::request::{current_user, db};
    crate::leads::service::delete(&db()?, &current_user()?, id, version).await
}

/// Gives the leads to `owner`, or with `owner` None hands them out round-robin by
/// territory. Returns how many were assigned.
#[server(input = Json)]
pub async fn assign_leads(ids: Vec<i64>, owner: Option<i64>) -> Result<usize, AppError> {
    use crate::platform::request::{current_user, db};
    crate::leads::service::assign(&db()?, &current_user()?, &ids, owner).await
}

/// Takes a lead from the pool.
#[server(input = Json)]
pub async fn claim_lead(id: i64, version: i64) -> Result<Lead, AppError> {
    use crate::platform::request::{current_user, db};
    crate::leads::service::claim(&db()?, &current_user()?, id, version).await
}

/// Existing customers the lead might already be (the conversion's duplicate check).
#[server(input = Json)]
pub async fn lead_duplicates(id: i64, customer_name: String) -> Result<Vec<DuplicateHit>, AppError> {
    use crate::platform::request::{current_user, db};
    crate::leads::service::duplicates(&db()?, &current_user()?, id, &customer_name).await
}

/// Converts the lead into a customer (or attaches it to one), a contact and optionally
/// an opportunity, in one transaction.
#[server(input = Json)]
pub async fn convert_lead(id: i64, version: i64, input: ConvertInput) -> Result<Converted, AppError> {
    use crate::platform::request::{current_user, db};
    crate::leads::service::convert(&db()?, &current_user()?, id, version, &input).await
}

#[server(input = GetUrl)]
pub async fn lead_territories() -> Result<Vec<Territory>, AppError> {
    use crate::platform::request::{current_user, db};
    crate::leads::territories::list(&db()?, &current_user()?).await
}

#[server(input = Json)]
pub async fn save_lead_territory(input: TerritoryInput) -> Result<(), AppError> {
    use crate::platform::request::{current_user, db};
    crate::leads::territories::save(&db()?, &current_user()?, &input).await
}

#[server(input = Json)]
pub async fn remove_lead_territory(id: i64, version: i64) -> Result<(), AppError> {
    use crate::platform::request::{current_user, db};
    crate::leads::territories::remove(&db()?, &current_user()?, id, version).await
}
