//! Queries, one file per table. Plain functions over a connection; the caller picks the
//! transaction.

pub mod activities;
pub mod actors;
pub mod deliveries;
pub mod follows;
pub mod objects;
pub mod pages;
