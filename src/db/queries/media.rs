//! Media rows: uploads, and which post they belong to in what order.

use crate::db::{models::*, schema::media::dsl::*, Conn};
use crate::error::{Error, Result};
use diesel::prelude::*;

pub fn insert(conn: &mut Conn, new: &NewMedia) -> Result<DbMedia> {
    Ok(crate::db::native!(conn, |c| diesel::insert_into(media)
        .values(new)
        .returning(DbMedia::as_returning())
        .get_result(c))?)
}

pub fn by_public_id(conn: &mut Conn, pid: &str) -> Result<Option<DbMedia>> {
    Ok(media
        .filter(public_id.eq(pid))
        .select(DbMedia::as_select())
        .first(conn)
        .optional()?)
}

/// Attaches the media `ids` to `object`, in that order. Each must exist and be unattached or
/// already this object's (an edit re-attaches). Run it in the transaction that writes the post.
pub fn attach(conn: &mut Conn, ids: &[i64], object: i64) -> Result<()> {
    for (pos, &media_id) in ids.iter().enumerate() {
        let pos = i32::try_from(pos).map_err(Error::internal)?;
        let updated = diesel::update(
            media.filter(
                id.eq(media_id)
                    .and(object_id.is_null().or(object_id.eq(object))),
            ),
        )
        .set((object_id.eq(object), position.eq(pos)))
        .execute(conn)?;
        if updated != 1 {
            return Err(Error::BadRequest(format!(
                "media {media_id} does not exist or belongs to another post"
            )));
        }
    }
    Ok(())
}

/// The media of a post, in order.
pub fn for_object(conn: &mut Conn, object: i64) -> Result<Vec<DbMedia>> {
    Ok(media
        .filter(object_id.eq(object))
        .order((position.asc(), id.asc()))
        .select(DbMedia::as_select())
        .load(conn)?)
}

/// Deletes those of the media `ids` that no post took; returns their rows (for their files).
pub fn delete_unattached(conn: &mut Conn, ids: &[i64]) -> Result<Vec<DbMedia>> {
    let mut removed = Vec::new();
    for chunk in ids.chunks(500) {
        removed.extend(crate::db::native!(conn, |c| diesel::delete(
            media.filter(id.eq_any(chunk).and(object_id.is_null()))
        )
        .returning(DbMedia::as_returning())
        .get_results(c))?);
    }
    Ok(removed)
}

/// Uploads that no post took and that were made before `before`, except the files named in
/// `keep` (the profile's avatar and header); deleted, and returned (for their files).
pub fn delete_abandoned(
    conn: &mut Conn,
    before: chrono::NaiveDateTime,
    keep: &[String],
) -> Result<Vec<DbMedia>> {
    Ok(crate::db::native!(conn, |c| diesel::delete(
        media.filter(
            object_id
                .is_null()
                .and(file_name.is_not_null())
                .and(created_at.lt(before))
                .and(file_name.ne_all(keep)),
        ),
    )
    .returning(DbMedia::as_returning())
    .get_results(c))?)
}

/// The author's upload `wanted` (one with a file here, not a remote attachment).
pub fn upload(conn: &mut Conn, wanted: i64) -> Result<Option<DbMedia>> {
    Ok(media
        .find(wanted)
        .filter(file_name.is_not_null())
        .select(DbMedia::as_select())
        .first(conn)
        .optional()?)
}

/// Those of `ids` that are uploads no post has taken yet.
pub fn unattached_uploads(conn: &mut Conn, ids: &[i64]) -> Result<Vec<i64>> {
    Ok(media
        .filter(
            id.eq_any(ids)
                .and(file_name.is_not_null())
                .and(object_id.is_null()),
        )
        .select(id)
        .load(conn)?)
}

/// Sets the description (when given; `Some(None)` clears it) and the focal point of `wanted`.
pub fn describe(
    conn: &mut Conn,
    wanted: i64,
    text: Option<Option<String>>,
    point: Option<String>,
) -> Result<DbMedia> {
    if let Some(d) = text {
        diesel::update(media.find(wanted))
            .set(description.eq(d))
            .execute(conn)?;
    }
    if let Some(f) = point {
        diesel::update(media.find(wanted))
            .set(focus.eq(Some(f)))
            .execute(conn)?;
    }
    Ok(media
        .find(wanted)
        .select(DbMedia::as_select())
        .first(conn)?)
}
