//! User-defined lists managed in settings (customer levels, categories, groups,
//! industries, sources, regions): the choices the customer form offers.
pub mod api;
pub mod pages;
pub mod types;

#[cfg(feature = "ssr")]
pub mod service;
