//! Uploading an image: checked, stripped of its metadata and measured off the async
//! executor, stored under the data dir, recorded as an unattached `media` row. Publishing
//! attaches it to a post (`db::queries::media::attach`) in the post's own transaction. Uploads
//! that no post takes within a day (an app's abandoned draft) are swept away.

use crate::{
    db::{self, models::*, queries},
    domain::Urls,
    error::{Error, Result},
    media,
    state::AppState,
};

/// Alt text longer than this is refused (Mastodon's limit).
pub const MAX_DESCRIPTION_CHARS: usize = 1500;

/// Stores `bytes` as an image with `description` as its alt text.
pub async fn upload(
    state: &AppState,
    bytes: Vec<u8>,
    description: Option<String>,
) -> Result<DbMedia> {
    let max_bytes = state.settings.media.max_bytes;
    if bytes.len() > max_bytes {
        return Err(Error::PayloadTooLarge(max_bytes));
    }
    let description = alt_text(description)?;
    let dir = media::media_dir(&state.settings.server.data_dir);
    let public_id = Urls::new_public_id();
    let (image, file_name) = {
        let (dir, public_id) = (dir.clone(), public_id.clone());
        tokio::task::spawn_blocking(move || -> Result<_> {
            let image = media::process(&bytes, max_bytes)?;
            let file_name = format!("{public_id}.{}", image.format.extension());
            media::save(&dir, &file_name, &image.bytes)?;
            Ok((image, file_name))
        })
        .await??
    };
    let size = |n: u32| i32::try_from(n).map_err(Error::internal);
    let new = NewMedia {
        public_id,
        object_id: None,
        position: 0,
        file_name: Some(file_name.clone()),
        remote_url: None,
        media_type: image.format.media_type().into(),
        width: Some(size(image.width)?),
        height: Some(size(image.height)?),
        blurhash: Some(image.blurhash),
        description,
        size_bytes: i64::try_from(image.bytes.len()).map_err(Error::internal)?,
        created_at: db::now(),
        focus: None,
    };
    let stored = state.db.run(move |c| queries::media::insert(c, &new)).await;
    if stored.is_err() {
        media::remove(&dir, &file_name);
    }
    stored
}

/// Trimmed alt text, `None` when blank; an error past the limit.
pub fn alt_text(description: Option<String>) -> Result<Option<String>> {
    let Some(text) = description.map(|d| d.trim().to_owned()) else {
        return Ok(None);
    };
    let chars = text.chars().count();
    if chars > MAX_DESCRIPTION_CHARS {
        return Err(Error::Unprocessable(format!(
            "the alt text is {chars} characters long; the limit is {MAX_DESCRIPTION_CHARS}"
        )));
    }
    Ok(Some(text).filter(|t| !t.is_empty()))
}

/// Sets an upload's alt text (checked as on upload; `Some(None)` clears it) and focal point.
pub async fn describe(
    state: &AppState,
    id: i64,
    description: Option<Option<String>>,
    focus: Option<String>,
) -> Result<DbMedia> {
    let description = match description {
        Some(d) => Some(alt_text(d)?),
        None => None,
    };
    state
        .db
        .run_write(move |c| queries::media::describe(c, id, description, focus))
        .await
}

/// Uploads left unattached this long (an app's abandoned draft) are deleted.
pub const ABANDONED_AFTER_HOURS: i64 = 24;

/// Deletes abandoned uploads, rows and files; returns how many. The profile's avatar and header
/// (uploads that no post takes) are kept.
pub async fn sweep_abandoned(state: &AppState) -> Result<usize> {
    let profile = state.profile();
    let keep: Vec<String> = profile.avatar.into_iter().chain(profile.header).collect();
    let before = db::now() - chrono::Duration::hours(ABANDONED_AFTER_HOURS);
    let removed = state
        .db
        .run_write(move |c| queries::media::delete_abandoned(c, before, &keep))
        .await?;
    let dir = media::media_dir(&state.settings.server.data_dir);
    for m in &removed {
        if let Some(file) = &m.file_name {
            media::remove(&dir, file);
        }
    }
    Ok(removed.len())
}
