//! Activities (跟进记录, T1): calls, visits, meetings, e-mails, notes and messages
//! logged against customers and contacts through one link table; visit plans and results.
pub mod api;
pub mod pages;
pub mod types;

#[cfg(feature = "ssr")]
pub mod attachments;
#[cfg(feature = "ssr")]
pub mod documents;
#[cfg(feature = "ssr")]
pub mod repo;
#[cfg(feature = "ssr")]
pub mod service;
