//! What every module shares.
pub mod audit_types;
pub mod authz;
pub mod error;
pub mod i18n;
pub mod money;
pub mod numbering;
pub mod print;
pub mod time;

#[cfg(feature = "ssr")]
pub mod audit;
#[cfg(feature = "ssr")]
pub mod db;
#[cfg(feature = "ssr")]
pub mod request;
#[cfg(feature = "ssr")]
pub mod settings;
