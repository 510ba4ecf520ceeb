//! `follows`: a follow in either direction between the author and another actor, and its
//! state ([`PENDING`](super::PENDING), accepted, rejected).

use crate::db::schema::follows;
use chrono::NaiveDateTime;
use diesel::prelude::*;

/// A follow in either direction.
#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = follows)]
pub struct DbFollow {
    pub id: i64,
    pub actor_id: i64,
    pub direction: String,
    pub follow_ap_id: String,
    pub state: String,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}

/// They follow the author.
pub const INCOMING: &str = "in";
/// The author follows them.
pub const OUTGOING: &str = "out";
pub const ACCEPTED: &str = "accepted";
pub const REJECTED: &str = "rejected";
