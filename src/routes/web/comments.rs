//! The comments under a post, as its page shows them: threaded oldest first, each with its
//! author's name, handle and avatar, a content warning folded behind `<details>`, and
//! attachments as links with their alt text. Held and hidden comments never show; a deleted
//! comment that has answers leaves a placeholder so the thread keeps its shape.

use super::view::{ImageView, Time};
use crate::{
    apub::sanitize,
    db::{
        models::*,
        queries::{actors, objects, posts, reactions, visibility::Reader},
        Conn,
    },
    error::Result,
    state::AppState,
};
use serde::Serialize;
use std::collections::HashMap;

/// Deeper answers are shown at this depth, so narrow screens stay readable.
const MAX_DEPTH: usize = 6;

#[derive(Debug, Clone, Serialize)]
pub struct CommentView {
    pub anchor: String,
    pub url: String,
    pub author_name: String,
    pub author_handle: String,
    pub author_url: String,
    pub avatar: Option<String>,
    /// Written by the author of the site (their answer in the thread).
    pub is_author: bool,
    /// A title (`name`) when the object has one besides its content (articles, videos…).
    pub title: Option<String>,
    /// Its `url` when that is on another server: shown as such, unverified.
    pub link: Option<String>,
    /// A `Question`'s options and votes.
    pub poll: Option<crate::apub::objects::post::Poll>,
    /// Sanitised HTML.
    pub content: String,
    pub warning: Option<String>,
    pub published: Time,
    pub edited: bool,
    pub deleted: bool,
    pub images: Vec<ImageView>,
    pub children: Vec<CommentView>,
}

/// What the post page shows under the post.
#[derive(Debug, Clone, Serialize)]
pub struct Discussion {
    pub comments: Vec<CommentView>,
    pub count: usize,
    pub likes: i64,
    pub boosts: i64,
}

/// Loads the thread under `root` with authors and attachments.
pub fn discussion(c: &mut Conn, state: &AppState, root: i64) -> Result<Discussion> {
    let all = objects::thread(c, root)?;
    let shown: Vec<DbObject> = all
        .into_iter()
        // What anyone may read; a comment its sender deleted stays as a tombstone.
        .filter(|o| o.in_audience(Reader::Anonymous))
        .collect();
    let ids: Vec<i64> = shown.iter().map(|o| o.actor_id).collect();
    let authors: HashMap<i64, DbActor> = actors::by_ids(c, &ids)?
        .into_iter()
        .map(|x| (x.id, x))
        .collect();
    let with_media = posts::load(c, shown, None)?;
    let mut views: HashMap<i64, CommentView> = HashMap::new();
    let mut children: HashMap<i64, Vec<i64>> = HashMap::new();
    for item in &with_media {
        let o = &item.post;
        let Some(author) = authors.get(&o.actor_id) else {
            continue;
        };
        views.insert(o.id, view(state, o, author, &item.media));
        children
            .entry(o.parent_id.unwrap_or(root))
            .or_default()
            .push(o.id);
    }
    let count = views.values().filter(|v| !v.deleted).count();
    let mut comments = build(root, &mut views, &children, 0);
    for c in &mut comments {
        flatten_below(c, 1);
    }
    Ok(Discussion {
        comments,
        count,
        likes: reactions::count(c, root, LIKE)?,
        boosts: reactions::count(c, root, ANNOUNCE)?,
    })
}

/// The answers under `parent`, oldest first; a deleted comment stays only with answers.
fn build(
    parent: i64,
    views: &mut HashMap<i64, CommentView>,
    children: &HashMap<i64, Vec<i64>>,
    depth: usize,
) -> Vec<CommentView> {
    let mut out = Vec::new();
    // Rows are acyclic (a parent exists before its answer), but the depth bound costs nothing.
    if depth > 200 {
        return out;
    }
    for id in children.get(&parent).map(Vec::as_slice).unwrap_or_default() {
        let Some(mut node) = views.remove(id) else {
            continue;
        };
        node.children = build(*id, views, children, depth + 1);
        if !node.deleted || !node.children.is_empty() {
            out.push(node);
        }
    }
    out
}

/// Answers deeper than [`MAX_DEPTH`] are listed at that depth.
fn flatten_below(node: &mut CommentView, depth: usize) {
    if depth + 1 >= MAX_DEPTH {
        let mut flat = Vec::new();
        let mut stack: Vec<CommentView> = std::mem::take(&mut node.children);
        stack.reverse();
        while let Some(mut c) = stack.pop() {
            let mut kids = std::mem::take(&mut c.children);
            flat.push(c);
            kids.reverse();
            stack.extend(kids);
        }
        node.children = flat;
        return;
    }
    for c in &mut node.children {
        flatten_below(c, depth + 1);
    }
}

fn view(state: &AppState, o: &DbObject, author: &DbActor, media: &[DbMedia]) -> CommentView {
    let deleted = o.is_deleted();
    let extras = crate::apub::objects::post::Extras::read(o);
    let plain = crate::domain::text::html_to_plain(&o.content);
    let title = o
        .name
        .as_deref()
        .map(str::trim)
        .filter(|n| !n.is_empty() && !o.local && !deleted && *n != plain.trim())
        .map(str::to_owned);
    CommentView {
        title,
        link: extras.link.filter(|_| !deleted),
        poll: extras.poll.filter(|_| !deleted),
        anchor: format!("comment-{}", o.id),
        url: o.url.clone().unwrap_or_else(|| o.ap_id.clone()),
        author_name: author
            .name
            .clone()
            .filter(|n| !n.trim().is_empty())
            .unwrap_or_else(|| author.username.clone()),
        author_handle: format!("@{}", author.acct()),
        author_url: author.url.clone().unwrap_or_else(|| author.ap_id.clone()),
        avatar: author
            .icon
            .clone()
            .filter(|u| u.starts_with("https://") || u.starts_with("http://")),
        is_author: o.local,
        // Our own HTML is ours; everything else is cleaned again, whatever stored it.
        content: if deleted {
            String::new()
        } else if o.local {
            o.content.clone()
        } else {
            sanitize::clean_shown(&o.content)
        },
        warning: o
            .summary
            .as_deref()
            .map(crate::domain::text::html_to_plain)
            .filter(|s| !s.is_empty()),
        published: Time::new(o.published),
        edited: o.updated.is_some(),
        deleted,
        images: media
            .iter()
            .filter_map(|m| ImageView::of(&state.urls, m))
            .collect(),
        children: Vec::new(),
    }
}
