//! `reactions`: a like or a boost of one of the author's posts.

use crate::db::schema::reactions;
use chrono::NaiveDateTime;
use diesel::prelude::*;

/// A like or a boost of one of our posts.
#[derive(Debug, Clone, Queryable, Selectable, Identifiable, Insertable)]
#[diesel(table_name = reactions)]
pub struct DbReaction {
    pub id: i64,
    pub object_id: i64,
    pub actor_id: i64,
    pub kind: String,
    pub activity_ap_id: String,
    pub created_at: NaiveDateTime,
}

pub const LIKE: &str = "like";
pub const ANNOUNCE: &str = "announce";
