//! Likes and boosts of our posts: one per actor and kind, so a repeat changes nothing.

use crate::db::{models::*, now, schema::reactions::dsl::*, Conn};
use crate::error::Result;
use diesel::prelude::*;

/// Records a like or boost; `false` if that actor had already done so.
pub fn add(conn: &mut Conn, object: i64, actor: i64, what: &str, activity: &str) -> Result<bool> {
    let n = diesel::insert_into(reactions)
        .values((
            object_id.eq(object),
            actor_id.eq(actor),
            kind.eq(what),
            activity_ap_id.eq(activity),
            created_at.eq(now()),
        ))
        .on_conflict_do_nothing()
        .execute(conn)?;
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
