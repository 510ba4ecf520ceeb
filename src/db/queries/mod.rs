//! Queries, one file per table. Plain functions over a connection; the caller picks the
//! transaction.

pub mod account;
pub mod activities;
pub mod actors;
pub mod blocks;
pub mod deliveries;
pub mod follows;
pub mod hosts;
pub mod idempotency;
pub mod integrity;
pub mod markers;
pub mod media;
pub mod notifications;
pub mod oauth;
pub mod objects;
pub mod pages;
pub mod posts;
pub mod profile;
pub mod reactions;
pub mod signature_formats;
pub mod timelines;
pub mod visibility;
