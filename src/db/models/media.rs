//! `media`: an image (or other file) attached to a post, stored under the data directory
//! or left at its remote URL.

use crate::db::schema::media;
use chrono::NaiveDateTime;
use diesel::prelude::*;

/// An image (or other file) attached to a post.
#[derive(Debug, Clone, Queryable, Selectable, Identifiable, Insertable)]
#[diesel(table_name = media)]
pub struct DbMedia {
    pub id: i64,
    pub public_id: String,
    pub object_id: Option<i64>,
    pub position: i32,
    pub file_name: Option<String>,
    pub remote_url: Option<String>,
    pub media_type: String,
    pub width: Option<i32>,
    pub height: Option<i32>,
    pub blurhash: Option<String>,
    pub description: Option<String>,
    pub size_bytes: i64,
    pub created_at: NaiveDateTime,
    /// The focal point, `"x,y"` with each in -1..1.
    pub focus: Option<String>,
}

#[derive(Debug, Clone, Insertable)]
#[diesel(table_name = media)]
pub struct NewMedia {
    pub public_id: String,
    pub object_id: Option<i64>,
    pub position: i32,
    pub file_name: Option<String>,
    pub remote_url: Option<String>,
    pub media_type: String,
    pub width: Option<i32>,
    pub height: Option<i32>,
    pub blurhash: Option<String>,
    pub description: Option<String>,
    pub size_bytes: i64,
    pub created_at: NaiveDateTime,
    /// The focal point, `"x,y"` with each in -1..1.
    pub focus: Option<String>,
}
