//! perch: a single-user ActivityPub server — one person's blog and microblog.

pub mod app;
pub mod apub;
pub mod config;
pub mod db;
pub mod delivery;
pub mod domain;
pub mod error;
pub mod media;
pub mod metrics;
pub mod net;
pub mod ratelimit;
pub mod routes;
pub mod services;
pub mod state;
