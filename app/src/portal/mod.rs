//! The customer self-service portal (V10): customers sign in with logins of their own
//! (not staff accounts) at `/portal`, submit and follow service requests, write to the
//! service desk, read the FAQ and see their orders. The pages are rendered on the
//! server as plain HTML forms ([`site`]): no WASM to download, quick on any phone. The
//! staff open and close portal access on the customer's page ([`pages`]).
pub mod api;
pub mod pages;
pub mod types;

#[cfg(feature = "ssr")]
pub mod service;
#[cfg(feature = "ssr")]
pub mod site;
