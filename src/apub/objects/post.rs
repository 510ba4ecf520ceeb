//! Posts (notes and articles) as `Note`/`Article` objects, and remote ones into rows.

use crate::{
    apub::{protocol::Note, urls},
    config::ArticlesAs,
    db::{self, models::*, queries::posts::Post},
    domain::{text::escape, Visibility, PUBLIC},
    error::{Error, Result},
    state::AppState,
};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use url::Url;

/// Who a post is addressed to, as Mastodon addresses it: the public collection, the
/// followers collection and the mentioned actors, by visibility.
pub fn audience(
    state: &AppState,
    visibility: Visibility,
    mentioned: &[Url],
) -> (Vec<Url>, Vec<Url>) {
    let public = Url::parse(PUBLIC).ok();
    let followers = state.urls.followers();
    let mut to = Vec::new();
    let mut cc = Vec::new();
    match visibility {
        Visibility::Public => {
            to.extend(public);
            cc.push(followers);
            cc.extend_from_slice(mentioned);
        }
        Visibility::Unlisted => {
            to.push(followers);
            cc.extend(public);
            cc.extend_from_slice(mentioned);
        }
        Visibility::Private => {
            to.push(followers);
            cc.extend_from_slice(mentioned);
        }
        Visibility::Direct => to.extend_from_slice(mentioned),
    }
    (to, cc)
}

/// The actor ids in a stored `tag` array's Mention objects.
pub fn mentioned(post: &DbObject) -> Vec<Url> {
    serde_json::from_str::<Value>(&post.tags)
        .ok()
        .and_then(|v| v.as_array().cloned())
        .unwrap_or_default()
        .iter()
        .filter(|t| t["type"] == "Mention")
        .filter_map(|t| t["href"].as_str().and_then(|h| Url::parse(h).ok()))
        .collect()
}

/// A local post (read through [`posts::load`](crate::db::queries::posts::load)) as the object
/// we serve and send, with its attachments in their order.
pub fn to_note(state: &AppState, loaded: &Post) -> Result<Note> {
    let post = &loaded.post;
    let attachment = loaded
        .media
        .iter()
        .map(|m| crate::media::to_attachment(&state.urls, m))
        .collect();
    let visibility = Visibility::parse(&post.visibility).unwrap_or(Visibility::Direct);
    let (to, cc) = audience(state, visibility, &mentioned(post));
    let id = Url::parse(&post.ap_id).map_err(Error::internal)?;
    let url = post
        .url
        .as_deref()
        .and_then(|u| Url::parse(u).ok())
        .unwrap_or_else(|| id.clone());
    let tag: Vec<Value> = serde_json::from_str(&post.tags).unwrap_or_default();
    let mut note = Note {
        kind: post.kind.clone(),
        id,
        attributed_to: vec![state.urls.actor()],
        name: post.name.clone(),
        summary: post.summary.clone(),
        content: post.content.clone(),
        url: Some(url.clone()),
        in_reply_to: post
            .in_reply_to
            .as_deref()
            .and_then(|u| Url::parse(u).ok())
            .into_iter()
            .collect(),
        published: Some(post.published.and_utc()),
        updated: post.updated.map(|u| u.and_utc()),
        content_map: None,
        to,
        cc,
        sensitive: Some(post.sensitive),
        tag,
        attachment,
        one_of: Vec::new(),
        any_of: Vec::new(),
        voters_count: None,
        end_time: None,
    };
    if let Some(lang) = &post.language {
        // Mastodon reads a post's language from `contentMap`.
        note.content_map = Some([(lang.clone(), note.content.clone())].into());
    }
    if post.kind == "Article" && state.settings.publishing.articles_as == ArticlesAs::Note {
        // A teaser for servers that show only Notes: title, summary, link.
        let title = post.name.as_deref().unwrap_or_default();
        let mut content = format!("<p><strong>{}</strong></p>", escape(title));
        if let Some(summary) = &post.summary {
            content.push_str(&format!("<p>{}</p>", escape(summary)));
        }
        content.push_str(&format!(
            "<p><a href=\"{0}\">{0}</a></p>",
            escape(url.as_str())
        ));
        note.kind = "Note".into();
        note.name = None;
        note.summary = None;
        note.content_map = note
            .content_map
            .map(|m| m.into_keys().map(|k| (k, content.clone())).collect());
        note.content = content;
    }
    Ok(note)
}

/// How a received object was addressed, in Mastodon's terms.
pub fn visibility_of(note: &Note, followers_url: Option<&str>) -> Visibility {
    let is_public = |u: &Url| {
        let s = u.as_str();
        s == PUBLIC || s == "as:Public" || s == "Public"
    };
    if note.to.iter().any(is_public) {
        Visibility::Public
    } else if note.cc.iter().any(is_public) {
        Visibility::Unlisted
    } else if followers_url.is_some_and(|f| note.to.iter().chain(&note.cc).any(|u| u.as_str() == f))
    {
        Visibility::Private
    } else {
        Visibility::Direct
    }
}

