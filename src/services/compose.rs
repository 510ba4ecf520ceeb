//! Turning what the author wrote into a post's parts: HTML content, title and summary, hashtags
//! and the actors it mentions (resolved by WebFinger), and the ActivityStreams `tag` array.
//! Shared by publishing, editing and importing.

use crate::{
    db::{models::DbActor, queries::actors},
    domain::{
        frontmatter,
        text::{self, LinkTargets},
        Acct,
    },
    error::{Error, Result},
    state::Data,
};
use activitypub_federation::fetch::webfinger::webfinger_resolve_actor;
use chrono::{DateTime, Utc};
use pulldown_cmark::{html, CodeBlockKind, Event, HeadingLevel, Options, Parser, Tag, TagEnd};
use serde_json::{json, Value};
use std::collections::HashMap;

/// What the author wrote.
#[derive(Debug, Clone)]
pub enum Source {
    /// A note as typed in an app: plain text with links, hashtags and mentions.
    Note { text: String, markdown: bool },
    /// An article in Markdown, with optional front matter; a `# Title` heading if no title.
    Article { markdown: String },
    /// HTML written elsewhere (imports): kept as it is, neither rendered nor scanned for
    /// mentions. With a `name` it is an article, else a note. It may be empty (a post of only
    /// images): the importer decides.
    Html {
        content: String,
        name: Option<String>,
        summary: Option<String>,
        hashtags: Vec<String>,
    },
}

impl Source {
    pub fn text(&self) -> &str {
        match self {
            Source::Note { text, .. } => text,
            Source::Article { markdown } => markdown,
            Source::Html { content, .. } => content,
        }
    }
}

/// A post's parts, ready to store.
#[derive(Debug, Clone)]
pub struct Composed {
    pub kind: &'static str,
    pub name: Option<String>,
    pub summary: Option<String>,
    pub content: String,
    pub hashtags: Vec<String>,
    pub mentions: Vec<DbActor>,
    /// The ActivityStreams `tag` array (Hashtag and Mention objects).
    pub tags: Value,
    pub slug: Option<String>,
    pub date: Option<DateTime<Utc>>,
}

/// Composes a post. Mentions that do not resolve stay plain text.
pub async fn compose(data: &Data, source: &Source) -> Result<Composed> {
    let composed = match source {
        Source::Note { text, markdown } => {
            let text = text.trim();
            if text.is_empty() {
                return Err(Error::Unprocessable("a note needs some text".into()));
            }
            let max = data.settings.publishing.note_max_chars;
            let count = text.chars().count();
            if count > max {
                return Err(Error::Unprocessable(format!(
                    "a note may have at most {max} characters; this one has {count}"
                )));
            }
            let mentions = resolve_mentions(data, &text::mentions(text)).await;
            let targets = targets_for(&mentions);
            let tag_url = |t: &str| data.urls.tag(t).to_string();
            let links = LinkTargets {
                tag_url: &tag_url,
                mentions: &targets,
            };
            let content = if *markdown {
                markdown_note_html(text, &links)
            } else {
                text::note_to_html(text, &links)
            };
            let hashtags = text::hashtags(text);
            Composed {
                kind: "Note",
                name: None,
                summary: None,
                content,
                tags: tag_array(data, &hashtags, &mentions),
                hashtags,
                mentions,
                slug: None,
                date: None,
            }
        }
        Source::Article { markdown } => {
            let (fm, body) = frontmatter::split(markdown)
                .map_err(|e| Error::Unprocessable(format!("front matter, {e}")))?;
            let parsed = parse_article(body, fm.title.is_none())?;
            let title = fm
                .title
                .or(parsed.title)
                .ok_or_else(|| Error::Unprocessable("an article needs a title: a `title:` in its front matter or a `# Title` heading".into()))?;
            let hashtags = fm.tags;
            let slug = fm
                .slug
                .or_else(|| Some(slugify(&title)).filter(|s| !s.is_empty()));
            Composed {
                kind: "Article",
                summary: fm.summary.or(parsed.summary),
                name: Some(title),
                content: parsed.html,
                tags: tag_array(data, &hashtags, &[]),
                hashtags,
                mentions: Vec::new(),
                slug,
                date: fm.date,
            }
        }
        Source::Html {
            content,
            name,
            summary,
            hashtags,
        } => Composed {
            kind: if name.is_some() { "Article" } else { "Note" },
            name: name.clone(),
            summary: summary.clone(),
            // HTML from elsewhere (a feed, an archive) goes through the same cleaner as
            // comments: what it may do on the author's pages is what a comment may do.
            content: crate::apub::sanitize::clean(content),
            tags: tag_array(data, hashtags, &[]),
            hashtags: hashtags.clone(),
            mentions: Vec::new(),
            slug: name.as_deref().map(slugify).filter(|s| !s.is_empty()),
            date: None,
        },
    };
    Ok(composed)
}

