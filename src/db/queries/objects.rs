//! Notes and articles, local and remote.

use crate::db::{
    models::*,
    queries::visibility::{audience, readable_by, Viewer},
    schema::objects::dsl::*,
    Conn,
};
use crate::domain::visibility::Moderation;
use crate::error::Result;
use diesel::prelude::*;

pub fn insert(conn: &mut Conn, new: &NewObject) -> Result<DbObject> {
    Ok(crate::db::native!(conn, |c| diesel::insert_into(objects)
        .values(new)
        .returning(DbObject::as_returning())
        .get_result(c))?)
}

/// Stores a remote object once; a second copy with the same id is ignored.
pub fn insert_remote(conn: &mut Conn, new: &NewObject) -> Result<Option<DbObject>> {
    Ok(crate::db::native!(conn, |c| diesel::insert_into(objects)
        .values(new)
        .on_conflict(ap_id)
        .do_nothing()
        .returning(DbObject::as_returning())
        .get_result(c))
    .optional()?)
}

pub fn by_ap_id(conn: &mut Conn, wanted: &str) -> Result<Option<DbObject>> {
    Ok(objects
        .filter(ap_id.eq(wanted))
        .select(DbObject::as_select())
        .first(conn)
        .optional()?)
}

/// A stored object by its `url` (what people link to, which may differ from its id).
pub fn by_url(conn: &mut Conn, wanted: &str) -> Result<Option<DbObject>> {
    Ok(objects
        .filter(url.eq(wanted))
        .select(DbObject::as_select())
        .first(conn)
        .optional()?)
}

pub fn by_public_id(conn: &mut Conn, pid: &str) -> Result<Option<DbObject>> {
    Ok(objects
        .filter(public_id.eq(pid).and(local.eq(true)))
        .select(DbObject::as_select())
        .first(conn)
        .optional()?)
}

/// The author's posts anyone may see: public and unlisted, not deleted (what NodeInfo and the
/// instance's stats publish; followers-only and direct posts are not counted, not even as a
/// number).
pub fn count_local(conn: &mut Conn) -> Result<i64> {
    Ok(objects
        .filter(local.eq(true))
        .filter(readable_by(Viewer::Anonymous))
        .count()
        .get_result(conn)?)
}

/// When the newest of [`count_local`]'s posts was published.
pub fn last_local_published(conn: &mut Conn) -> Result<Option<chrono::NaiveDateTime>> {
    Ok(objects
        .filter(local.eq(true))
        .filter(readable_by(Viewer::Anonymous))
        .select(diesel::dsl::max(published))
        .first(conn)?)
}

/// Posts by one actor, newest first.
pub fn by_actor(conn: &mut Conn, actor: i64, limit: i64) -> Result<Vec<DbObject>> {
    Ok(objects
        .filter(actor_id.eq(actor))
        .order((published.desc(), id.desc()))
        .limit(limit)
        .select(DbObject::as_select())
        .load(conn)?)
}

pub fn by_slug(conn: &mut Conn, wanted: &str) -> Result<Option<DbObject>> {
    Ok(objects
        .filter(slug.eq(wanted).and(local.eq(true)))
        .select(DbObject::as_select())
        .first(conn)
        .optional()?)
}

/// The post imported from `key` (e.g. `mastodon:<id>`), if any.
pub fn by_source_key(conn: &mut Conn, key: &str) -> Result<Option<DbObject>> {
    Ok(objects
        .filter(source_key.eq(key))
        .select(DbObject::as_select())
        .first(conn)
        .optional()?)
}

/// Which of `keys` some post was already imported from.
pub fn known_source_keys(conn: &mut Conn, keys: &[String]) -> Result<Vec<String>> {
    let mut known = Vec::new();
    // Well under SQLite's limit on bound parameters per statement.
    for chunk in keys.chunks(500) {
        known.extend(
            objects
                .filter(source_key.eq_any(chunk))
                .select(source_key.assume_not_null())
                .load::<String>(conn)?,
        );
    }
    Ok(known)
}

