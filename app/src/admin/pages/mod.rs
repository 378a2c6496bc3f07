//! Administration pages.
mod audit;
mod departments;
mod roles;
mod users;

pub use audit::AuditPage;
pub use departments::DepartmentsPage;
pub use roles::RolesPage;
pub use users::UsersPage;
