//! `perch import PATH`: posts written elsewhere — a folder of Markdown files, an Atom or RSS
//! feed, a Mastodon account archive — become perch posts that keep their original dates.
//!
//! All or nothing: every input is read, checked and composed first (an error names the file
//! and, where it can, the line); only then are all posts written, in one transaction. A post
//! whose `source_key` is already stored is skipped, so importing again adds nothing twice.
//! Imported posts reach the outbox (their `Create`, dated as the post) but no follower's
//! inbox, unless `announce` asks for each to be delivered like a new post.
//!
//! `markdown`, `feed` and `mastodon` read one kind of source each and touch neither the
//! database nor the network; `media` uploads an archive's images.

mod feed;
mod markdown;
mod mastodon;
mod media;

use crate::{
    db::queries::objects,
    domain::{text, Visibility},
    error::{Error, Result},
    services::{
        compose::{self, Source},
        publish::{self, NewPost},
    },
    state::Data,
};
use chrono::{DateTime, Utc};
use std::{
    collections::HashSet,
    fmt,
    path::{Path, PathBuf},
    time::Instant,
};

/// What PATH holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// A folder of `*.md` files with front matter.
    Markdown,
    /// An Atom, RSS or JSON Feed file.
    Feed,
    /// A Mastodon account archive: a folder with `outbox.json`, or the `.zip` itself.
    Mastodon,
}

impl Kind {
    /// Tells the kind from the path alone: a folder with `outbox.json` or a `.zip` is a
    /// Mastodon archive (so are an `outbox.json` file and an older `.tar.gz` archive, which
    /// is refused with a hint), another folder is Markdown, and any other file a feed.
    pub fn detect(path: &Path) -> Result<Kind> {
        let meta = std::fs::metadata(path).map_err(|e| bad(path, None, e))?;
        let name = path
            .file_name()
            .and_then(|n| n.to_str())
            .unwrap_or_default();
        let kind = if meta.is_dir() {
            if path.join(mastodon::OUTBOX).is_file() {
                Kind::Mastodon
            } else {
                Kind::Markdown
            }
        } else if name == mastodon::OUTBOX
            || [".zip", ".tar.gz", ".tgz"]
                .iter()
                .any(|ext| name.to_ascii_lowercase().ends_with(ext))
        {
            Kind::Mastodon
        } else {
            Kind::Feed
        };
        Ok(kind)
    }

    fn label(self) -> &'static str {
        match self {
            Kind::Markdown => "Markdown folder",
            Kind::Feed => "feed",
            Kind::Mastodon => "Mastodon archive",
        }
    }
}

/// One post read from a source, not yet composed.
#[derive(Debug)]
struct Entry {
    /// The file it came from (and where in it), for error messages.
    origin: String,
    post: NewPost,
    /// Its attachments in the archive (Mastodon archives only).
    media: Vec<media::Attachment>,
    /// Its attachments that the archive does not hold (Mastodon leaves out files it could
    /// not copy).
    media_missing: usize,
}

/// What a source held.
#[derive(Debug, Default)]
struct Read {
    entries: Vec<Entry>,
    drafts: usize,
    replies_and_boosts: usize,
    /// Posts of a kind perch does not import (polls).
    unsupported: usize,
    /// Where the archive keeps its media files.
    files: Option<media::Files>,
}

/// What an import did.
#[derive(Debug, Clone)]
pub struct Summary {
    pub kind: Kind,
    pub articles: usize,
    pub notes: usize,
    pub already_imported: usize,
    pub drafts: usize,
    pub replies_and_boosts: usize,
    /// Polls, and posts that were only media that could not be imported.
    pub unsupported: usize,
    /// Images imported with their posts.
    pub attachments: usize,
    /// Attachments the archive does not hold.
    pub attachments_missing: usize,
    /// Attachments perch does not take: videos, audio, other files, images over the limit.
    pub attachments_refused: usize,
    /// Deliveries queued (only with `announce`).
    pub deliveries: usize,
    pub seconds: f64,
}

impl Summary {
    pub fn imported(&self) -> usize {
        self.articles + self.notes
    }
}

impl fmt::Display for Summary {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(
            f,
            "imported {} posts from a {} (articles {}, notes {}) in {:.2} s",
            self.imported(),
            self.kind.label(),
            self.articles,
            self.notes,
            self.seconds
        )?;
        writeln!(f, "skipped as already imported: {}", self.already_imported)?;
        match self.kind {
            Kind::Markdown => writeln!(f, "drafts skipped: {}", self.drafts)?,
            Kind::Mastodon => {
                writeln!(f, "replies/boosts skipped: {}", self.replies_and_boosts)?;
                if self.unsupported > 0 {
                    writeln!(
                        f,
                        "polls, and posts of only media that did not import, skipped: {}",
                        self.unsupported
                    )?;
                }
                writeln!(f, "images imported: {}", self.attachments)?;
                if self.attachments_missing > 0 {
                    writeln!(
                        f,
                        "attachments missing from the archive: {}",
                        self.attachments_missing
                    )?;
                }
                if self.attachments_refused > 0 {
                    writeln!(
                        f,
                        "attachments left behind (not a JPEG, PNG, GIF or WebP within media.max_bytes): {}",
                        self.attachments_refused
                    )?;
                }
            }
            Kind::Feed => {}
        }
        if self.deliveries > 0 {
            writeln!(f, "deliveries queued: {}", self.deliveries)?;
        }
        Ok(())
    }
}

