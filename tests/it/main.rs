//! perch's integration tests: each starts real perch instances (SQLite files in temp dirs,
//! HTTP on loopback with port 0, debug mode) and talks to them over HTTP.
#![allow(clippy::unwrap_used)]

mod support;

mod architecture;
mod authorized_fetch;
mod bench;
mod bounds;
mod cli;
mod client;
mod comments;
mod copy;
mod crash;
mod delivery;
mod discovery;
mod federation;
mod fetch_bounds;
mod fixtures;
mod fuzz;
mod hardening;
mod import;
mod interop;
pub mod media;
mod megalodon;
mod message_signatures;
mod no_proxy;
mod operations;
mod page_cache;
mod posts;
mod processes;
mod ratelimit;
mod reachability;
mod shapes;
mod signature_choice;
mod signatures;
mod visibility;
mod web;
