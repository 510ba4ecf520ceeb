//! Publishing: what the author wrote becomes a post, its `Create`, and a delivery row per
//! inbox (followers, and the actors it mentions), all in one transaction.

use crate::{
    apub::send,
    db::{
        self,
        models::*,
        queries::{follows, idempotency, media, objects},
        Conn,
    },
    delivery,
    domain::{Urls, Visibility},
    error::{Error, Result},
    services::{
        compose::{self, Composed, Source},
        reply,
    },
    state::{AppState, Data},
};
use chrono::{DateTime, Utc};

/// A post to publish.
#[derive(Debug, Clone)]
pub struct NewPost {
    pub source: Source,
    pub visibility: Visibility,
    /// Mastodon's content warning (`summary` on the wire) for notes.
    pub content_warning: Option<String>,
    pub sensitive: bool,
    /// When it was first published elsewhere (imports); now if `None`.
    pub published: Option<DateTime<Utc>>,
    /// Where it came from (imports), so that importing again finds it.
    pub source_key: Option<String>,
    /// Send it to followers now (`false` for imports: they go to the outbox only).
    pub deliver: bool,
    /// The post or comment this answers (its URL or, for our own posts, its id).
    pub in_reply_to: Option<String>,
    /// Uploaded media (`services::media::upload`) to attach, in this order.
    pub media_ids: Vec<i64>,
    /// The language it is written in (ISO 639), if the author said.
    pub language: Option<String>,
    /// An app's `Idempotency-Key`, remembered with the post in its transaction.
    pub idempotency_key: Option<String>,
}

impl NewPost {
    pub fn note(text: &str, visibility: Visibility) -> NewPost {
        NewPost::from(
            Source::Note {
                text: text.to_owned(),
                markdown: false,
            },
            visibility,
        )
    }

    pub fn article(markdown: &str, visibility: Visibility) -> NewPost {
        NewPost::from(
            Source::Article {
                markdown: markdown.to_owned(),
            },
            visibility,
        )
    }

    /// A post of `source` with the defaults: delivered now, dated now, nothing attached.
    pub(crate) fn from(source: Source, visibility: Visibility) -> NewPost {
        NewPost {
            source,
            visibility,
            content_warning: None,
            sensitive: false,
            published: None,
            source_key: None,
            deliver: true,
            in_reply_to: None,
            media_ids: Vec::new(),
            language: None,
            idempotency_key: None,
        }
    }
}

/// What was published, and the Create that carries it.
#[derive(Debug)]
pub struct Published {
    pub post: DbObject,
    pub activity: DbActivity,
}

/// Publishes a note of plain text (paragraphs, links, hashtags and mentions).
pub async fn note(data: &Data, text: &str, visibility: Visibility) -> Result<Published> {
    publish(data, NewPost::note(text, visibility)).await
}

/// Publishes an article from Markdown (front matter or a `# Title` heading for its title).
pub async fn article(data: &Data, markdown: &str, visibility: Visibility) -> Result<Published> {
    publish(data, NewPost::article(markdown, visibility)).await
}

pub async fn publish(data: &Data, new: NewPost) -> Result<Published> {
    let mut composed = compose::compose(data, &new.source).await?;
    let parent = match &new.in_reply_to {
        Some(target) => Some(reply::parent(data, target, &mut composed).await?),
        None => None,
    };
    let state = data.app_data().clone();
    let published = data
        .db
        .run_write(move |c| store(c, &state, &new, composed, parent.as_ref()))
        .await?;
    if !published.1.is_empty() {
        data.queue.wake();
    }
    Ok(published.0)
}

/// Inserts the post with its hashtags and mentions, and its Create with a delivery per inbox
/// (none unless `new.deliver`), in the caller's transaction. Returns the inboxes queued.
pub(crate) fn store(
    c: &mut Conn,
    state: &AppState,
    new: &NewPost,
    composed: Composed,
    parent: Option<&reply::Parent>,
) -> Result<(Published, Vec<String>)> {
    let public_id = Urls::new_public_id();
    let ap_id = state.urls.post(&public_id).to_string();
    let now = db::now();
    let slug = match &composed.slug {
        Some(s) => Some(free_slug(c, s)?),
        None => None,
    };
    let post = objects::insert(
        c,
        &NewObject {
            ap_id: ap_id.clone(),
            public_id: Some(public_id),
            local: true,
            kind: composed.kind.to_owned(),
            actor_id: state.local.actor.id,
            name: composed.name,
            summary: match composed.kind {
                "Note" => new.content_warning.clone().filter(|w| !w.trim().is_empty()),
                _ => composed.summary,
            },
            content: composed.content,
            source: Some(new.source.text().to_owned()),
            url: Some(ap_id),
            in_reply_to: parent.map(|p| p.ap_id.clone()),
            thread_root_id: parent.and_then(|p| p.placement).map(|p| p.root),
            parent_id: parent.and_then(|p| p.placement).map(|p| p.parent),
            visibility: new.visibility.as_str().to_owned(),
            sensitive: new.sensitive || new.content_warning.is_some(),
            published: new
                .published
                .or(composed.date)
                .map(|d| d.naive_utc())
                .unwrap_or(now),
            updated: None,
            created_at: now,
            slug,
            tags: composed.tags.to_string(),
            source_key: new.source_key.clone(),
            language: new.language.clone(),
            ..Default::default()
        },
    )?;
    objects::set_hashtags(c, post.id, &composed.hashtags)?;
    objects::set_mentions(
        c,
        post.id,
        &composed.mentions.iter().map(|a| a.id).collect::<Vec<_>>(),
    )?;
    media::attach(c, &new.media_ids, post.id)?;
    if let Some(key) = &new.idempotency_key {
        idempotency::remember(c, key, post.id)?;
    }
    let post = crate::db::queries::posts::one(c, post, None)?;
    let create = send::create(state, &post)?;
    let post = post.post;
    let inboxes = if new.deliver {
        audience_inboxes(c, new.visibility, &composed.mentions)?
    } else {
        Vec::new()
    };
    let activity = delivery::enqueue(c, &create, &inboxes)?;
    Ok((Published { post, activity }, inboxes))
}

/// The inboxes a post of `visibility` goes to: the followers' (unless direct) and those of
/// the remote actors it mentions.
pub fn audience_inboxes(
    c: &mut Conn,
    visibility: Visibility,
    mentions: &[DbActor],
) -> Result<Vec<String>> {
    let mut inboxes = match visibility {
        Visibility::Direct => Vec::new(),
        _ => follows::follower_inboxes(c)?,
    };
    for actor in mentions.iter().filter(|a| !a.local) {
        let inbox = match visibility {
            Visibility::Direct => actor.inbox.clone(),
            _ => actor.delivery_inbox().to_owned(),
        };
        if !inboxes.contains(&inbox) {
            inboxes.push(inbox);
        }
    }
    Ok(inboxes)
}

/// `slug`, or `slug-2`, `slug-3`… whichever no other post has.
fn free_slug(c: &mut Conn, slug: &str) -> Result<String> {
    for n in 1..1000 {
        let candidate = if n == 1 {
            slug.to_owned()
        } else {
            format!("{slug}-{n}")
        };
        if objects::by_slug(c, &candidate)?.is_none() {
            return Ok(candidate);
        }
    }
    Err(Error::Unprocessable(format!(
        "too many posts with the slug `{slug}`"
    )))
}
