//! `objects`: a post (note or article), the author's own or another actor's, or a comment
//! on one of the author's posts, with its moderation state.

use crate::db::schema::objects;
use chrono::NaiveDateTime;
use diesel::prelude::*;

#[derive(Debug, Clone, Queryable, Selectable, Identifiable, Insertable)]
#[diesel(table_name = objects)]
pub struct DbObject {
    pub id: i64,
    pub ap_id: String,
    pub public_id: Option<String>,
    pub local: bool,
    pub kind: String,
    pub actor_id: i64,
    pub name: Option<String>,
    pub summary: Option<String>,
    pub content: String,
    pub source: Option<String>,
    pub url: Option<String>,
    pub in_reply_to: Option<String>,
    pub visibility: String,
    pub sensitive: bool,
    pub published: NaiveDateTime,
    pub updated: Option<NaiveDateTime>,
    pub created_at: NaiveDateTime,
    pub slug: Option<String>,
    pub deleted_at: Option<NaiveDateTime>,
    /// The ActivityStreams `tag` array (Hashtag, Mention), JSON.
    pub tags: String,
    pub source_key: Option<String>,
    /// For a comment: the perch post at the root of its thread.
    pub thread_root_id: Option<i64>,
    /// For a comment: the stored object it answers.
    pub parent_id: Option<i64>,
    /// For a comment: `visible`, `pending` or `hidden`.
    pub moderation: Option<String>,
    pub language: Option<String>,
    /// For a remote object, JSON: `link` (its `url` on another server) and `poll`.
    pub extras: Option<String>,
}

impl DbObject {
    pub fn is_deleted(&self) -> bool {
        self.deleted_at.is_some()
    }
}

#[derive(Debug, Clone, Default, Insertable)]
#[diesel(table_name = objects)]
pub struct NewObject {
    pub ap_id: String,
    pub public_id: Option<String>,
    pub local: bool,
    pub kind: String,
    pub actor_id: i64,
    pub name: Option<String>,
    pub summary: Option<String>,
    pub content: String,
    pub source: Option<String>,
    pub url: Option<String>,
    pub in_reply_to: Option<String>,
    pub visibility: String,
    pub sensitive: bool,
    pub published: NaiveDateTime,
    pub updated: Option<NaiveDateTime>,
    pub created_at: NaiveDateTime,
    pub slug: Option<String>,
    pub tags: String,
    pub source_key: Option<String>,
    pub thread_root_id: Option<i64>,
    pub parent_id: Option<i64>,
    pub moderation: Option<String>,
    pub language: Option<String>,
    pub extras: Option<String>,
}
