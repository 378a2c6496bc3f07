//! Customers (客户管理): list, search, create, edit, soft delete, detail.
pub mod api;
pub mod dedup;
pub mod import_types;
pub mod lifecycle;
pub mod pages;
pub mod types;
pub mod value;

#[cfg(feature = "ssr")]
pub mod collaborators;
#[cfg(feature = "ssr")]
pub mod import;
#[cfg(feature = "ssr")]
pub mod merge;
#[cfg(feature = "ssr")]
pub mod ownership;
#[cfg(feature = "ssr")]
pub mod repo;
#[cfg(feature = "ssr")]
pub mod service;
#[cfg(feature = "ssr")]
pub mod value_service;
#[cfg(feature = "ssr")]
pub mod views;
