//! Our rows as ActivityPub objects and back: actors (activitypub_federation's `Object` and
//! `Actor` traits, so that the crate can fetch and cache them) and posts.

pub mod actor;
pub mod comment;
pub mod handle;
pub mod keys;
pub mod post;
