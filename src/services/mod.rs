//! Use-cases shared by the CLI, the web and (later) the client API: setting up the actor,
//! publishing, importing, following, answering follow requests. Services own the transaction and hand
//! outgoing activities to the delivery queue.

pub mod auth;
pub mod compose;
pub mod edit;
pub mod follow;
pub mod followers;
pub mod health;
pub mod housekeeping;
pub mod import;
pub mod maintenance;
pub mod media;
pub mod moderation;
pub mod profile;
pub mod publish;
pub mod react;
pub mod reading;
pub mod reply;
pub mod resolve;
pub mod setup;
