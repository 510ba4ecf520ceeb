//! Publishing: a note from typed text, an article from Markdown. The post, its `Create` and
//! a delivery row per follower inbox are written in one transaction.

use crate::{
    apub::send,
    db::{
        self,
        models::*,
        queries::{follows, objects},
    },
    delivery,
    domain::{text, Urls, Visibility},
    error::{Error, Result},
    state::AppState,
};
use pulldown_cmark::{html, Event, HeadingLevel, Options, Parser, Tag, TagEnd};

/// The longest note perch accepts, in characters.
pub const NOTE_MAX_CHARS: usize = 5000;

/// What was published, and the Create that carries it.
#[derive(Debug)]
pub struct Published {
    pub post: DbObject,
    pub activity: DbActivity,
}

/// Publishes a note of plain text (paragraphs and line breaks kept).
pub async fn note(state: &AppState, text: &str, visibility: Visibility) -> Result<Published> {
    let text = text.trim();
    if text.is_empty() {
        return Err(Error::Unprocessable("a note needs some text".into()));
    }
    let count = text.chars().count();
    if count > NOTE_MAX_CHARS {
        return Err(Error::Unprocessable(format!(
            "a note may have at most {NOTE_MAX_CHARS} characters; this one has {count}"
        )));
    }
    let draft = Draft {
        kind: "Note",
        name: None,
        summary: None,
        content: text::plain_to_html(text),
        source: text.to_owned(),
        visibility,
    };
    publish(state, draft).await
}

/// Publishes an article from Markdown; its first `# ` heading is the title.
pub async fn article(
    state: &AppState,
    markdown: &str,
    visibility: Visibility,
) -> Result<Published> {
    let parsed = parse_article(markdown)?;
    let draft = Draft {
        kind: "Article",
        name: Some(parsed.title),
        summary: parsed.summary,
        content: parsed.html,
        source: markdown.to_owned(),
        visibility,
    };
    publish(state, draft).await
}

struct Draft {
    kind: &'static str,
    name: Option<String>,
    summary: Option<String>,
    content: String,
    source: String,
    visibility: Visibility,
}

async fn publish(state: &AppState, draft: Draft) -> Result<Published> {
    let urls = state.urls.clone();
    let author = state.local.actor.id;
    let published = state
        .db
        .run(move |c| {
            db::write(c, |c| {
                let public_id = Urls::new_public_id();
                let ap_id = urls.post(&public_id).to_string();
                let now = db::now();
                let post = objects::insert(
                    c,
                    &NewObject {
                        ap_id: ap_id.clone(),
                        public_id: Some(public_id),
                        local: true,
                        kind: draft.kind.to_owned(),
                        actor_id: author,
                        name: draft.name,
                        summary: draft.summary,
                        content: draft.content,
                        source: Some(draft.source),
                        url: Some(ap_id),
                        in_reply_to: None,
                        visibility: draft.visibility.as_str().to_owned(),
                        sensitive: false,
                        published: now,
                        updated: None,
                        created_at: now,
                        slug: None,
                        tags: "[]".into(),
                        source_key: None,
                    },
                )?;
                let create = send::create(&urls, &post)?;
                let inboxes = match draft.visibility {
                    Visibility::Direct => Vec::new(),
                    _ => follows::follower_inboxes(c)?,
                };
                let activity = delivery::enqueue(c, &create, &inboxes)?;
                Ok(Published { post, activity })
            })
        })
        .await?;
    state.queue.wake();
    Ok(published)
}

/// An article's parts, from Markdown.
pub struct ParsedArticle {
    pub title: String,
    pub summary: Option<String>,
    pub html: String,
}

/// Splits off the first level-1 heading as the title; the first paragraph, as plain text,
/// is the summary.
pub fn parse_article(markdown: &str) -> Result<ParsedArticle> {
    let options = Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_TASKLISTS;
    let events: Vec<Event> = Parser::new_ext(markdown, options).collect();
    let mut title = None;
    let mut body = Vec::with_capacity(events.len());
    let mut in_title = false;
    let mut title_text = String::new();
    for ev in events {
        match &ev {
            Event::Start(Tag::Heading {
                level: HeadingLevel::H1,
                ..
            }) if title.is_none() => {
                in_title = true;
                continue;
            }
            Event::End(TagEnd::Heading(HeadingLevel::H1)) if in_title => {
                in_title = false;
                title = Some(title_text.trim().to_owned());
                continue;
            }
            Event::Text(t) | Event::Code(t) if in_title => {
                title_text.push_str(t);
                continue;
            }
            _ if in_title => continue,
            _ => body.push(ev),
        }
    }
    let title = title
        .filter(|t| !t.is_empty())
        .ok_or_else(|| Error::Unprocessable("an article starts with a `# Title` heading".into()))?;
    let summary = first_paragraph(&body);
    let mut html_out = String::new();
    html::push_html(&mut html_out, body.into_iter());
    Ok(ParsedArticle {
        title,
        summary,
        html: html_out,
    })
}

fn first_paragraph(events: &[Event]) -> Option<String> {
    let start = events
        .iter()
        .position(|e| matches!(e, Event::Start(Tag::Paragraph)))?;
    let mut text = String::new();
    for ev in &events[start + 1..] {
        match ev {
            Event::End(TagEnd::Paragraph) => break,
            Event::Text(t) | Event::Code(t) => text.push_str(t),
            Event::SoftBreak | Event::HardBreak => text.push(' '),
            _ => {}
        }
    }
    let text = text.trim().to_owned();
    (!text.is_empty()).then_some(text)
}
