//! Field service, first part (V3): work orders (派工) raised from service requests, with
//! service items and parts priced for the customer, the customer's confirmation of the
//! charges, and the dispatch board that books engineers by skill, region and schedule
//! and refuses double-booking. Then the engineer's work on site (V4) and the bill for it
//! posted to receivables (V6).
pub mod api;
pub mod field;
pub mod pages;
pub mod tablet;
pub mod types;

#[cfg(feature = "ssr")]
pub mod billing;
#[cfg(feature = "ssr")]
pub mod repo;
#[cfg(feature = "ssr")]
pub mod service;
#[cfg(feature = "ssr")]
pub mod site;
