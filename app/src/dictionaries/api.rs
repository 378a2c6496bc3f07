//! Dictionary server functions.
use crate::dictionaries::types::*;
use crate::platform::error::AppError;
use leptos::prelude::*;
use leptos::server_fn::codec::{GetUrl, Json};

#[server(input = GetUrl)]
pub async fn list_dictionaries() -> Result<Dictionaries, AppError> {
    use crate::platform::request::{current_user, db};
    crate::dictionaries::service::list(&db()?, &current_user()?).await
}

#[server(input = Json)]
pub async fn add_dictionary_item(kind: DictKind, name: String) -> Result<i64, AppError> {
    use crate::platform::request::{current_user, db};
    crate::dictionaries::service::add(&db()?, &current_user()?, kind, &name).await
}

#[server(input = Json)]
pub async fn rename_dictionary_item(id: i64, name: String) -> Result<(), AppError> {
    use crate::platform::request::{current_user, db};
    crate::dictionaries::service::rename(&db()?, &current_user()?, id, &name).await
}

#[server(input = Json)]
pub async fn set_dictionary_item_active(id: i64, active: bool) -> Result<(), AppError> {
    use crate::platform::request::{current_user, db};
    crate::dictionaries::service::set_active(&db()?, &current_user()?, id, active).await
}

#[server(input = Json)]
pub async fn move_dictionary_item(id: i64, up: bool) -> Result<(), AppError> {
    use crate::platform::request::{current_user, db};
    crate::dictionaries::service::move_item(&db()?, &current_user()?, id, up).await
}