/// A local post named by its public id, its URL or its slug.
pub fn find_local(conn: &mut Conn, wanted: &str) -> Result<Option<DbObject>> {
    let wanted = wanted.trim();
    let tail = wanted
        .trim_end_matches('/')
        .rsplit('/')
        .next()
        .unwrap_or(wanted);
    Ok(objects
        .filter(local.eq(true))
        .filter(ap_id.eq(wanted).or(public_id.eq(tail)).or(slug.eq(tail)))
        .select(DbObject::as_select())
        .first(conn)
        .optional()?)
}

/// Replaces a post's hashtags.
pub fn set_hashtags(conn: &mut Conn, object: i64, names: &[String]) -> Result<()> {
    use crate::db::schema::hashtags::dsl as h;
    diesel::delete(h::hashtags.filter(h::object_id.eq(object))).execute(conn)?;
    for n in names {
        crate::db::native!(conn, |c| diesel::insert_into(h::hashtags)
            .values((h::object_id.eq(object), h::name.eq(n)))
            .on_conflict_do_nothing()
            .execute(c))?;
    }
    Ok(())
}

/// Replaces the actors a post mentions.
pub fn set_mentions(conn: &mut Conn, object: i64, actor_ids: &[i64]) -> Result<()> {
    use crate::db::schema::mentions::dsl as m;
    diesel::delete(m::mentions.filter(m::object_id.eq(object))).execute(conn)?;
    for a in actor_ids {
        crate::db::native!(conn, |c| diesel::insert_into(m::mentions)
            .values((m::object_id.eq(object), m::actor_id.eq(a)))
            .on_conflict_do_nothing()
            .execute(c))?;
    }
    Ok(())
}

/// The actors a post mentions.
pub fn mentioned_actors(conn: &mut Conn, object: i64) -> Result<Vec<DbActor>> {
    use crate::db::schema::{actors, mentions::dsl as m};
    Ok(m::mentions
        .inner_join(actors::table)
        .filter(m::object_id.eq(object))
        .select(DbActor::as_select())
        .load(conn)?)
}

/// The new text of an edited post.
#[derive(Debug, Clone, AsChangeset)]
#[diesel(table_name = crate::db::schema::objects, treat_none_as_null = true)]
pub struct PostEdit {
    pub name: Option<String>,
    pub summary: Option<String>,
    pub content: String,
    pub source: Option<String>,
    pub tags: String,
    pub sensitive: bool,
    pub updated: Option<chrono::NaiveDateTime>,
}

/// Keeps the current text as a version, then applies `edit`.
pub fn edit(conn: &mut Conn, post: &DbObject, edit: &PostEdit) -> Result<DbObject> {
    diesel::insert_into(crate::db::schema::object_versions::table)
        .values(&DbObjectVersion {
            id: 0,
            object_id: post.id,
            name: post.name.clone(),
            summary: post.summary.clone(),
            content: post.content.clone(),
            source: post.source.clone(),
            tags: post.tags.clone(),
            sensitive: post.sensitive,
            valid_from: post.updated.unwrap_or(post.published),
            created_at: crate::db::now(),
        })
        .execute(conn)?;
    Ok(crate::db::native!(conn, |c| diesel::update(
        objects.find(post.id)
    )
    .set(edit)
    .returning(DbObject::as_returning())
    .get_result(c))?)
}

/// Replaces a remote object's extras (`objects.extras`: a foreign link, a poll's counts).
pub fn set_extras(conn: &mut Conn, object: i64, json: Option<String>) -> Result<()> {
    diesel::update(objects.find(object))
        .set(extras.eq(json))
        .execute(conn)?;
    Ok(())
}

/// Earlier versions of a post, oldest first.
pub fn versions(conn: &mut Conn, object: i64) -> Result<Vec<DbObjectVersion>> {
    use crate::db::schema::object_versions::dsl as v;
    Ok(v::object_versions
        .filter(v::object_id.eq(object))
        .order(v::id.asc())
        .select(DbObjectVersion::as_select())
        .load(conn)?)
}

