//! Follows both ways: `Direction::Incoming` (followers of the author), `Direction::Outgoing` (whom the author follows).

use crate::db::{
    models::*,
    now,
    schema::{actors, follows::dsl::*},
    Conn,
};
use crate::error::Result;
use diesel::prelude::*;

/// Records (or re-records) a follow; a repeated Follow replaces the old one's id and state.
pub fn upsert(
    conn: &mut Conn,
    actor: i64,
    dir: Direction,
    follow_id: &str,
    new_state: FollowState,
) -> Result<DbFollow> {
    let t = now();
    Ok(crate::db::native!(conn, |c| diesel::insert_into(follows)
        .values((
            actor_id.eq(actor),
            direction.eq(dir),
            follow_ap_id.eq(follow_id),
            state.eq(new_state),
            created_at.eq(t),
            updated_at.eq(t),
        ))
        .on_conflict((actor_id, direction))
        .do_update()
        .set((
            follow_ap_id.eq(follow_id),
            state.eq(new_state),
            updated_at.eq(t),
        ))
        .returning(DbFollow::as_returning())
        .get_result(c))?)
}

pub fn get(conn: &mut Conn, actor: i64, dir: Direction) -> Result<Option<DbFollow>> {
    Ok(follows
        .filter(actor_id.eq(actor).and(direction.eq(dir)))
        .select(DbFollow::as_select())
        .first(conn)
        .optional()?)
}

pub fn set_state(
    conn: &mut Conn,
    actor: i64,
    dir: Direction,
    new_state: FollowState,
) -> Result<bool> {
    let n = diesel::update(follows.filter(actor_id.eq(actor).and(direction.eq(dir))))
        .set((state.eq(new_state), updated_at.eq(now())))
        .execute(conn)?;
    Ok(n > 0)
}

pub fn remove(conn: &mut Conn, actor: i64, dir: Direction) -> Result<bool> {
    let n =
        diesel::delete(follows.filter(actor_id.eq(actor).and(direction.eq(dir)))).execute(conn)?;
    Ok(n > 0)
}

/// Follows in one direction and state with their actors, oldest first, paged.
pub fn list(
    conn: &mut Conn,
    dir: Direction,
    in_state: FollowState,
    offset: i64,
    limit: i64,
) -> Result<Vec<(DbFollow, DbActor)>> {
    Ok(follows
        .inner_join(actors::table)
        .filter(direction.eq(dir).and(state.eq(in_state)))
        .order(id.asc())
        .offset(offset)
        .limit(limit)
        .select((DbFollow::as_select(), DbActor::as_select()))
        .load(conn)?)
}

pub fn count(conn: &mut Conn, dir: Direction, in_state: FollowState) -> Result<i64> {
    Ok(follows
        .filter(direction.eq(dir).and(state.eq(in_state)))
        .count()
        .get_result(conn)?)
}

/// The distinct inboxes that reach every accepted follower: one per shared inbox, the
/// personal inbox where an actor has none.
pub fn follower_inboxes(conn: &mut Conn) -> Result<Vec<String>> {
    let rows: Vec<(String, Option<String>)> = follows
        .inner_join(actors::table)
        .filter(
            direction
                .eq(Direction::Incoming)
                .and(state.eq(FollowState::Accepted)),
        )
        .select((actors::inbox, actors::shared_inbox))
        .load(conn)?;
    let mut inboxes: Vec<String> = rows
        .into_iter()
        .map(|(personal, shared)| shared.unwrap_or(personal))
        .collect();
    inboxes.sort();
    inboxes.dedup();
    Ok(inboxes)
}

/// A page of the follows in `dir` and `in_state`, paged by follow id, with their actors.
pub fn page(
    conn: &mut Conn,
    dir: Direction,
    in_state: FollowState,
    page: crate::db::paging::Page,
) -> Result<Vec<(i64, DbActor)>> {
    let q = follows
        .filter(direction.eq(dir).and(state.eq(in_state)))
        .into_boxed();
    let rows = crate::paged!(q, id, page)
        .inner_join(actors::table)
        .select((id, DbActor::as_select()))
        .load(conn)?;
    Ok(page.finish(rows))
}