/// The row for a remote post by `author`, its URLs checked ([`urls::check`]): its `url`
/// is kept as its own only on its server, tags keep only `http(s)` links.
fn remote_row(note: &Note, author: &DbActor) -> NewObject {
    let now = db::now();
    NewObject {
        ap_id: note.id.to_string(),
        public_id: None,
        local: false,
        kind: note.kind.clone(),
        actor_id: author.id,
        name: note.name.clone(),
        summary: note.summary.clone(),
        content: note.body(),
        source: None,
        url: urls::web(note.url.as_ref(), &note.id).0,
        in_reply_to: note.in_reply_to.first().map(|u| u.to_string()),
        visibility: visibility_of(note, author.followers_url.as_deref())
            .as_str()
            .to_owned(),
        sensitive: note.sensitive.unwrap_or(false),
        published: note.published.map(|p| p.naive_utc()).unwrap_or(now),
        updated: note.updated.map(|u| u.naive_utc()),
        created_at: now,
        slug: None,
        tags: checked_tags(&note.tag, &note.id),
        source_key: None,
        extras: Extras::of(note).to_json(),
        ..Default::default()
    }
}

/// A remote `tag` list as perch keeps it, JSON: objects only, with their `type`, `name` and
/// `id`, an `href` that is `http(s)` (a hashtag's only on the object's server; a mention's
/// names an actor on any server) and an emoji's `icon` picture.
pub fn checked_tags(tags: &[Value], owner: &Url) -> String {
    let kept: Vec<Value> = tags
        .iter()
        .filter_map(Value::as_object)
        .take(100)
        .map(|t| {
            let mut out = serde_json::Map::new();
            for k in ["type", "name"] {
                if let Some(v) = t.get(k).filter(|v| v.is_string()) {
                    out.insert(k.into(), v.clone());
                }
            }
            let mention = t.get("type").and_then(Value::as_str) == Some("Mention");
            let href = t.get("href").and_then(Value::as_str);
            if let Some(link) = href.and_then(|h| urls::check(h, owner)) {
                let keep = if mention {
                    Some(link.any())
                } else {
                    link.own()
                };
                if let Some(u) = keep {
                    out.insert("href".into(), u.to_string().into());
                }
            }
            if let Some(id) = t.get("id").and_then(Value::as_str) {
                if let Some(link) = urls::check(id, owner) {
                    out.insert("id".into(), link.any().to_string().into());
                }
            }
            let icon = t
                .get("icon")
                .map(|i| crate::apub::protocol::lenient::hrefs(i, 0));
            if let Some((h, _)) = icon.and_then(|i| i.into_iter().next()) {
                if let Some(u) = urls::media(&h, owner) {
                    out.insert(
                        "icon".into(),
                        serde_json::json!({"type": "Image", "url": u}),
                    );
                }
            }
            Value::Object(out)
        })
        .collect();
    serde_json::to_string(&kept).unwrap_or_else(|_| "[]".into())
}

/// What perch keeps of a remote object beyond its columns (`objects.extras`).
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct Extras {
    /// Its `url` when that is on another server: shown as a link, never looked up by.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub link: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub poll: Option<Poll>,
}

impl Extras {
    /// A received object's extras: its `url` on another server, its poll.
    pub fn of(note: &Note) -> Extras {
        Extras {
            link: urls::web(note.url.as_ref(), &note.id).1,
            poll: Poll::of(note),
        }
    }
    pub fn read(object: &DbObject) -> Extras {
        object
            .extras
            .as_deref()
            .and_then(|e| serde_json::from_str(e).ok())
            .unwrap_or_default()
    }
    pub fn to_json(&self) -> Option<String> {
        (self.link.is_some() || self.poll.is_some())
            .then(|| serde_json::to_string(self).ok())
            .flatten()
    }
}

/// A `Question`'s options with their votes (`replies.totalItems`).
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Poll {
    pub multiple: bool,
    pub options: Vec<PollOption>,
    #[serde(default)]
    pub voters: Option<i64>,
    #[serde(default)]
    pub end_time: Option<chrono::DateTime<chrono::Utc>>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct PollOption {
    pub name: String,
    pub votes: i64,
}

impl Poll {
    /// The poll of a `Question` (`anyOf`: several choices, `oneOf`: one), at most 20 options.
    pub fn of(note: &Note) -> Option<Poll> {
        let (multiple, options) = match (&note.any_of[..], &note.one_of[..]) {
            ([], []) => return None,
            ([], one) => (false, one),
            (any, _) => (true, any),
        };
        let options: Vec<PollOption> = options
            .iter()
            .filter_map(|o| {
                let name = o.get("name")?.as_str()?.chars().take(200).collect();
                let votes = o["replies"]["totalItems"].as_i64().unwrap_or(0).max(0);
                Some(PollOption { name, votes })
            })
            .take(20)
            .collect();
        (!options.is_empty()).then_some(Poll {
            multiple,
            options,
            voters: note.voters_count.filter(|v| *v >= 0),
            end_time: note.end_time,
        })
    }
}

/// [`remote_row`] with its HTML cleaned and its language read: what perch stores of a post
/// received or fetched from another server.
pub fn clean_row(note: &Note, author: &DbActor) -> NewObject {
    let mut row = remote_row(note, author);
    row.content = crate::apub::sanitize::clean(&row.content);
    row.summary = note.summary.as_deref().map(crate::apub::sanitize::clean);
    row.language = note.language();
    row
}