/// Empties a post and marks it deleted: it answers 410 from now on. Its history and
/// hashtags go with it.
pub fn mark_deleted(conn: &mut Conn, object: i64) -> Result<()> {
    use crate::db::schema::{hashtags, object_versions};
    diesel::delete(object_versions::table.filter(object_versions::object_id.eq(object)))
        .execute(conn)?;
    diesel::delete(hashtags::table.filter(hashtags::object_id.eq(object))).execute(conn)?;
    diesel::update(objects.find(object))
        .set((
            deleted_at.eq(Some(crate::db::now())),
            content.eq(""),
            source.eq(None::<String>),
            name.eq(None::<String>),
            summary.eq(None::<String>),
        ))
        .execute(conn)?;
    Ok(())
}

/// Removes a remote object (its author deleted it).
pub fn remove(conn: &mut Conn, object: i64) -> Result<()> {
    diesel::delete(objects.find(object)).execute(conn)?;
    Ok(())
}

pub fn by_id(conn: &mut Conn, wanted: i64) -> Result<Option<DbObject>> {
    Ok(objects
        .find(wanted)
        .select(DbObject::as_select())
        .first(conn)
        .optional()?)
}

/// Inserts a comment (a remote reply in one of our threads); a second copy is ignored and
/// the stored one returned.
pub fn insert_comment(conn: &mut Conn, new: &NewObject) -> Result<(DbObject, bool)> {
    if let Some(done) = insert_remote(conn, new)? {
        return Ok((done, true));
    }
    let existing = by_ap_id(conn, &new.ap_id)?.ok_or(crate::error::Error::NotFound)?;
    Ok((existing, false))
}

pub fn set_moderation(conn: &mut Conn, object: i64, state: Moderation) -> Result<bool> {
    let n = diesel::update(objects.find(object).filter(thread_root_id.is_not_null()))
        .set(moderation.eq(Some(state.as_str())))
        .execute(conn)?;
    Ok(n > 0)
}

/// The objects that answer `parent` and anyone may read (visible comments, and the author's
/// own public replies), oldest first; a comment its sender deleted stays as a tombstone.
pub fn visible_replies(conn: &mut Conn, parent: i64) -> Result<Vec<DbObject>> {
    Ok(objects
        .filter(parent_id.eq(parent))
        .filter(audience(Viewer::Anonymous))
        .filter(deleted_at.is_null().or(local.eq(false)))
        .order((published.asc(), id.asc()))
        .select(DbObject::as_select())
        .load(conn)?)
}

/// Every object of a thread (comments in any state and the author's replies), oldest first.
pub fn thread(conn: &mut Conn, root: i64) -> Result<Vec<DbObject>> {
    Ok(objects
        .filter(thread_root_id.eq(root))
        .order((published.asc(), id.asc()))
        .select(DbObject::as_select())
        .load(conn)?)
}

pub fn has_replies(conn: &mut Conn, object: i64) -> Result<bool> {
    let n: i64 = objects
        .filter(parent_id.eq(object))
        .count()
        .get_result(conn)?;
    Ok(n > 0)
}

/// Comments with their authors, newest first; only those held for approval if `pending`.
pub fn comments(conn: &mut Conn, pending: bool, limit: i64) -> Result<Vec<(DbObject, DbActor)>> {
    use crate::db::schema::actors;
    let mut q = objects
        .inner_join(actors::table)
        .filter(thread_root_id.is_not_null().and(local.eq(false)))
        .into_boxed();
    if pending {
        q = q.filter(moderation.eq(Moderation::Held.as_str()));
    }
    Ok(q.order(id.desc())
        .limit(limit)
        .select((DbObject::as_select(), DbActor::as_select()))
        .load(conn)?)
}

/// Whether the author has replied to `object` (then its edits are worth a notification).
pub fn answered_by_author(conn: &mut Conn, object: i64) -> Result<bool> {
    let n: i64 = objects
        .filter(parent_id.eq(object).and(local.eq(true)))
        .count()
        .get_result(conn)?;
    Ok(n > 0)
}
