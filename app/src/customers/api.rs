//! Customer server functions: current user -> service (which authorizes).
// The list's filters arrive as flat URL parameters (so a list URL is readable and cacheable).
#![allow(clippy::too_many_arguments)]
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
    level: Option<String>,
    category: Option<String>,
    region: Option<String>,
    tag: Option<String>,
    department: Option<i64>,
    created_from: Option<String>,
    created_to: Option<String>,
) -> Result<CustomerPage, AppError> {
    use crate::platform::request::{current_user, db};
    let params = crate::customers::service::ListParams {
        q,
        status,
        owner,
        sort,
        after,
        level,
        category,
        region,
        tag,
        department,
        created_from,
        created_to,
    };
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

#[server(input = GetUrl)]
pub async fn customer_owner_history(customer_id: i64) -> Result<Vec<OwnerChange>, AppError> {
    use crate::platform::request::{current_user, db};
    crate::customers::ownership::owner_history(&db()?, &current_user()?, customer_id).await
}

#[server(input = Json)]
pub async fn release_customer(id: i64, version: i64, reason: String) -> Result<(), AppError> {
    use crate::platform::request::{current_user, db};
    crate::customers::ownership::release_customer(&db()?, &current_user()?, id, version, &reason).await
}

#[server(input = Json)]
pub async fn claim_customer(id: i64) -> Result<(), AppError> {
    use crate::platform::request::{current_user, db};
    let offset = crate::account::api::tz_offset_minutes();
    crate::customers::ownership::claim_customer(&db()?, &current_user()?, id, offset).await
}

#[server(input = GetUrl)]
pub async fn list_pool(q: Option<String>, after: Option<String>) -> Result<PoolPage, AppError> {
    use crate::platform::request::{current_user, db};
    let offset = crate::account::api::tz_offset_minutes();
    crate::customers::ownership::list_pool(&db()?, &current_user()?, q, after, offset).await
}

/// Reassigns the given customers, or (with `from_owner`) every customer that person owns.
#[server(input = Json)]
pub async fn transfer_customers(ids: Vec<i64>, from_owner: Option<i64>, to: i64, reason: String) -> Result<i64, AppError> {
    use crate::customers::ownership::Selection;
    use crate::platform::request::{current_user, db};
    let sel = match from_owner {
        Some(f) => Selection::OwnedBy(f),
        None => Selection::Ids(ids),
    };
    crate::customers::ownership::transfer_customers(&db()?, &current_user()?, &sel, to, &reason).await
}

/// How many customers `from_owner` owns within the user's assign scope.
#[server(input = GetUrl)]
pub async fn transfer_count(from_owner: i64) -> Result<i64, AppError> {
    use crate::customers::ownership::Selection;
    use crate::platform::request::{current_user, db};
    crate::customers::ownership::transfer_count(&db()?, &current_user()?, &Selection::OwnedBy(from_owner)).await
}

#[server(input = GetUrl)]
pub async fn get_pool_settings() -> Result<PoolSettings, AppError> {
    use crate::platform::request::{current_user, db};
    crate::customers::ownership::get_pool_settings(&db()?, &current_user()?).await
}

#[server(input = Json)]
pub async fn save_pool_settings(settings: PoolSettings) -> Result<PoolSettings, AppError> {
    use crate::platform::request::{current_user, db};
    crate::customers::ownership::save_pool_settings(&db()?, &current_user()?, settings).await
}

/// Possible duplicates of a saved customer (for its page), minus pairs judged different.
#[server(input = GetUrl)]
pub async fn customer_duplicates(id: i64) -> Result<Vec<crate::customers::dedup::DuplicateHit>, AppError> {
    use crate::platform::request::{current_user, db};
    crate::customers::merge::duplicates_of(&db()?, &current_user()?, id).await
}

#[server(input = Json)]
pub async fn mark_not_duplicate(id: i64, other: i64) -> Result<(), AppError> {
    use crate::platform::request::{current_user, db};
    crate::customers::merge::mark_not_duplicate(&db()?, &current_user()?, id, other).await
}

#[server(input = Json)]
pub async fn link_customers(id: i64, other: i64) -> Result<(), AppError> {
    use crate::platform::request::{current_user, db};
    crate::customers::merge::link_customers(&db()?, &current_user()?, id, other).await
}

#[server(input = Json)]
pub async fn unlink_customers(id: i64, other: i64) -> Result<(), AppError> {
    use crate::platform::request::{current_user, db};
    crate::customers::merge::unlink_customers(&db()?, &current_user()?, id, other).await
}

#[server(input = GetUrl)]
pub async fn related_customers(id: i64) -> Result<Vec<RelatedCustomer>, AppError> {
    use crate::platform::request::{current_user, db};
    crate::customers::merge::related_customers(&db()?, &current_user()?, id).await
}

/// The entity of a record with collaborators (`customer` or `opportunity`).
#[cfg(feature = "ssr")]
fn shared_entity(code: &str) -> Result<crate::platform::authz::Entity, AppError> {
    crate::platform::authz::Entity::from_code(code).filter(|e| e.collaborators().is_some()).ok_or(AppError::NotFound)
}

/// Collaborators of a customer, or the project team of an opportunity.
#[server(input = GetUrl)]
pub async fn record_collaborators(entity: String, id: i64) -> Result<Collaborators, AppError> {
    use crate::platform::request::{current_user, db};
    crate::customers::collaborators::list(&db()?, &current_user()?, shared_entity(&entity)?, id).await
}

/// Adds a collaborator, or changes their access (`view` or `edit`).
#[server(input = Json)]
pub async fn add_collaborator(entity: String, id: i64, user_id: i64, access: String) -> Result<(), AppError> {
    use crate::platform::request::{current_user, db};
    let access = ShareAccess::from_code(&access).ok_or_else(|| AppError::validation("access", "validation.invalid_choice"))?;
    crate::customers::collaborators::add(&db()?, &current_user()?, shared_entity(&entity)?, id, user_id, access).await
}

#[server(input = Json)]
pub async fn remove_collaborator(entity: String, id: i64, user_id: i64) -> Result<(), AppError> {
    use crate::platform::request::{current_user, db};
    crate::customers::collaborators::remove(&db()?, &current_user()?, shared_entity(&entity)?, id, user_id).await
}

/// Merges `merged_id` into `kept_id`; returns the audit sequence number that undoes it.
#[server(input = Json)]
pub async fn merge_customers(kept_id: i64, merged_id: i64) -> Result<i64, AppError> {
    use crate::platform::request::{current_user, db};
    crate::customers::merge::merge_customers(&db()?, &current_user()?, kept_id, merged_id).await
}

/// Undoes the merge recorded at audit entry `seq`; returns the restored customer's id.
#[server(input = Json)]
pub async fn undo_merge(seq: i64) -> Result<i64, AppError> {
    use crate::platform::request::{current_user, db};
    crate::customers::merge::undo_merge(&db()?, &current_user()?, seq).await
}

#[server(input = GetUrl)]
pub async fn get_import_job(id: i64) -> Result<crate::customers::import_types::ImportJob, AppError> {
    use crate::platform::request::{current_user, db};
    crate::customers::import::get_job(&db()?, &current_user()?, id).await
}

/// A dry run of the import with this mapping: the per-row report, nothing written.
#[server(input = Json)]
pub async fn check_import(
    id: i64,
    plan: crate::customers::import_types::ImportPlan,
) -> Result<crate::customers::import_types::ImportReport, AppError> {
    use crate::platform::request::{current_user, db};
    crate::customers::import::check(&db()?, &current_user()?, id, &plan).await
}

#[server(input = Json)]
pub async fn start_import(id: i64, plan: crate::customers::import_types::ImportPlan) -> Result<(), AppError> {
    use crate::platform::request::{current_user, db};
    crate::customers::import::start(&db()?, &current_user()?, id, plan).await
}

#[server(input = GetUrl)]
pub async fn import_progress(id: i64) -> Result<crate::customers::import_types::ImportProgress, AppError> {
    use crate::platform::request::{current_user, db};
    crate::customers::import::progress(&db()?, &current_user()?, id).await
}

/// Calls [`list_customers`] with a [`ListQuery`].
pub async fn list_customers_by(query: ListQuery, after: Option<String>) -> Result<CustomerPage, AppError> {
    let q = query;
    list_customers(q.q, q.status, q.owner, q.sort, after, q.level, q.category, q.region, q.tag, q.department, q.created_from, q.created_to)
        .await
}

#[server(input = GetUrl)]
pub async fn list_saved_views() -> Result<Vec<SavedView>, AppError> {
    use crate::platform::request::{current_user, db};
    crate::customers::views::list_views(&db()?, &current_user()?).await
}

#[server(input = Json)]
pub async fn save_view(name: String, shared: bool, query: ListQuery, columns: Vec<String>) -> Result<i64, AppError> {
    use crate::platform::request::{current_user, db};
    crate::customers::views::save_view(&db()?, &current_user()?, &name, shared, &query, &columns).await
}

#[server(input = Json)]
pub async fn delete_view(id: i64) -> Result<(), AppError> {
    use crate::platform::request::{current_user, db};
    crate::customers::views::delete_view(&db()?, &current_user()?, id).await
}

/// Departments by name, for the list's department filter.
#[server(input = GetUrl)]
pub async fn list_department_options() -> Result<Vec<OwnerOption>, AppError> {
    use crate::platform::request::{current_user, db};
    crate::customers::service::department_options(&db()?, &current_user()?).await
}

#[server(input = GetUrl)]
pub async fn customer_value(id: i64) -> Result<crate::customers::value::ValueScore, AppError> {
    use crate::platform::request::{current_user, db};
    crate::customers::value_service::customer_value(&db()?, &current_user()?, id).await
}

#[server(input = GetUrl)]
pub async fn value_pyramid() -> Result<crate::customers::value::Pyramid, AppError> {
    use crate::platform::request::{current_user, db};
    crate::customers::value_service::pyramid(&db()?, &current_user()?).await
}

#[server(input = GetUrl)]
pub async fn get_value_model() -> Result<crate::customers::value::ValueModel, AppError> {
    use crate::platform::request::{current_user, db};
    crate::customers::value_service::get_model(&db()?, &current_user()?).await
}

#[server(input = Json)]
pub async fn save_value_model(model: crate::customers::value::ValueModel) -> Result<(), AppError> {
    use crate::platform::request::{current_user, db};
    crate::customers::value_service::save_model(&db()?, &current_user()?, &model).await
}

/// Rescores every customer now; returns how many.
#[server(input = Json)]
pub async fn recompute_values() -> Result<usize, AppError> {
    use crate::platform::request::{current_user, db};
    crate::customers::value_service::recompute_now(&db()?, &current_user()?).await
}
