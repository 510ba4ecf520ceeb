//! What the public web pages and feeds read: the author's own posts that anyone may see
//! (local, not deleted, public or unlisted; tag pages public only), with their hashtags and
//! images (`queries::posts`). Followers-only and direct posts never come out of here.

use crate::db::{
    models::*,
    queries::visibility::{listed_publicly, readable_by, Viewer},
    schema::{hashtags, objects},
    Conn,
};
use crate::error::Result;
use diesel::prelude::*;

/// The author's own live posts anyone may read (the one rule, `queries::visibility`); with
/// `listed_only`, only those listed in public places (public, not unlisted: tag pages).
fn shown_posts(listed_only: bool) -> objects::BoxedQuery<'static, crate::db::Backend> {
    let q = objects::table
        .filter(objects::local.eq(true))
        .filter(readable_by(Viewer::Anonymous))
        // The author's answers to comments live in their threads, not in the lists.
        .filter(objects::in_reply_to.is_null())
        .into_boxed();
    if listed_only {
        q.filter(listed_publicly())
    } else {
        q
    }
}

/// Public and unlisted posts, newest first.
pub fn listed_posts(conn: &mut Conn, offset: i64, limit: i64) -> Result<Vec<DbObject>> {
    Ok(shown_posts(false)
        .order((objects::published.desc(), objects::id.desc()))
        .offset(offset)
        .limit(limit)
        .select(DbObject::as_select())
        .load(conn)?)
}

pub fn count_listed(conn: &mut Conn) -> Result<i64> {
    Ok(shown_posts(false).count().get_result(conn)?)
}

/// Every public and unlisted post, newest first (the archive).
pub fn all_listed(conn: &mut Conn) -> Result<Vec<DbObject>> {
    Ok(shown_posts(false)
        .order((objects::published.desc(), objects::id.desc()))
        .select(DbObject::as_select())
        .load(conn)?)
}

/// Public posts carrying hashtag `tag` (lower-cased, without `#`), newest first.
pub fn tagged_posts(conn: &mut Conn, tag: &str, offset: i64, limit: i64) -> Result<Vec<DbObject>> {
    let with_tag = hashtags::table
        .filter(hashtags::name.eq(tag.to_owned()))
        .select(hashtags::object_id);
    Ok(shown_posts(true)
        .filter(objects::id.eq_any(with_tag))
        .order((objects::published.desc(), objects::id.desc()))
        .offset(offset)
        .limit(limit)
        .select(DbObject::as_select())
        .load(conn)?)
}