/// Resolves `@user@host` handles to actors: from the store when known, else by WebFinger.
async fn resolve_mentions(data: &Data, handles: &[Acct]) -> Vec<DbActor> {
    let mut found = Vec::new();
    for acct in handles {
        let (user, host) = (acct.user.clone(), acct.host.clone());
        let known = data
            .db
            .run(move |c| actors::by_handle(c, &user, &host))
            .await
            .ok()
            .flatten();
        let actor = match known {
            Some(a) => Some(a),
            None => match webfinger_resolve_actor::<_, DbActor>(&acct.to_string(), data).await {
                Ok(a) => Some(a),
                Err(e) => {
                    tracing::info!(%acct, error = %e, "mention did not resolve; left as text");
                    None
                }
            },
        };
        if let Some(a) = actor {
            if !found.iter().any(|f: &DbActor| f.id == a.id) {
                found.push(a);
            }
        }
    }
    found
}

fn targets_for(mentions: &[DbActor]) -> HashMap<String, String> {
    mentions
        .iter()
        .map(|a| (a.acct(), a.url.clone().unwrap_or_else(|| a.ap_id.clone())))
        .collect()
}

fn tag_array(data: &Data, hashtags: &[String], mentions: &[DbActor]) -> Value {
    let mut tags: Vec<Value> = hashtags
        .iter()
        .map(|t| json!({ "type": "Hashtag", "href": data.urls.tag(t), "name": format!("#{t}") }))
        .collect();
    tags.extend(
        mentions.iter().map(
            |a| json!({ "type": "Mention", "href": a.ap_id, "name": format!("@{}", a.acct()) }),
        ),
    );
    Value::Array(tags)
}

fn markdown_options() -> Options {
    Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_TASKLISTS
}

/// A note written in Markdown: text outside code and links gets hashtags, mentions and URLs;
/// the HTML goes through the sanitiser.
fn markdown_note_html(text: &str, links: &LinkTargets<'_>) -> String {
    let mut depth = 0usize;
    let events = Parser::new_ext(text, markdown_options()).map(|ev| match ev {
        Event::Start(Tag::CodeBlock(CodeBlockKind::Fenced(_) | CodeBlockKind::Indented))
        | Event::Start(Tag::Link { .. }) => {
            depth += 1;
            ev
        }
        Event::End(TagEnd::CodeBlock) | Event::End(TagEnd::Link) => {
            depth = depth.saturating_sub(1);
            ev
        }
        Event::Text(t) if depth == 0 => Event::Html(text::link_line(&t, links).into()),
        other => other,
    });
    let mut out = String::new();
    html::push_html(&mut out, events);
    crate::apub::sanitize::clean_authored(&out)
}

/// An article's parts, from Markdown.
pub struct ParsedArticle {
    pub title: Option<String>,
    pub summary: Option<String>,
    pub html: String,
}

/// Renders an article (through the sanitiser: raw HTML in it is held to the same policy as
/// everything else); with `take_title`, its first level-1 heading is split off as the
/// title. The first paragraph, as plain text, is the summary.
pub fn parse_article(markdown: &str, take_title: bool) -> Result<ParsedArticle> {
    let events: Vec<Event> = Parser::new_ext(markdown, markdown_options()).collect();
    let mut title = None;
    let mut body = Vec::with_capacity(events.len());
    let mut in_title = false;
    let mut title_text = String::new();
    for ev in events {
        match &ev {
            Event::Start(Tag::Heading {
                level: HeadingLevel::H1,
                ..
            }) if take_title && title.is_none() => {
                in_title = true;
                continue;
            }
            Event::End(TagEnd::Heading(HeadingLevel::H1)) if in_title => {
                in_title = false;
                title = Some(title_text.trim().to_owned()).filter(|t| !t.is_empty());
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
    let summary = first_paragraph(&body);
    let mut html_out = String::new();
    html::push_html(&mut html_out, body.into_iter());
    Ok(ParsedArticle {
        title,
        summary,
        html: crate::apub::sanitize::clean_authored(&html_out),
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

/// `Notes from the First Kafka Summit` → `notes-from-the-first-kafka-summit`.
pub fn slugify(title: &str) -> String {
    let mut slug = String::new();
    for c in title.chars().flat_map(char::to_lowercase) {
        if c.is_ascii_alphanumeric() {
            slug.push(c);
        } else if !slug.ends_with('-') && !slug.is_empty() {
            slug.push('-');
        }
    }
    slug.trim_end_matches('-').chars().take(80).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs_are_readable() {
        assert_eq!(
            slugify("Notes from the First Kafka Summit!"),
            "notes-from-the-first-kafka-summit"
        );
        assert_eq!(slugify("“Ünïcode” — only"), "n-code-only");
    }

    #[test]
    fn an_article_title_and_summary_come_from_its_markdown() {
        let a = parse_article("# Title `x`\n\nFirst *para*\ngraph.\n\n## Next\n", true)
            .expect("parses");
        assert_eq!(a.title.as_deref(), Some("Title x"));
        assert_eq!(a.summary.as_deref(), Some("First para graph."));
        assert!(a.html.starts_with("<p>First <em>para</em>"));
        assert!(a.html.contains("<h2>Next</h2>"));
    }
}
