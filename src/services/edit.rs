//! Changing what was published: an edit keeps the previous version and sends `Update` to the
//! post's audience; a delete empties the post (its URL then answers 410 with a Tombstone) and
//! sends `Delete`.

use crate::{
    apub::send,
    db::{
        self,
        models::*,
        queries::{activities, objects, objects::PostEdit},
    },
    delivery,
    domain::Visibility,
    error::{Error, Result},
    services::{
        compose::{self, Source},
        publish::audience_inboxes,
        reply,
    },
    state::Data,
};

/// Finds a live local post by public id, URL or slug.
pub async fn find(data: &Data, name: &str) -> Result<DbObject> {
    let name = name.to_owned();
    data.db
        .run(move |c| objects::find_local(c, &name))
        .await?
        .filter(|p| !p.is_deleted())
        .ok_or(Error::NotFound)
}

/// What an edit changes besides the text: `None` keeps what the post has.
#[derive(Debug, Clone, Default)]
pub struct Extras {
    /// A note's content warning (`Some(None)` removes it).
    pub content_warning: Option<Option<String>>,
    pub sensitive: Option<bool>,
}

/// Replaces a post's text (a note's plain text, or an article's Markdown) and sends `Update`.
pub async fn edit(data: &Data, name: &str, text: &str, markdown: bool) -> Result<DbObject> {
    edit_with(data, name, text, markdown, Extras::default()).await
}

/// [`edit`], also changing the content warning or the sensitive flag.
pub async fn edit_with(
    data: &Data,
    name: &str,
    text: &str,
    markdown: bool,
    extras: Extras,
) -> Result<DbObject> {
    let post = find(data, name).await?;
    let source = match post.kind.as_str() {
        "Article" => Source::Article {
            markdown: text.to_owned(),
        },
        _ => Source::Note {
            text: text.to_owned(),
            markdown,
        },
    };
    let mut composed = compose::compose(data, &source).await?;
    if let Some(parent) = &post.in_reply_to {
        // A reply keeps addressing the people of its conversation.
        reply::parent(data, parent, &mut composed).await?;
    }
    let state = data.app_data().clone();
    let visibility = Visibility::parse(&post.visibility).unwrap_or(Visibility::Direct);
    let updated = data
        .db
        .run_write(move |c| {
            let before = objects::mentioned_actors(c, post.id)?;
            let change = PostEdit {
                name: composed.name,
                summary: match post.kind.as_str() {
                    "Article" => composed.summary,
                    _ => extras
                        .content_warning
                        .clone()
                        .unwrap_or_else(|| post.summary.clone()),
                },
                content: composed.content,
                source: Some(source.text().to_owned()),
                tags: composed.tags.to_string(),
                sensitive: extras.sensitive.unwrap_or(post.sensitive),
                updated: Some(db::now()),
            };
            let updated = objects::edit(c, &post, &change)?;
            objects::set_hashtags(c, post.id, &composed.hashtags)?;
            let ids: Vec<i64> = composed.mentions.iter().map(|a| a.id).collect();
            objects::set_mentions(c, post.id, &ids)?;
            // Those mentioned before hear of the edit too.
            let mut reach = composed.mentions;
            reach.extend(before.into_iter().filter(|b| !ids.contains(&b.id)));
            let inboxes = audience_inboxes(c, visibility, &reach)?;
            let updated = crate::db::queries::posts::one(c, updated, None)?;
            let activity = send::update(&state, &updated)?;
            let updated = updated.post;
            delivery::enqueue(c, &activity, &inboxes)?;
            Ok(updated)
        })
        .await?;
    data.queue.wake();
    Ok(updated)
}

/// Deletes a post: 410 with a Tombstone from now on, and `Delete` to its audience.
pub async fn delete(data: &Data, name: &str) -> Result<DbObject> {
    let post = find(data, name).await?;
    let state = data.app_data().clone();
    let visibility = Visibility::parse(&post.visibility).unwrap_or(Visibility::Direct);
    let deleted = data
        .db
        .run_write(move |c| {
            let mentioned = objects::mentioned_actors(c, post.id)?;
            let inboxes = audience_inboxes(c, visibility, &mentioned)?;
            let activity = send::delete(&state, &post);
            objects::mark_deleted(c, post.id)?;
            activities::withdraw_for_object(c, &post.ap_id)?;
            delivery::enqueue(c, &activity, &inboxes)?;
            Ok(post)
        })
        .await?;
    data.queue.wake();
    Ok(deleted)
}
