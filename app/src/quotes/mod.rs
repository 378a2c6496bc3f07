//! Quotes (O3): priced lines from the catalog, discounts, tax, validity, revisions and
//! approval of discounts past the company's limit.
pub mod api;
pub mod pages;
pub mod types;

#[cfg(feature = "ssr")]
pub mod repo;
#[cfg(feature = "ssr")]
pub mod service;
