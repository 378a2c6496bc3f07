//! Report pages: the manager dashboard and the sales targets.
mod charts;
mod dashboard;
mod targets;

pub use dashboard::DashboardPage;
pub use targets::TargetsPage;
