//! `profile`: the author's profile as edited from an app (one row; a `None` column means
//! as the config file says).

use crate::db::schema::profile;
use chrono::NaiveDateTime;
use diesel::prelude::*;

/// The author's profile edits (one row; `None` = as the config says).
#[derive(Debug, Clone, Default, Queryable, Selectable, Insertable, AsChangeset)]
#[diesel(table_name = profile, treat_none_as_null = true)]
pub struct DbProfile {
    pub id: i64,
    pub display_name: Option<String>,
    pub summary: Option<String>,
    pub locked: Option<bool>,
    pub fields: Option<String>,
    pub avatar: Option<String>,
    pub header: Option<String>,
    pub updated_at: NaiveDateTime,
}
