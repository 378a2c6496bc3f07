//! Inventory (O6): warehouses, stock on hand and reserved per product, and the ledger of
//! every movement (stock in, out, transfer, stocktake, shipment, return).
pub mod api;
pub mod pages;
pub mod types;

#[cfg(feature = "ssr")]
pub mod service;
