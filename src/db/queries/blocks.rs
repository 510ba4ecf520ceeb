//! Blocked actors and domains. Blocking also hides what they already commented.

use crate::db::{models::*, now, schema, schema::blocks::dsl::*, Conn};
use crate::domain::visibility::Moderation;
use crate::error::Result;
use diesel::prelude::*;

/// Whether an actor (by id) or its domain is blocked. A blocked domain covers its
/// subdomains: a block of `evil.test` refuses `a.evil.test`.
pub fn is_blocked(conn: &mut Conn, actor: &str, host: &str) -> Result<bool> {
    let by_id: i64 = blocks
        .filter(actor_ap_id.eq(actor))
        .count()
        .get_result(conn)?;
    if by_id > 0 {
        return Ok(true);
    }
    let domains: Vec<String> = blocks
        .filter(domain.is_not_null())
        .select(domain.assume_not_null())
        .load(conn)?;
    Ok(domains.iter().any(|d| covers(d, host)))
}

/// Whether a block of `blocked` (host or host:port) covers `host` (host or host:port): the
/// same host or a subdomain of it, on any port unless the block names one.
pub fn covers(blocked: &str, host: &str) -> bool {
    fn split(h: &str) -> (String, Option<&str>) {
        let h = h.trim();
        let (name, port) = match h.rsplit_once(':') {
            // An IPv6 literal without a port has colons but ends with `]`.
            Some((n, p))
                if !p.is_empty()
                    && p.chars().all(|c| c.is_ascii_digit())
                    && !n.ends_with(':')
                    && (n.starts_with('[') == n.ends_with(']')) =>
            {
                (n, Some(p))
            }
            _ => (h, None),
        };
        (name.trim_end_matches('.').to_ascii_lowercase(), port)
    }
    let (block_name, block_port) = split(blocked);
    let (name, port) = split(host);
    if block_name.is_empty() || block_port.is_some_and(|p| Some(p) != port) {
        return false;
    }
    name == block_name || name.ends_with(&format!(".{block_name}"))
}

/// Blocks an actor, and hides their comments. `false` if already blocked.
pub fn block_actor(conn: &mut Conn, actor: &DbActor) -> Result<bool> {
    let n = crate::db::native!(conn, |c| diesel::insert_into(blocks)
        .values((actor_ap_id.eq(&actor.ap_id), created_at.eq(now())))
        .on_conflict_do_nothing()
        .execute(c))?;
    hide_comments_of(conn, &[actor.id])?;
    drop_follows_of(conn, &[actor.id])?;
    Ok(n > 0)
}

/// Blocks a whole domain and its subdomains, and hides the comments of their actors. `false` if already blocked.
pub fn block_domain(conn: &mut Conn, host: &str) -> Result<bool> {
    let host = host.to_ascii_lowercase();
    let n = crate::db::native!(conn, |c| diesel::insert_into(blocks)
        .values((domain.eq(&host), created_at.eq(now())))
        .on_conflict_do_nothing()
        .execute(c))?;
    let ids: Vec<i64> = schema::actors::table
        .select((schema::actors::id, schema::actors::domain))
        .load::<(i64, String)>(conn)?
        .into_iter()
        .filter(|(_, d)| covers(&host, d))
        .map(|(i, _)| i)
        .collect();
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
    diesel::delete(
        f::follows.filter(
            f::actor_id
                .eq_any(actor_ids)
                .and(f::direction.eq(Direction::Incoming)),
        ),
    )
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
    .set(o::moderation.eq(Some(Moderation::Hidden.as_str())))
    .execute(conn)?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::covers;

    #[test]
    fn a_block_of_evil_test_covers_its_subdomains_and_nothing_else() {
        for host in [
            "evil.test",
            "a.evil.test",
            "b.a.evil.test",
            "A.Evil.Test",
            "a.evil.test:8443",
            "evil.test.",
        ] {
            assert!(covers("evil.test", host), "{host}");
        }
        for host in ["notevil.test", "evil.test.example", "test", "evil.tes", ""] {
            assert!(!covers("evil.test", host), "{host}");
        }
        assert!(covers("localhost:1234", "localhost:1234"));
        assert!(covers("localhost:1234", "a.localhost:1234"));
        assert!(!covers("localhost:1234", "localhost:9999"));
        assert!(covers("localhost", "localhost:9999"));
    }
}
