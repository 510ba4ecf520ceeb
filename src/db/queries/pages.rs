//! What the public web pages and feeds read: the author's own posts that anyone may see
//! (local, not deleted, public or unlisted; tag pages public only), with their hashtags and
//! images. Followers-only and direct posts never come out of here.

use crate::db::{
    models::*,
    schema::{hashtags, media, objects},
    Conn,
};
use crate::domain::Visibility;
use crate::error::Result;
use diesel::prelude::*;
use std::collections::HashMap;

/// A post with what its page shows besides the post itself.
#[derive(Debug, Clone)]
pub struct PagePost {
    pub post: DbObject,
    /// Lower-cased, without `#`, in name order.
    pub hashtags: Vec<String>,
    /// Attachments in `position` order.
    pub media: Vec<DbMedia>,
}

/// The visibilities shown to readers who are not logged in.
fn listed() -> Vec<&'static str> {
    [
        Visibility::Public,
        Visibility::Unlisted,
        Visibility::Private,
        Visibility::Direct,
    ]
    .into_iter()
    .filter(|v| v.is_public())
    .map(Visibility::as_str)
    .collect()
}

/// Local, live posts in one of `shown` visibilities.
fn shown_posts(shown: Vec<&'static str>) -> objects::BoxedQuery<'static, diesel::sqlite::Sqlite> {
    objects::table
        .filter(objects::local.eq(true))
        .filter(objects::deleted_at.is_null())
        // The author's answers to comments live in their threads, not in the lists.
        .filter(objects::in_reply_to.is_null())
        .filter(objects::visibility.eq_any(shown))
        .into_boxed()
}

/// Public and unlisted posts, newest first.
pub fn listed_posts(conn: &mut Conn, offset: i64, limit: i64) -> Result<Vec<DbObject>> {
    Ok(shown_posts(listed())
        .order((objects::published.desc(), objects::id.desc()))
        .offset(offset)
        .limit(limit)
        .select(DbObject::as_select())
        .load(conn)?)
}

pub fn count_listed(conn: &mut Conn) -> Result<i64> {
    Ok(shown_posts(listed()).count().get_result(conn)?)
}

/// Every public and unlisted post, newest first (the archive).
pub fn all_listed(conn: &mut Conn) -> Result<Vec<DbObject>> {
    Ok(shown_posts(listed())
        .order((objects::published.desc(), objects::id.desc()))
        .select(DbObject::as_select())
        .load(conn)?)
}

/// Public posts carrying hashtag `tag` (lower-cased, without `#`), newest first.
pub fn tagged_posts(conn: &mut Conn, tag: &str, offset: i64, limit: i64) -> Result<Vec<DbObject>> {
    let with_tag = hashtags::table
        .filter(hashtags::name.eq(tag.to_owned()))
        .select(hashtags::object_id);
    Ok(shown_posts(vec![Visibility::Public.as_str()])
        .filter(objects::id.eq_any(with_tag))
        .order((objects::published.desc(), objects::id.desc()))
        .offset(offset)
        .limit(limit)
        .select(DbObject::as_select())
        .load(conn)?)
}

/// Adds each post's hashtags and media, keeping the order of `posts`.
pub fn with_extras(conn: &mut Conn, posts: Vec<DbObject>) -> Result<Vec<PagePost>> {
    let ids: Vec<i64> = posts.iter().map(|p| p.id).collect();
    let mut tags: HashMap<i64, Vec<String>> = HashMap::new();
    for (object, name) in hashtags::table
        .filter(hashtags::object_id.eq_any(&ids))
        .order((hashtags::object_id.asc(), hashtags::name.asc()))
        .select((hashtags::object_id, hashtags::name))
        .load::<(i64, String)>(conn)?
    {
        tags.entry(object).or_default().push(name);
    }
    let mut files: HashMap<i64, Vec<DbMedia>> = HashMap::new();
    for m in media::table
        .filter(media::object_id.eq_any(&ids))
        .order((
            media::object_id.asc(),
            media::position.asc(),
            media::id.asc(),
        ))
        .select(DbMedia::as_select())
        .load(conn)?
    {
        if let Some(object) = m.object_id {
            files.entry(object).or_default().push(m);
        }
    }
    Ok(posts
        .into_iter()
        .map(|post| PagePost {
            hashtags: tags.remove(&post.id).unwrap_or_default(),
            media: files.remove(&post.id).unwrap_or_default(),
            post,
        })
        .collect())
}
