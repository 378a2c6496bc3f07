//! Activity server functions: current user -> service (which authorizes).
use crate::activities::types::*;
use crate::platform::error::AppError;
use leptos::prelude::*;
use leptos::server_fn::codec::{GetUrl, Json};

#[server(input = GetUrl)]
pub async fn customer_timeline(customer_id: i64, kind: Option<String>, after: Option<String>) -> Result<ActivityPage, AppError> {
    use crate::platform::request::{current_user, db};
    crate::activities::service::timeline(&db()?, &current_user()?, customer_id, kind, after).await
}

#[server(input = Json)]
pub async fn log_activity(customer_id: i64, input: ActivityInput) -> Result<i64, AppError> {
    use crate::platform::request::{current_user, db};
    let offset = crate::account::api::tz_offset_minutes();
    crate::activities::service::log_activity(&db()?, &current_user()?, customer_id, &input, offset).await
}

#[server(input = Json)]
pub async fn complete_activity(id: i64, version: i64, result: String) -> Result<(), AppError> {
    use crate::platform::request::{current_user, db};
    crate::activities::service::complete_activity(&db()?, &current_user()?, id, version, &result).await
}

#[server(input = Json)]
pub async fn set_activity_deleted(id: i64, deleted: bool) -> Result<(), AppError> {
    use crate::platform::request::{current_user, db};
    crate::activities::service::set_activity_deleted(&db()?, &current_user()?, id, deleted).await
}

#[server(input = GetUrl)]
pub async fn my_visit_plan() -> Result<Vec<Activity>, AppError> {
    use crate::platform::request::{current_user, db};
    crate::activities::service::my_plan(&db()?, &current_user()?).await
}

#[server(input = Json)]
pub async fn delete_attachment(id: i64) -> Result<(), AppError> {
    use crate::platform::request::{current_user, db};
    crate::activities::attachments::delete(&db()?, &current_user()?, id).await
}
