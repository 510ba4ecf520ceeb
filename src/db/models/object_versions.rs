//! `object_versions`: an earlier version of an edited post, kept for its edit history.

use crate::db::schema::object_versions;
use chrono::NaiveDateTime;
use diesel::prelude::*;

/// An earlier version of an edited post.
#[derive(Debug, Clone, Queryable, Selectable, Identifiable, Insertable)]
#[diesel(table_name = object_versions)]
pub struct DbObjectVersion {
    #[diesel(skip_insertion)]
    pub id: i64,
    pub object_id: i64,
    pub name: Option<String>,
    pub summary: Option<String>,
    pub content: String,
    pub source: Option<String>,
    pub tags: String,
    pub sensitive: bool,
    pub valid_from: NaiveDateTime,
    pub created_at: NaiveDateTime,
}
