//! Administration server functions.
use crate::admin::types::*;
use crate::platform::audit_types::ChainStatus;
use crate::platform::error::AppError;
use leptos::prelude::*;
use leptos::server_fn::codec::{GetUrl, Json};

#[server(input = GetUrl)]
pub async fn list_users() -> Result<Vec<UserRow>, AppError> {
    use crate::platform::request::{current_user, db};
    crate::admin::service::list_users(&db()?, &current_user()?).await
}

#[server(input = Json)]
pub async fn create_user(input: UserInput) -> Result<i64, AppError> {
    use crate::platform::request::{current_user, db};
    crate::admin::service::create_user(&db()?, &current_user()?, &input).await
}

#[server(input = Json)]
pub async fn update_user(id: i64, version: i64, input: UserInput) -> Result<UserRow, AppError> {
    use crate::platform::request::{current_user, db};
    crate::admin::service::update_user(&db()?, &current_user()?, id, version, &input).await
}

#[server(input = GetUrl)]
pub async fn list_departments() -> Result<Vec<DepartmentRow>, AppError> {
    use crate::platform::request::{current_user, db};
    crate::admin::service::list_departments(&db()?, &current_user()?).await
}

#[server(input = Json)]
pub async fn create_department(name: String, parent_id: Option<i64>) -> Result<i64, AppError> {
    use crate::platform::request::{current_user, db};
    crate::admin::service::create_department(&db()?, &current_user()?, &name, parent_id).await
}

#[server(input = Json)]
pub async fn rename_department(id: i64, version: i64, name: String) -> Result<(), AppError> {
    use crate::platform::request::{current_user, db};
    crate::admin::service::rename_department(&db()?, &current_user()?, id, version, &name).await
}

#[server(input = GetUrl)]
pub async fn list_roles() -> Result<Vec<RoleView>, AppError> {
    use crate::platform::request::{current_user, db};
    crate::admin::service::list_roles(&db()?, &current_user()?).await
}

#[server(input = GetUrl)]
pub async fn list_audit(
    actor: Option<String>,
    action: Option<String>,
    entity: Option<String>,
    entity_id: Option<i64>,
    from: Option<String>,
    to: Option<String>,
    before: Option<i64>,
) -> Result<AuditPage, AppError> {
    use crate::admin::service::AuditParams;
    use crate::platform::request::{current_user, db};
    let p = AuditParams { actor, action, entity, entity_id, from, to, before };
    crate::admin::service::list_audit(&db()?, &current_user()?, &p, crate::account::api::tz_offset_minutes()).await
}

#[server(input = GetUrl)]
pub async fn verify_audit() -> Result<ChainStatus, AppError> {
    use crate::platform::request::{current_user, db};
    crate::admin::service::verify_audit(&db()?, &current_user()?).await
}
