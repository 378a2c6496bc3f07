//! Sales reports and the manager dashboard (S7, S8, R1): funnel, stage conversion and
//! time in stage, forecast against targets, with drill-down to the opportunity list.
pub mod api;
pub mod pages;
pub mod types;

#[cfg(feature = "ssr")]
pub mod repo;
#[cfg(feature = "ssr")]
pub mod service;
