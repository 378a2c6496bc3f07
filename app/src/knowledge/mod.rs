//! Knowledge base and FAQ (V8): articles searched in Chinese without word segmentation,
//! suggested on service requests from their text and linked to them.
pub mod api;
pub mod pages;
pub mod types;

#[cfg(feature = "ssr")]
pub mod repo;
#[cfg(feature = "ssr")]
pub mod service;
