//! Attachments of imported posts: found while the archive is read ([`Files`]), uploaded
//! through `services::media` (checked, stripped, measured, stored) just before the import's
//! transaction, and removed again — rows and files — when the post they were for was not
//! written. Images that perch does not take (videos, audio, files over the size limit) are
//! counted and left behind; they do not fail the import.

use super::Summary;
use crate::{
    db::queries,
    error::{Error, Result},
    media as files,
    services::media::{self, MAX_DESCRIPTION_CHARS},
    state::AppState,
};
use std::{collections::HashSet, io::Read as _, path::PathBuf};

/// The media types `services::media::upload` accepts.
const IMAGE_TYPES: [&str; 4] = ["image/jpeg", "image/png", "image/gif", "image/webp"];

/// Where an archive keeps its media files.
#[derive(Debug, Clone)]
pub(super) enum Files {
    Dir(PathBuf),
    Zip {
        archive: PathBuf,
        names: HashSet<String>,
    },
}

/// One attachment of an imported post, read only when it is uploaded.
#[derive(Debug, Clone)]
pub(super) struct Attachment {
    /// The path inside the archive (`media_attachments/files/…`).
    path: String,
    media_type: Option<String>,
    description: Option<String>,
}

impl Files {
    /// The attachment at `url` (relative to the archive, as Mastodon writes it), if the
    /// archive holds that file.
    pub(super) fn find(
        &self,
        url: &str,
        media_type: Option<&str>,
        description: Option<&str>,
    ) -> Option<Attachment> {
        let path = url.trim_start_matches('/');
        let relative = !path.is_empty()
            && !url.contains("://")
            && path.split('/').all(|p| !p.is_empty() && p != "..");
        let present = relative
            && match self {
                Files::Dir(dir) => dir.join(path).is_file(),
                Files::Zip { names, .. } => names.contains(path),
            };
        present.then(|| Attachment {
            path: path.to_owned(),
            media_type: media_type.map(str::to_owned),
            description: description.map(|d| d.chars().take(MAX_DESCRIPTION_CHARS).collect()),
        })
    }
}

/// Reads attachments from a folder or a zip, keeping the zip open between files.
pub(super) struct Reader {
    files: Option<Files>,
    zip: Option<zip::ZipArchive<std::fs::File>>,
}

impl Reader {
    pub(super) fn new(files: Option<Files>) -> Reader {
        Reader { files, zip: None }
    }

    /// The file's bytes; `None` when it is over `max_bytes` (not read at all).
    async fn read(&mut self, path: &str, max_bytes: usize) -> Result<Option<Vec<u8>>> {
        let files = self.files.clone();
        let mut zip = self.zip.take();
        let path = path.to_owned();
        let (zip, bytes) = tokio::task::spawn_blocking(move || {
            let bytes = read_file(files.as_ref(), &mut zip, &path, max_bytes);
            (zip, bytes)
        })
        .await?;
        self.zip = zip;
        bytes
    }
}

fn read_file(
    files: Option<&Files>,
    zip: &mut Option<zip::ZipArchive<std::fs::File>>,
    path: &str,
    max_bytes: usize,
) -> Result<Option<Vec<u8>>> {
    let too_big = |len: u64| usize::try_from(len).map_or(true, |l| l > max_bytes);
    match files {
        None => Ok(None),
        Some(Files::Dir(dir)) => {
            let file = dir.join(path);
            if too_big(std::fs::metadata(&file)?.len()) {
                return Ok(None);
            }
            Ok(Some(std::fs::read(file)?))
        }
        Some(Files::Zip { archive, .. }) => {
            if zip.is_none() {
                *zip = Some(
                    zip::ZipArchive::new(std::fs::File::open(archive)?)
                        .map_err(|e| Error::internal(format!("{}: {e}", archive.display())))?,
                );
            }
            let Some(open) = zip.as_mut() else {
                return Ok(None);
            };
            let mut entry = open
                .by_name(path)
                .map_err(|e| Error::internal(format!("{}: {path}: {e}", archive.display())))?;
            if too_big(entry.size()) {
                return Ok(None);
            }
            let mut bytes = Vec::new();
            entry.read_to_end(&mut bytes)?;
            Ok(Some(bytes))
        }
    }
}

/// Uploads a post's attachments, in order; returns the media ids of those perch took and
/// records every id in `uploaded` (for [`discard_unattached`]).
pub(super) async fn upload(
    state: &AppState,
    reader: &mut Reader,
    attachments: &[Attachment],
    summary: &mut Summary,
    uploaded: &mut Vec<i64>,
) -> Result<Vec<i64>> {
    let max_bytes = state.settings.media.max_bytes;
    let mut ids = Vec::new();
    for a in attachments {
        let refused = a
            .media_type
            .as_deref()
            .is_some_and(|t| !IMAGE_TYPES.contains(&t));
        let bytes = match refused {
            true => None,
            false => reader.read(&a.path, max_bytes).await?,
        };
        let Some(bytes) = bytes else {
            summary.attachments_refused += 1;
            continue;
        };
        match media::upload(state, bytes, a.description.clone()).await {
            Ok(row) => {
                uploaded.push(row.id);
                ids.push(row.id);
                summary.attachments += 1;
            }
            // Not an image perch takes: left behind, like a video.
            Err(Error::Unprocessable(_) | Error::PayloadTooLarge(_)) => {
                summary.attachments_refused += 1;
            }
            Err(e) => return Err(e),
        }
    }
    Ok(ids)
}

/// Removes the uploads among `ids` that no post took (the import failed, or their post was
/// a duplicate), rows and files.
pub(super) async fn discard_unattached(state: &AppState, ids: Vec<i64>) -> Result<()> {
    if ids.is_empty() {
        return Ok(());
    }
    let removed = state
        .db
        .run(move |c| queries::media::delete_unattached(c, &ids))
        .await?;
    let dir = files::media_dir(&state.settings.server.data_dir);
    for row in removed {
        if let Some(name) = row.file_name {
            files::remove(&dir, &name);
        }
    }
    Ok(())
}
