//! Customer pages: list, detail, new, edit.
mod collaborators;
mod detail;
mod form;
mod import;
mod list;
mod merge;
mod ownership;
mod value;

pub use collaborators::CollaboratorsSection;
pub use detail::CustomerDetailPage;
pub use form::{EditCustomerPage, NewCustomerPage};
pub use import::{ImportJobPage, ImportStartPage, LeadImportStartPage};
pub use list::CustomerListPage;
pub use merge::{DuplicatesSection, UndoMergeButton};
pub use ownership::{OwnershipSection, PoolPage, PoolSettingsPage, TransferPage};
pub use value::{PyramidPage, ValueModelPage, ValueSection};

use crate::platform::i18n::I18n;
use leptos::prelude::*;

/// Coloured badge for a lifecycle status.
#[component]
pub fn StatusBadge(t: I18n, status: String) -> impl IntoView {
    let class = match status.as_str() {
        "transacting" => "bg-green-100 text-green-800",
        "dormant" => "bg-amber-100 text-amber-800",
        "lost" => "bg-slate-200 text-slate-700",
        _ => "bg-blue-100 text-blue-800",
    };
    view! {
        <span class=format!("inline-block whitespace-nowrap rounded-full px-2 py-0.5 text-xs font-medium {class}")>
            {t.t(&format!("customer.status.{status}"))}
        </span>
    }
}
