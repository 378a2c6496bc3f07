//! Server functions behind the portal-access section of a customer's page.
use crate::platform::error::AppError;
use crate::portal::types::*;
use leptos::prelude::*;
use leptos::server_fn::codec::{GetUrl, Json};

#[server(input = GetUrl)]
pub async fn list_portal_logins(customer_id: i64) -> Result<Vec<PortalLogin>, AppError> {
    use crate::platform::request::{current_user, db};
    crate::portal::service::logins(&db()?, &current_user()?, customer_id).await
}

#[server(input = Json)]
pub async fn create_portal_login(customer_id: i64, input: PortalLoginInput) -> Result<i64, AppError> {
    use crate::platform::request::{current_user, db};
    crate::portal::service::create_login(&db()?, &current_user()?, customer_id, &input).await
}

#[server(input = Json)]
pub async fn set_portal_login_active(id: i64, version: i64, active: bool) -> Result<(), AppError> {
    use crate::platform::request::{current_user, db};
    crate::portal::service::set_active(&db()?, &current_user()?, id, version, active).await
}

#[server(input = Json)]
pub async fn reset_portal_password(id: i64, version: i64, password: String) -> Result<(), AppError> {
    use crate::platform::request::{current_user, db};
    crate::portal::service::reset_password(&db()?, &current_user()?, id, version, &password).await
}
