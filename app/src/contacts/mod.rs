//! Contacts (联系人管理, C5): the people at a customer, their reports-to chart and birthdays.
pub mod api;
pub mod pages;
pub mod types;

#[cfg(feature = "ssr")]
pub mod repo;
#[cfg(feature = "ssr")]
pub mod service;
