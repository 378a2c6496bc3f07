//! Leads (S1): capture by form, import and the public web form, explainable scores,
//! assignment by hand or round-robin by territory, and conversion into a customer,
//! a contact and an opportunity.
pub mod api;
pub mod pages;
pub mod types;

#[cfg(feature = "ssr")]
pub mod import;
#[cfg(feature = "ssr")]
pub mod repo;
#[cfg(feature = "ssr")]
pub mod service;
#[cfg(feature = "ssr")]
pub mod territories;
#[cfg(feature = "ssr")]
pub mod web_form;
