//! A folder of Markdown files with front matter, as static blog engines keep them: each
//! `*.md` file (found recursively, in path order; hidden files and folders left out) is an
//! article if it has a title — `title:` in its front matter or a `# Title` heading — and
//! otherwise a note in Markdown. Reads files only.

use super::{bad, new_post, relative, Entry, Read};
use crate::{
    domain::frontmatter,
    error::Result,
    services::compose::{self, Source},
};
use chrono::{DateTime, Utc};
use std::path::{Path, PathBuf};

pub(super) fn read(root: &Path, deliver: bool) -> Result<Read> {
    let mut files = Vec::new();
    collect(root, &mut files)?;
    files.sort();
    let mut read = Read::default();
    for file in files {
        let text = std::fs::read_to_string(&file).map_err(|e| bad(&file, None, e))?;
        let (fm, body) =
            frontmatter::split(&text).map_err(|e| bad(&file, Some(e.line), e.message))?;
        if fm.draft {
            read.drafts += 1;
            continue;
        }
        let titled = fm.title.is_some() || compose::parse_article(body, true)?.title.is_some();
        let source = if titled {
            Source::Article {
                markdown: text.clone(),
            }
        } else {
            Source::Note {
                text: body.trim().to_owned(),
                markdown: true,
            }
        };
        let published = match fm.date {
            Some(d) => d,
            None => modified(&file)?,
        };
        let key = fm.slug.unwrap_or_else(|| relative(root, &file));
        read.entries.push(Entry {
            origin: file.display().to_string(),
            post: new_post(source, format!("markdown:{key}"), Some(published), deliver),
            media: Vec::new(),
            media_missing: 0,
        });
    }
    Ok(read)
}

/// The `*.md` files under `dir`, at any depth.
fn collect(dir: &Path, into: &mut Vec<PathBuf>) -> Result<()> {
    for item in std::fs::read_dir(dir).map_err(|e| bad(dir, None, e))? {
        let path = item.map_err(|e| bad(dir, None, e))?.path();
        let name = path
            .file_name()
            .and_then(|n| n.to_str())
            .unwrap_or_default();
        if name.starts_with('.') {
            continue;
        }
        if path.is_dir() {
            collect(&path, into)?;
        } else if path
            .extension()
            .is_some_and(|e| e.eq_ignore_ascii_case("md"))
        {
            into.push(path);
        }
    }
    Ok(())
}

/// When the file was last changed: the date of a post whose front matter gives none.
fn modified(file: &Path) -> Result<DateTime<Utc>> {
    let time = std::fs::metadata(file)
        .and_then(|m| m.modified())
        .map_err(|e| bad(file, None, e))?;
    Ok(time.into())
}
