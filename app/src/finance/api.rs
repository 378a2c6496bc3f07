//! Exchange-rate and numbering server functions.
use crate::finance::types::*;
use crate::platform::error::AppError;
use crate::platform::numbering::NumberingInput;
use leptos::prelude::*;
use leptos::server_fn::codec::{GetUrl, Json};

#[server(input = GetUrl)]
pub async fn list_exchange_rates() -> Result<RatesPage, AppError> {
    use crate::platform::request::{current_user, db};
    crate::finance::service::list_rates(&db()?, &current_user()?).await
}

#[server(input = Json)]
pub async fn add_exchange_rate(input: RateInput) -> Result<i64, AppError> {
    use crate::platform::request::{current_user, db};
    crate::finance::service::add_rate(&db()?, &current_user()?, &input).await
}

#[server(input = Json)]
pub async fn delete_exchange_rate(id: i64) -> Result<(), AppError> {
    use crate::platform::request::{current_user, db};
    crate::finance::service::delete_rate(&db()?, &current_user()?, id).await
}

#[server(input = Json)]
pub async fn set_base_currency(currency: String) -> Result<(), AppError> {
    use crate::platform::request::{current_user, db};
    crate::finance::service::set_base_currency(&db()?, &current_user()?, &currency).await
}

#[server(input = GetUrl)]
pub async fn list_numbering_rules() -> Result<NumberingPage, AppError> {
    use crate::platform::request::{current_user, db};
    crate::finance::service::numbering_rules(&db()?, &current_user()?).await
}

#[server(input = Json)]
pub async fn update_numbering_rule(doc_kind: String, version: i64, input: NumberingInput) -> Result<(), AppError> {
    use crate::platform::request::{current_user, db};
    crate::finance::service::update_numbering_rule(&db()?, &current_user()?, &doc_kind, version, &input).await
}

#[server(input = GetUrl)]
pub async fn get_company_profile() -> Result<CompanyProfilePage, AppError> {
    use crate::platform::request::{current_user, db};
    crate::finance::service::company_page(&db()?, &current_user()?).await
}

/// Saves the profile read as `stamp`; returns the new stamp.
#[server(input = Json)]
pub async fn save_company_profile(stamp: String, profile: CompanyProfile) -> Result<String, AppError> {
    use crate::platform::request::{current_user, db};
    crate::finance::service::save_company_profile(&db()?, &current_user()?, &stamp, &profile).await
}
