//! Contact server functions: current user -> service (which authorizes).
use crate::contacts::types::*;
use crate::platform::error::AppError;
use leptos::prelude::*;
use leptos::server_fn::codec::{GetUrl, Json};

#[server(input = GetUrl)]
pub async fn list_contacts(customer_id: i64) -> Result<CustomerContacts, AppError> {
    use crate::platform::request::{current_user, db};
    crate::contacts::service::list_contacts(&db()?, &current_user()?, customer_id).await
}

#[server(input = Json)]
pub async fn create_contact(customer_id: i64, input: ContactInput) -> Result<i64, AppError> {
    use crate::platform::request::{current_user, db};
    crate::contacts::service::create_contact(&db()?, &current_user()?, customer_id, &input).await
}

#[server(input = Json)]
pub async fn update_contact(id: i64, version: i64, input: ContactInput) -> Result<Contact, AppError> {
    use crate::platform::request::{current_user, db};
    crate::contacts::service::update_contact(&db()?, &current_user()?, id, version, &input).await
}

#[server(input = Json)]
pub async fn set_contact_deleted(id: i64, deleted: bool) -> Result<(), AppError> {
    use crate::platform::request::{current_user, db};
    crate::contacts::service::set_contact_deleted(&db()?, &current_user()?, id, deleted).await
}

/// Birthdays in the coming `days` days, counted from the user's local today.
#[server(input = GetUrl)]
pub async fn upcoming_birthdays(days: i64) -> Result<Vec<BirthdayRow>, AppError> {
    use crate::platform::request::{current_user, db};
    let offset = crate::account::api::tz_offset_minutes() as i64;
    let today = crate::platform::time::date_parts(crate::platform::time::now_ms() + offset * 60_000);
    crate::contacts::service::upcoming_birthdays(&db()?, &current_user()?, today, days).await
}
