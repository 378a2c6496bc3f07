//! Sales orders (O4): from a quote or entered directly, with a stock check per warehouse
//! at entry, confirmation that reserves stock (or waits for approval past the customer's
//! credit limit), shipments that issue it and returns that bring it back.
pub mod api;
pub mod pages;
pub mod types;

#[cfg(feature = "ssr")]
pub mod repo;
#[cfg(feature = "ssr")]
pub mod service;
