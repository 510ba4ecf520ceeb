//! Blocked actors and domains. Blocking also hides what they already commented.

use crate::db::{models::*, now, schema, schema::blocks::dsl::*, Conn};
use crate::error::Result;
use diesel::prelude::*;

/// Whether an actor (by id) or its domain is blocked.
pub fn is_blocked(conn: &mut Conn, actor: &str, host: &str) -> Result<bool> {
    let n: i64 = blocks
        .filter(
            actor_ap_id
                .eq(actor)
                .or(domain.eq(host.to_ascii_lowercase())),
        )
        .count()
        .get_result(conn)?;
    Ok(n > 0)
}

/// Blocks an actor, and hides their comments. `false` if already blocked.
pub fn block_actor(conn: &mut Conn, actor: &DbActor) -> Result<bool> {
    let n = diesel::insert_into(blocks)
        .values((actor_ap_id.eq(&actor.ap_id), created_at.eq(now())))
        .on_conflict_do_nothing()
        .execute(conn)?;
    hide_comments_of(conn, &[actor.id])?;
    drop_follows_of(conn, &[actor.id])?;
    Ok(n > 0)
}

/// Blocks a whole domain, and hides the comments of its actors. `false` if already blocked.
pub fn block_domain(conn: &mut Conn, host: &str) -> Result<bool> {
    let host = host.to_ascii_lowercase();
    let n = diesel::insert_into(blocks)
        .values((domain.eq(&host), created_at.eq(now())))
        .on_conflict_do_nothing()
        .execute(conn)?;
    let ids: Vec<i64> = schema::actors::table
        .filter(schema::actors::domain.eq(&host))
        .select(schema::actors::id)
        .load(conn)?;
    hide_comments_of(conn, &ids)?;
    drop_follows_of(conn, &ids)?;
    Ok(n > 0)
}

/// Lifts a block on an actor id or a domain. Hidden comments stay hidden.
pub fn unblock(conn: &mut Conn, actor_or_domain: &str) -> Result<bool> {
    let n = diesel::delete(
        blocks.filter(
            actor_ap_id
                .eq(actor_or_domain)
                .or(domain.eq(actor_or_domain.to_ascii_lowercase())),
        ),
    )
    .execute(conn)?;
    Ok(n > 0)
}

pub fn list(conn: &mut Conn) -> Result<Vec<DbBlock>> {
    Ok(blocks
        .order(id.asc())
        .select(DbBlock::as_select())
        .load(conn)?)
}

/// A blocked actor stops following the author (and being sent the author's posts).
fn drop_follows_of(conn: &mut Conn, actor_ids: &[i64]) -> Result<()> {
    use schema::follows::dsl as f;
    diesel::delete(f::follows.filter(f::actor_id.eq_any(actor_ids).and(f::direction.eq(INCOMING))))
        .execute(conn)?;
    Ok(())
}

fn hide_comments_of(conn: &mut Conn, actor_ids: &[i64]) -> Result<()> {
    use schema::objects::dsl as o;
    diesel::update(
        o::objects.filter(
            o::actor_id
                .eq_any(actor_ids)
                .and(o::thread_root_id.is_not_null()),
        ),
    )
    .set(o::moderation.eq(Some(HIDDEN)))
    .execute(conn)?;
    Ok(())
}
