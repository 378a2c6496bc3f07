//! Money set-up shared by the sales documents: the base currency, dated exchange rates
//! (O7) and document numbering rules.
pub mod api;
pub mod pages;
pub mod types;

#[cfg(feature = "ssr")]
pub mod service;
