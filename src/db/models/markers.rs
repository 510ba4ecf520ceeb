//! `markers`: where the author stopped reading a timeline (home, notifications).

use crate::db::schema::markers;
use chrono::NaiveDateTime;
use diesel::prelude::*;

/// Where the author stopped reading a timeline.
#[derive(Debug, Clone, Queryable, Selectable, Insertable, AsChangeset)]
#[diesel(table_name = markers)]
pub struct DbMarker {
    pub timeline: String,
    pub last_read_id: String,
    pub version: i32,
    pub updated_at: NaiveDateTime,
}
