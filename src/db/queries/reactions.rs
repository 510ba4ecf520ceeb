//! Likes and boosts of our posts: one per actor and kind, so a repeat changes nothing.

use crate::db::{models::*, now, schema::reactions::dsl::*, Conn};
use crate::error::Result;
use diesel::prelude::*;

/// Records a like or boost; `false` if that actor had already done so.
pub fn add(conn: &mut Conn, object: i64, actor: i64, what: &str, activity: &str) -> Result<bool> {
    let n = crate::db::native!(conn, |c| diesel::insert_into(reactions)
        .values((
            object_id.eq(object),
            actor_id.eq(actor),
            kind.eq(what),
            activity_ap_id.eq(activity),
            created_at.eq(now()),
        ))
        .on_conflict_do_nothing()
        .execute(c))?;
    Ok(n > 0)
}

/// Withdraws the reaction made by `activity` (an Undo names the activity it undoes), or, when
/// only the object is known, `actor`'s reaction of that kind to it.
pub fn remove(
    conn: &mut Conn,
    actor: i64,
    what: &str,
    activity: &str,
    object: Option<i64>,
) -> Result<Option<i64>> {
    let found: Option<DbReaction> = reactions
        .filter(actor_id.eq(actor).and(kind.eq(what)))
        .filter(
            activity_ap_id
                .eq(activity)
                .or(object_id.nullable().eq(object)),
        )
        .select(DbReaction::as_select())
        .first(conn)
        .optional()?;
    let Some(r) = found else { return Ok(None) };
    diesel::delete(reactions.find(r.id)).execute(conn)?;
    Ok(Some(r.object_id))
}

pub fn count(conn: &mut Conn, object: i64, what: &str) -> Result<i64> {
    Ok(reactions
        .filter(object_id.eq(object).and(kind.eq(what)))
        .count()
        .get_result(conn)?)
}

/// Who liked or boosted `object` (`what`), latest first, at most `limit`.
pub fn reactors(conn: &mut Conn, object: i64, what: &str, limit: i64) -> Result<Vec<DbActor>> {
    use crate::db::schema::actors;
    Ok(reactions
        .inner_join(actors::table)
        .filter(object_id.eq(object).and(kind.eq(what)))
        .order(id.desc())
        .limit(limit)
        .select(DbActor::as_select())
        .load(conn)?)
}

/// What `actor` liked (`what`), latest first, at most `limit`, as far as the author may read.
/// Read a page of reactions at a time, so a long history costs only the pages it needs.
pub fn reacted_to(conn: &mut Conn, actor: i64, what: &str, limit: i64) -> Result<Vec<DbObject>> {
    use crate::db::{
        queries::visibility::{readable_by, Viewer},
        schema::objects,
    };
    let wanted = usize::try_from(limit).unwrap_or(0);
    let mut found: Vec<DbObject> = Vec::new();
    let mut before = i64::MAX;
    while found.len() < wanted {
        let page: Vec<(i64, i64)> = reactions
            .filter(actor_id.eq(actor).and(kind.eq(what)).and(id.lt(before)))
            .order(id.desc())
            .limit(limit)
            .select((id, object_id))
            .load(conn)?;
        let Some(&(last, _)) = page.last() else { break };
        before = last;
        let ids: Vec<i64> = page.iter().map(|&(_, o)| o).collect();
        let mut rows: Vec<DbObject> = objects::table
            .filter(objects::id.eq_any(&ids))
            .filter(readable_by(Viewer::Author))
            .select(DbObject::as_select())
            .load(conn)?;
        rows.sort_by_key(|o| ids.iter().position(|&i| i == o.id));
        found.extend(rows);
    }
    found.truncate(wanted);
    Ok(found)
}

/// `actor`'s own like or boost (`what`) of `object`.
pub fn of(conn: &mut Conn, object: i64, actor: i64, what: &str) -> Result<Option<DbReaction>> {
    Ok(reactions
        .filter(
            object_id
                .eq(object)
                .and(actor_id.eq(actor))
                .and(kind.eq(what)),
        )
        .select(DbReaction::as_select())
        .first(conn)
        .optional()?)
}
