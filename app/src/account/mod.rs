//! The signed-in user: session, password, language.
pub mod api;
pub mod pages;
pub mod types;

#[cfg(feature = "ssr")]
pub mod service;
