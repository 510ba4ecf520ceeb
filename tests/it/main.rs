//! perch's integration tests: each starts real perch instances (SQLite files in temp dirs,
//! HTTP on loopback with port 0, debug mode) and talks to them over HTTP.
#![allow(clippy::unwrap_used)]

mod support;

mod authorized_fetch;
mod bounds;
mod cli;
mod client;
mod comments;
mod crash;
mod delivery;
mod discovery;
mod double_knock;
mod federation;
mod fetch_bounds;
mod fixtures;
mod fuzz;
mod hardening;
mod import;
pub mod media;
mod megalodon;
mod message_signatures;
mod posts;
mod ratelimit;
mod reachability;
mod signatures;
mod web;
