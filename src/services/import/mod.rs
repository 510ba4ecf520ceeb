//! `perch import PATH`: posts written elsewhere — a folder of Markdown files, an Atom or RSS
//! feed, a Mastodon account archive — become perch posts that keep their original dates.
//!
//! All or nothing: every input is read, checked and composed first (an error names the file
//! and, where it can, the line); only then are all posts written, in one transaction. A post
//! whose `source_key` is already stored is skipped, so importing again adds nothing twice.
//! Imported posts reach the outbox (their `Create`, dated as the post) but no follower's
//! inbox, unless `announce` asks for each to be delivered like a new post.
//!
//! The submodules read one kind of source each and touch neither the database nor the network.

mod feed;
mod markdown;
mod mastodon;

use crate::{
    db::{self, queries::objects},
    error::{Error, Result},
    services::{compose, publish},
    state::Data,
};
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
    post: publish::NewPost,
}

/// What a source held.
#[derive(Debug, Default)]
struct Read {
    entries: Vec<Entry>,
    drafts: usize,
    replies_and_boosts: usize,
    /// Posts of a kind perch does not import (polls, posts that are only media).
    unsupported: usize,
    attachments: usize,
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
    pub unsupported: usize,
    /// Media attachments left behind (media import is not there yet).
    pub attachments_not_imported: usize,
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
                        "polls and media-only posts skipped: {}",
                        self.unsupported
                    )?;
                }
                if self.attachments_not_imported > 0 {
                    writeln!(
                        f,
                        "attachments not imported yet (perch cannot store media yet): {}",
                        self.attachments_not_imported
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
        attachments_not_imported: read.attachments,
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
        ready.push((entry.post, composed));
    }
    let state = data.app_data().clone();
    let summary = data
        .db
        .run(move |c| {
            db::write(c, |c| {
                for (new, composed) in ready {
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
        })
        .await?;
    if summary.deliveries > 0 {
        data.queue.wake();
    }
    Ok(Summary {
        seconds: started.elapsed().as_secs_f64(),
        ..summary
    })
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
