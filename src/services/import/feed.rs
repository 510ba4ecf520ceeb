//! An Atom, RSS or JSON Feed file (read by feed-rs): an entry with a title and more than
//! [`ARTICLE_MIN_CHARS`] of HTML content is an article, any other a note. Its date is its
//! `published`, else its `updated`, else (neither given) the time of import. Content HTML is
//! kept as the feed has it, less what the comment cleaner removes (`compose`, `Source::Html`).
//! Reads the file only.

use super::{bad, hashtag, new_post, Entry, Read};
use crate::{domain::text, error::Result, services::compose::Source};
use std::path::Path;

/// Longer than this (in characters of HTML), a titled entry is an article.
pub(super) const ARTICLE_MIN_CHARS: usize = 500;

pub(super) fn read(file: &Path, deliver: bool) -> Result<Read> {
    let bytes = std::fs::read(file).map_err(|e| bad(file, None, e))?;
    // feed-rs reports no line numbers, so its error names the file only.
    let feed = feed_rs::parser::parse(bytes.as_slice())
        .map_err(|e| bad(file, None, format!("not an Atom, RSS or JSON feed: {e}")))?;
    let mut read = Read::default();
    for entry in feed.entries {
        let origin = format!("{}, entry {}", file.display(), entry.id);
        let title = entry
            .title
            .map(|t| t.content.trim().to_owned())
            .filter(|t| !t.is_empty());
        let summary = entry
            .summary
            .map(|s| s.content)
            .filter(|s| !s.trim().is_empty());
        let body = entry
            .content
            .and_then(|c| c.body)
            .filter(|b| !b.trim().is_empty());
        let link = entry.links.first().map(|l| l.href.clone());
        let hashtags: Vec<String> = entry
            .categories
            .iter()
            .filter_map(|c| hashtag(&c.term))
            .collect();
        let is_article = title.is_some()
            && body
                .as_ref()
                .is_some_and(|b| b.chars().count() > ARTICLE_MIN_CHARS);
        let source = if is_article {
            Source::Html {
                content: body.unwrap_or_default(),
                name: title,
                summary: summary.map(|s| text::html_to_plain(&s)),
                hashtags,
            }
        } else {
            let Some(content) = note_html(title.as_deref(), body.or(summary), link.as_deref())
            else {
                return Err(bad(&origin, None, "an entry with no title and no content"));
            };
            Source::Html {
                content,
                name: None,
                summary: None,
                hashtags,
            }
        };
        read.entries.push(Entry {
            origin,
            post: new_post(
                source,
                format!("feed:{}", entry.id),
                entry.published.or(entry.updated),
                deliver,
            ),
            media: Vec::new(),
            media_missing: 0,
        });
    }
    Ok(read)
}

/// A short entry as a note: its content, led by its title unless the content already opens
/// with it (as feeds of microblogs do); a bare title links to the entry.
fn note_html(title: Option<&str>, content: Option<String>, link: Option<&str>) -> Option<String> {
    match (title, content) {
        (None, content) => content,
        (Some(t), Some(c)) => {
            let plain = text::html_to_plain(&c);
            let lead = t.trim_end_matches(['…', '.']);
            if plain.trim_start().starts_with(lead) {
                Some(c)
            } else {
                Some(format!("<p><strong>{}</strong></p>{c}", text::escape(t)))
            }
        }
        (Some(t), None) => Some(match link {
            Some(l) => format!(
                "<p><a href=\"{}\">{}</a></p>",
                text::escape(l),
                text::escape(t)
            ),
            None => format!("<p>{}</p>", text::escape(t)),
        }),
    }
}
