//! Timelines: pages of posts by id, each filtered by the one visibility rule
//! (`queries::visibility`) before anything else.

use crate::db::{
    models::*,
    paging::Page,
    queries::visibility::{self, Viewer},
    schema::{follows, hashtags, media, objects},
    Conn,
};
use crate::error::Result;
use crate::paged;
use diesel::prelude::*;
use std::collections::HashMap;

/// Which timeline.
#[derive(Debug, Clone)]
pub enum Timeline {
    /// The author's posts and comments, and the posts of the accounts they follow.
    Home,
    /// Public posts, local or (`remote`) those of others perch has, not comments.
    Public { remote: bool, only_media: bool },
    /// Public posts with this hashtag (lowercase).
    Tag(String),
    /// One account's posts, as `viewer` may read them.
    Account {
        actor: i64,
        viewer: Viewer,
        exclude_replies: bool,
        only_media: bool,
    },
}

type Query<'a> = objects::BoxedQuery<'a, crate::db::Backend>;

/// One page of `timeline`, newest first.
pub fn page(c: &mut Conn, timeline: Timeline, page: Page) -> Result<Vec<DbObject>> {
    use objects::dsl as o;
    let q: Query<'_> = match timeline {
        Timeline::Home => {
            let followed = follows::table
                .filter(follows::direction.eq(Direction::Outgoing))
                .filter(follows::state.eq(FollowState::Accepted))
                .select(follows::actor_id);
            readable(Viewer::Author).filter(
                o::local.eq(true).or(o::actor_id
                    .eq_any(followed)
                    .and(o::thread_root_id.is_null())),
            )
        }
        Timeline::Public { remote, only_media } => with_media(
            readable(Viewer::Anonymous)
                .filter(visibility::listed_publicly())
                .filter(o::local.eq(!remote))
                .filter(o::thread_root_id.is_null()),
            only_media,
        ),
        Timeline::Tag(name) => {
            let tagged = hashtags::table
                .filter(hashtags::name.eq(name))
                .select(hashtags::object_id);
            readable(Viewer::Anonymous)
                .filter(visibility::listed_publicly())
                .filter(o::id.eq_any(tagged))
        }
        Timeline::Account {
            actor,
            viewer,
            exclude_replies,
            only_media,
        } => {
            let mut q = readable(viewer).filter(o::actor_id.eq(actor));
            if exclude_replies {
                q = q.filter(o::in_reply_to.is_null());
            }
            with_media(q, only_media)
        }
    };
    // The page's ids first, then their rows: where the filter is an OR of two indexes, SQLite
    // sorts every matching row to find the page, and sorting whole rows (their content, their
    // extras) was a quarter of the home timeline's time.
    let ids: Vec<i64> = paged!(q, o::id, page).select(o::id).load(c)?;
    let mut rows: HashMap<i64, DbObject> = objects::table
        .filter(o::id.eq_any(&ids))
        .select(DbObject::as_select())
        .load(c)?
        .into_iter()
        .map(|r| (r.id, r))
        .collect();
    let rows = ids.iter().filter_map(|id| rows.remove(id)).collect();
    Ok(page.finish(rows))
}

fn readable<'a>(viewer: Viewer) -> Query<'a> {
    objects::table
        .filter(visibility::readable_by(viewer))
        .into_boxed()
}

fn with_media(q: Query<'_>, only_media: bool) -> Query<'_> {
    if only_media {
        q.filter(
            objects::id
                .nullable()
                .eq_any(media::table.select(media::object_id)),
        )
    } else {
        q
    }
}
