//! Work order and dispatch server functions.
use crate::fieldwork::types::*;
use crate::platform::error::AppError;
use leptos::prelude::*;
use leptos::server_fn::codec::{GetUrl, Json};

#[server(input = GetUrl)]
pub async fn work_order_products() -> Result<Vec<WorkProduct>, AppError> {
    use crate::platform::request::{current_user, db};
    crate::fieldwork::service::products(&db()?, &current_user()?).await
}

#[server(input = Json)]
pub async fn create_work_order(input: WorkOrderInput) -> Result<i64, AppError> {
    use crate::platform::request::{current_user, db};
    crate::fieldwork::service::create(&db()?, &current_user()?, &input).await
}

#[server(input = Json)]
pub async fn update_work_order(id: i64, version: i64, input: WorkOrderInput) -> Result<(), AppError> {
    use crate::platform::request::{current_user, db};
    crate::fieldwork::service::update(&db()?, &current_user()?, id, version, &input).await
}

#[server(input = GetUrl)]
pub async fn get_work_order(id: i64) -> Result<WorkOrderDetail, AppError> {
    use crate::platform::request::{current_user, db};
    crate::fieldwork::service::get(&db()?, &current_user()?, id).await
}

#[server(input = GetUrl)]
pub async fn list_request_work_orders(request_id: i64) -> Result<Vec<WorkOrder>, AppError> {
    use crate::platform::request::{current_user, db};
    crate::fieldwork::service::for_request(&db()?, &current_user()?, request_id).await
}

#[server(input = Json)]
pub async fn confirm_work_order(id: i64, version: i64, input: ConfirmInput) -> Result<(), AppError> {
    use crate::platform::request::{current_user, db};
    crate::fieldwork::service::confirm(&db()?, &current_user()?, id, version, &input).await
}

#[server(input = Json)]
pub async fn dispatch_work_order(id: i64, version: i64, input: DispatchInput) -> Result<Option<Booking>, AppError> {
    use crate::platform::request::{current_user, db};
    crate::fieldwork::service::dispatch(&db()?, &current_user()?, id, version, &input).await
}

#[server(input = Json)]
pub async fn cancel_work_order(id: i64, version: i64, reason: String) -> Result<(), AppError> {
    use crate::platform::request::{current_user, db};
    crate::fieldwork::service::cancel(&db()?, &current_user()?, id, version, &reason).await
}

#[server(input = GetUrl)]
pub async fn get_dispatch_board(day: String) -> Result<DispatchBoard, AppError> {
    use crate::platform::request::{current_user, db};
    crate::fieldwork::service::board(&db()?, &current_user()?, &day).await
}

#[server(input = Json)]
pub async fn save_engineer(user_id: i64, version: i64, input: EngineerInput) -> Result<(), AppError> {
    use crate::platform::request::{current_user, db};
    crate::fieldwork::service::save_engineer(&db()?, &current_user()?, user_id, version, &input).await
}

/// The engineer's day for the tablet, kept on the device for working offline.
#[server(input = GetUrl)]
pub async fn get_field_kit() -> Result<crate::fieldwork::field::FieldKit, AppError> {
    use crate::platform::request::{current_user, db};
    crate::fieldwork::site::kit(&db()?, &current_user()?).await
}

/// One queued change from the tablet; sending the same change again gets the same answer.
#[server(input = Json)]
pub async fn sync_field_change(change: crate::fieldwork::field::FieldChange) -> Result<crate::fieldwork::field::SyncResult, AppError> {
    use crate::platform::request::{current_user, data_dir, db};
    crate::fieldwork::site::sync(&db()?, &current_user()?, &change, &data_dir()?).await
}

/// The bill a completed work order would be posted with now. `labour_product_id`:
/// `None` for the last used labour product, `Some(0)` for no labour charge.
#[server(input = GetUrl)]
pub async fn service_bill_draft(id: i64, labour_product_id: Option<i64>) -> Result<BillDraft, AppError> {
    use crate::platform::request::{current_user, db};
    crate::fieldwork::billing::draft(&db()?, &current_user()?, id, labour_product_id).await
}

/// Posts the work order's bill to receivables; returns the receivable's id.
#[server(input = Json)]
pub async fn post_service_bill(id: i64, version: i64, input: BillInput) -> Result<i64, AppError> {
    use crate::platform::request::{current_user, db};
    crate::fieldwork::billing::post(&db()?, &current_user()?, id, version, &input).await
}
