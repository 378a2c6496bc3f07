//! Opportunity pages: the pipeline board, the forms, one opportunity, the customer
//! 360° section and the sales process settings.
mod board;
mod detail;
mod form;
mod settings;

pub use board::PipelinePage;
pub use detail::{CustomerOpportunities, OpportunityDetailPage};
pub use form::{EditOpportunityPage, NewOpportunityPage};
pub use settings::ProcessSettingsPage;