/// Imports the posts at `path`; with `announce`, each is delivered to followers as new.
pub async fn import(data: &Data, path: &Path, announce: bool) -> Result<Summary> {
    let started = Instant::now();
    let kind = Kind::detect(path)?;
    let read = {
        let path = path.to_owned();
        tokio::task::spawn_blocking(move || read(kind, &path, announce)).await??
    };
    let keys: Vec<String> = read
        .entries
        .iter()
        .filter_map(|e| e.post.source_key.clone())
        .collect();
    let known: HashSet<String> = data
        .db
        .run(move |c| objects::known_source_keys(c, &keys))
        .await?
        .into_iter()
        .collect();
    let mut summary = Summary {
        kind,
        articles: 0,
        notes: 0,
        already_imported: 0,
        drafts: read.drafts,
        replies_and_boosts: read.replies_and_boosts,
        unsupported: read.unsupported,
        attachments: 0,
        attachments_missing: 0,
        attachments_refused: 0,
        deliveries: 0,
        seconds: 0.0,
    };
    let mut ready = Vec::with_capacity(read.entries.len());
    for entry in read.entries {
        if entry
            .post
            .source_key
            .as_ref()
            .is_some_and(|k| known.contains(k))
        {
            summary.already_imported += 1;
            continue;
        }
        let composed = compose::compose(data, &entry.post.source)
            .await
            .map_err(|e| Error::Import {
                file: entry.origin.clone(),
                line: None,
                message: e.to_string(),
            })?;
        summary.attachments_missing += entry.media_missing;
        ready.push((entry, composed));
    }
    // Uploads come before the transaction (they write files, and take the write lock of
    // their own); whatever no post took is removed again, whether or not the import went in.
    let mut uploaded = Vec::new();
    let written = write(data, read.files, ready, summary, &mut uploaded).await;
    media::discard_unattached(data.app_data(), uploaded).await?;
    let summary = written?;
    if summary.deliveries > 0 {
        data.queue.wake();
    }
    Ok(Summary {
        seconds: started.elapsed().as_secs_f64(),
        ..summary
    })
}

/// Uploads the attachments, then writes every post in one transaction.
async fn write(
    data: &Data,
    files: Option<media::Files>,
    ready: Vec<(Entry, compose::Composed)>,
    mut summary: Summary,
    uploaded: &mut Vec<i64>,
) -> Result<Summary> {
    let state = data.app_data().clone();
    let mut reader = media::Reader::new(files);
    let mut posts = Vec::with_capacity(ready.len());
    for (entry, composed) in ready {
        let mut new = entry.post;
        if !entry.media.is_empty() {
            new.media_ids =
                media::upload(&state, &mut reader, &entry.media, &mut summary, uploaded).await?;
        }
        if new.media_ids.is_empty() && text::html_to_plain(&composed.content).is_empty() {
            // A post of only media, none of which could be imported: nothing left to show.
            summary.unsupported += 1;
            continue;
        }
        posts.push((new, composed));
    }
    data.db
        .run_write(move |c| {
            for (new, composed) in posts {
                // Checked again here: the same key twice in one source, or a race.
                if let Some(key) = &new.source_key {
                    if objects::by_source_key(c, key)?.is_some() {
                        summary.already_imported += 1;
                        continue;
                    }
                }
                let (published, inboxes) = publish::store(c, &state, &new, composed, None)?;
                match published.post.kind.as_str() {
                    "Article" => summary.articles += 1,
                    _ => summary.notes += 1,
                }
                summary.deliveries += inboxes.len();
            }
            Ok(summary)
        })
        .await
}

/// A public post imported from `key`, dated `published` (now if `None`).
fn new_post(
    source: Source,
    key: String,
    published: Option<DateTime<Utc>>,
    deliver: bool,
) -> NewPost {
    let mut post = NewPost::from(source, Visibility::Public);
    post.published = published;
    post.source_key = Some(key);
    post.deliver = deliver;
    post
}

fn read(kind: Kind, path: &Path, deliver: bool) -> Result<Read> {
    match kind {
        Kind::Markdown => markdown::read(path, deliver),
        Kind::Feed => feed::read(path, deliver),
        Kind::Mastodon => mastodon::read(path, deliver),
    }
}

/// An import error about `file`.
fn bad(file: impl AsRef<Path>, line: Option<usize>, message: impl ToString) -> Error {
    Error::Import {
        file: file.as_ref().display().to_string(),
        line,
        message: message.to_string(),
    }
}

/// `dir/sub/name.md` → `sub/name.md`, with `/` on every system.
fn relative(root: &Path, file: &Path) -> String {
    let rel: PathBuf = file.strip_prefix(root).unwrap_or(file).to_owned();
    rel.components()
        .map(|c| c.as_os_str().to_string_lossy())
        .collect::<Vec<_>>()
        .join("/")
}

/// Hashtag names as perch stores them: no `#`, lower case, `_` for spaces.
fn hashtag(name: &str) -> Option<String> {
    let t = name.trim().trim_start_matches('#').trim();
    (!t.is_empty()).then(|| t.to_lowercase().replace(' ', "_"))
}
