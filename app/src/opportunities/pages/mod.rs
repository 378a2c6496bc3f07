//! Opportunity pages: the pipeline board, the list, the forms, one opportunity, the
//! customer 360° section and the sales process settings.
mod board;
mod detail;
mod form;
mod list;
mod registration;
mod settings;

pub use board::PipelinePage;
pub(crate) use board::{money, process_label, stage_label};
pub(crate) use detail::duration;
pub use detail::{CustomerOpportunities, OpportunityDetailPage};
pub(crate) use form::CustomerPicker;
pub use form::{EditOpportunityPage, NewOpportunityPage};
pub use list::OpportunityListPage;
pub use settings::ProcessSettingsPage;
