//! Row types (`DbX`) and insert forms (`NewX`), one file per table. Everything is re-exported
//! here, so callers name `db::models::X` and never the file it lives in.

mod activities;
mod actors;
mod blocks;
mod deliveries;
mod follows;
mod hosts;
mod markers;
mod media;
mod notifications;
mod oauth_apps;
mod oauth_codes;
mod oauth_tokens;
mod object_versions;
mod objects;
mod profile;
mod reactions;

pub use activities::{DbActivity, NewActivity};
pub use actors::{ActorKey, DbActor, NewActor};
pub use blocks::DbBlock;
pub use deliveries::{DbDelivery, DEAD, DELIVERED, PARKED};
pub use follows::{DbFollow, ACCEPTED, INCOMING, OUTGOING, REJECTED};
pub use hosts::DbHost;
pub use markers::DbMarker;
pub use media::{DbMedia, NewMedia};
pub use notifications::DbNotification;
pub use oauth_apps::{DbApp, NewApp};
pub use oauth_codes::DbCode;
pub use oauth_tokens::{DbToken, NewToken};
pub use object_versions::DbObjectVersion;
pub use objects::{DbObject, NewObject, HIDDEN, VISIBLE};
pub use profile::DbProfile;
pub use reactions::{DbReaction, ANNOUNCE, LIKE};

/// Not yet settled, in three tables: a follow waiting for an answer, a delivery not yet
/// made, a comment held for the author's approval.
pub const PENDING: &str = "pending";
