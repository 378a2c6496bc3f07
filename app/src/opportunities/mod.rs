//! Opportunities (商机) and the sales pipeline: configurable processes with gated
//! stages, the drag-and-drop board, stage history, win and loss (S2, S3, S5, S6).
pub mod api;
pub mod pages;
pub mod types;

#[cfg(feature = "ssr")]
pub mod registration;
#[cfg(feature = "ssr")]
pub mod repo;
#[cfg(feature = "ssr")]
pub mod service;
#[cfg(feature = "ssr")]
pub mod settings;
