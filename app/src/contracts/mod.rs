//! Contracts and collection (O5, S6): contracts from a won opportunity or an agreed
//! quote with a payment plan of instalments, payments (回款) against instalments,
//! invoices, receivables per customer and overdue reminders.
pub mod api;
pub mod pages;
pub mod types;

#[cfg(feature = "ssr")]
pub mod repo;
#[cfg(feature = "ssr")]
pub mod service;
