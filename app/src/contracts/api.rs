//! Contract server functions.
use crate::contracts::types::*;
use crate::platform::error::AppError;
use leptos::prelude::*;
use leptos::server_fn::codec::{GetUrl, Json};

#[server(input = Json)]
pub async fn list_contracts(filter: ContractFilter) -> Result<ContractPage, AppError> {
    use crate::platform::request::{current_user, db};
    crate::contracts::service::list(&db()?, &current_user()?, &filter).await
}

#[server(input = GetUrl)]
pub async fn get_contract(id: i64) -> Result<ContractDetail, AppError> {
    use crate::platform::request::{current_user, db};
    crate::contracts::service::get(&db()?, &current_user()?, id).await
}

/// A new contract's form, filled from a won opportunity or an agreed quote.
#[server(input = GetUrl)]
pub async fn new_contract_form(opportunity: Option<i64>, quote: Option<i64>) -> Result<ContractDraft, AppError> {
    use crate::platform::request::{current_user, db};
    let (db, user) = (db()?, current_user()?);
    match (quote, opportunity) {
        (Some(q), _) => crate::contracts::service::draft_from_quote(&db, &user, q).await,
        (None, Some(o)) => crate::contracts::service::draft_from_opportunity(&db, &user, o).await,
        (None, None) => Err(AppError::NotFound),
    }
}

#[server(input = Json)]
pub async fn create_contract(input: ContractInput) -> Result<i64, AppError> {
    use crate::platform::request::{current_user, db};
    crate::contracts::service::create(&db()?, &current_user()?, &input).await
}

#[server(input = Json)]
pub async fn update_contract(id: i64, version: i64, input: ContractInput) -> Result<(), AppError> {
    use crate::platform::request::{current_user, db};
    crate::contracts::service::update(&db()?, &current_user()?, id, version, &input).await
}

#[server(input = Json)]
pub async fn terminate_contract(id: i64, version: i64, reason: String) -> Result<(), AppError> {
    use crate::platform::request::{current_user, db};
    crate::contracts::service::terminate(&db()?, &current_user()?, id, version, &reason).await
}

#[server(input = Json)]
pub async fn record_payment(id: i64, version: i64, input: PaymentInput) -> Result<i64, AppError> {
    use crate::platform::request::{current_user, db};
    crate::contracts::service::record_payment(&db()?, &current_user()?, id, version, &input).await
}

#[server(input = Json)]
pub async fn record_invoice(id: i64, version: i64, input: InvoiceInput) -> Result<i64, AppError> {
    use crate::platform::request::{current_user, db};
    crate::contracts::service::record_invoice(&db()?, &current_user()?, id, version, &input).await
}

/// Voids a payment (`payment` true) or an invoice of the contract.
#[server(input = Json)]
pub async fn void_contract_entry(id: i64, version: i64, payment: bool, row: i64, reason: String) -> Result<(), AppError> {
    use crate::contracts::service::{void, Voidable};
    use crate::platform::request::{current_user, db};
    let what = if payment { Voidable::Payment } else { Voidable::Invoice };
    void(&db()?, &current_user()?, id, version, what, row, &reason).await
}

#[server(input = Json)]
pub async fn get_receivables(filter: ReceivableFilter) -> Result<ReceivablesReport, AppError> {
    use crate::platform::request::{current_user, db};
    crate::contracts::service::receivables(&db()?, &current_user()?, &filter).await
}

#[server(input = GetUrl)]
pub async fn overdue_instalments() -> Result<Vec<OverdueInstalment>, AppError> {
    use crate::platform::request::{current_user, db};
    crate::contracts::service::overdue(&db()?, &current_user()?, 10).await
}

/// The transaction summary of a customer's 360° page.
#[server(input = GetUrl)]
pub async fn customer_transactions(customer_id: i64) -> Result<TransactionSummary, AppError> {
    use crate::platform::request::{current_user, db};
    crate::contracts::service::customer_summary(&db()?, &current_user()?, customer_id).await
}
