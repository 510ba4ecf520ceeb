//! `blocks`: an actor or a whole domain the author blocked.

use crate::db::schema::blocks;
use chrono::NaiveDateTime;
use diesel::prelude::*;

/// A blocked actor or domain.
#[derive(Debug, Clone, Queryable, Selectable, Identifiable, Insertable)]
#[diesel(table_name = blocks)]
pub struct DbBlock {
    pub id: i64,
    pub actor_ap_id: Option<String>,
    pub domain: Option<String>,
    pub created_at: NaiveDateTime,
}
