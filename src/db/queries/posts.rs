//! The one read model of a page of posts: each with its hashtags, media, mentioned accounts,
//! counts (likes, boosts, the answers anyone may read), whether the author liked or boosted
//! it, and what it answers, loaded in a fixed number of queries whatever the page's size. The
//! web pages and feeds, the Mastodon API's statuses and the ActivityPub objects read it.

use crate::db::{
    models::*,
    queries::visibility::{readable_by, Viewer},
    schema::{actors, hashtags, media, mentions, objects, reactions},
    Conn,
};
use crate::error::Result;
use diesel::{dsl::count_star, prelude::*};
use std::collections::HashMap;

/// A post with what every surface shows besides the post itself.
#[derive(Debug, Clone)]
pub struct Post {
    pub post: DbObject,
    /// Lower-cased, without `#`, in name order.
    pub hashtags: Vec<String>,
    /// Attachments in `position` order.
    pub media: Vec<DbMedia>,
    /// The accounts it mentions.
    pub mentioned: Vec<DbActor>,
    pub likes: i64,
    pub boosts: i64,
    /// Answers to it that anyone may read (the count the web page and the apps show).
    pub replies: i64,
    /// Whether the author liked or boosted it.
    pub liked: bool,
    pub boosted: bool,
    /// What it answers, when perch has that: its id and its author's.
    pub parent: Option<(i64, i64)>,
}

/// `posts` with what they show, in their order; `me` is the author's actor, for `liked` and
/// `boosted` (`None`: false, as for a reader who is not the author).
pub fn load(c: &mut Conn, posts: Vec<DbObject>, me: Option<i64>) -> Result<Vec<Post>> {
    let ids: Vec<i64> = posts.iter().map(|p| p.id).collect();
    let mut tags: HashMap<i64, Vec<String>> = HashMap::new();
    for (object, name) in hashtags::table
        .filter(hashtags::object_id.eq_any(&ids))
        .order((hashtags::object_id.asc(), hashtags::name.asc()))
        .select((hashtags::object_id, hashtags::name))
        .load::<(i64, String)>(c)?
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
        .load(c)?
    {
        if let Some(object) = m.object_id {
            files.entry(object).or_default().push(m);
        }
    }
    let mut mentioned: HashMap<i64, Vec<DbActor>> = HashMap::new();
    for (object, actor) in mentions::table
        .inner_join(actors::table)
        .filter(mentions::object_id.eq_any(&ids))
        .order((mentions::object_id.asc(), actors::id.asc()))
        .select((mentions::object_id, DbActor::as_select()))
        .load::<(i64, DbActor)>(c)?
    {
        mentioned.entry(object).or_default().push(actor);
    }
    // Counted by the database: a post with thousands of likes is one row here, not thousands.
    let counts: HashMap<(i64, String), i64> = reactions::table
        .filter(reactions::object_id.eq_any(&ids))
        .group_by((reactions::object_id, reactions::kind))
        .select((reactions::object_id, reactions::kind, count_star()))
        .load::<(i64, String, i64)>(c)?
        .into_iter()
        .map(|(object, kind, n)| ((object, kind), n))
        .collect();
    let mine: Vec<(i64, String)> = match me {
        Some(me) => reactions::table
            .filter(reactions::object_id.eq_any(&ids))
            .filter(reactions::actor_id.eq(me))
            .select((reactions::object_id, reactions::kind))
            .load(c)?,
        None => Vec::new(),
    };
    let replies: HashMap<i64, i64> = objects::table
        .filter(objects::parent_id.eq_any(&ids))
        .filter(readable_by(Viewer::Anonymous))
        .group_by(objects::parent_id)
        .select((objects::parent_id, count_star()))
        .load::<(Option<i64>, i64)>(c)?
        .into_iter()
        .filter_map(|(parent, n)| Some((parent?, n)))
        .collect();
    let parents = parents(c, &posts)?;
    Ok(posts
        .into_iter()
        .map(|post| {
            let id = post.id;
            let count = |kind: &str| counts.get(&(id, kind.to_owned())).copied().unwrap_or(0);
            let did = |kind: &str| mine.iter().any(|(o, k)| *o == id && k == kind);
            Post {
                hashtags: tags.remove(&id).unwrap_or_default(),
                media: files.remove(&id).unwrap_or_default(),
                mentioned: mentioned.remove(&id).unwrap_or_default(),
                likes: count(LIKE),
                boosts: count(ANNOUNCE),
                replies: replies.get(&id).copied().unwrap_or(0),
                liked: did(LIKE),
                boosted: did(ANNOUNCE),
                parent: match (post.parent_id, &post.in_reply_to) {
                    (Some(p), _) => parents.by_id.get(&p).copied(),
                    (None, Some(ap_id)) => parents.by_ap_id.get(ap_id).copied(),
                    (None, None) => None,
                },
                post,
            }
        })
        .collect())
}

/// One post with what it shows ([`load`] of one).
pub fn one(c: &mut Conn, post: DbObject, me: Option<i64>) -> Result<Post> {
    load(c, vec![post], me)?
        .pop()
        .ok_or_else(|| crate::error::Error::internal("a loaded post went missing"))
}

/// The posts answered, by id (comments in a thread) and by ActivityPub id (the rest).
struct Parents {
    by_id: HashMap<i64, (i64, i64)>,
    by_ap_id: HashMap<String, (i64, i64)>,
}

fn parents(c: &mut Conn, posts: &[DbObject]) -> Result<Parents> {
    let ids: Vec<i64> = posts.iter().filter_map(|p| p.parent_id).collect();
    let ap_ids: Vec<&str> = posts
        .iter()
        .filter(|p| p.parent_id.is_none())
        .filter_map(|p| p.in_reply_to.as_deref())
        .collect();
    let by_id = if ids.is_empty() {
        HashMap::new()
    } else {
        objects::table
            .filter(objects::id.eq_any(&ids))
            .select((objects::id, objects::actor_id))
            .load::<(i64, i64)>(c)?
            .into_iter()
            .map(|(id, actor)| (id, (id, actor)))
            .collect()
    };
    let by_ap_id = if ap_ids.is_empty() {
        HashMap::new()
    } else {
        objects::table
            .filter(objects::ap_id.eq_any(&ap_ids))
            .select((objects::ap_id, objects::id, objects::actor_id))
            .load::<(String, i64, i64)>(c)?
            .into_iter()
            .map(|(ap_id, id, actor)| (ap_id, (id, actor)))
            .collect()
    };
    Ok(Parents { by_id, by_ap_id })
}
