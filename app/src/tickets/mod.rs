//! The service desk, first part (V1, V2, V7): service requests (服务申请) of every kind
//! with SLA deadlines counted in business hours, routing, warnings and escalation by a
//! background job, a consultation's conversion into a lead, and installed assets with
//! their warranty.
pub mod api;
pub mod pages;
pub mod sla;
pub mod stats;
pub mod types;

#[cfg(feature = "ssr")]
pub mod repo;
#[cfg(feature = "ssr")]
pub mod service;
