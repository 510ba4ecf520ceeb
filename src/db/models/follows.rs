//! `follows`: a follow in either direction between the author and another actor, and its
//! state ([`FollowState`](super::FollowState)).

use super::{Direction, FollowState};
use crate::db::schema::follows;
use chrono::NaiveDateTime;
use diesel::prelude::*;

/// A follow in either direction.
#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = follows)]
pub struct DbFollow {
    pub id: i64,
    pub actor_id: i64,
    pub direction: Direction,
    pub follow_ap_id: String,
    pub state: FollowState,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}
