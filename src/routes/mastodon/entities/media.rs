//! Mastodon's MediaAttachment, for the author's uploads and for remote attachments (kept as
//! links to the remote file).

use crate::{db::models::DbMedia, media::url_of, state::AppState};
use serde_json::{json, Value};

pub fn render(state: &AppState, m: &DbMedia) -> Value {
    let url = url_of(&state.urls, m).unwrap_or_default();
    let kind = match m.media_type.as_str() {
        t if t.starts_with("image/") => "image",
        t if t.starts_with("video/") => "video",
        t if t.starts_with("audio/") => "audio",
        _ => "unknown",
    };
    let (x, y) = focus(m.focus.as_deref());
    let mut meta = json!({ "focus": { "x": x, "y": y } });
    if let (Some(w), Some(h)) = (m.width, m.height) {
        let size = json!({
            "width": w,
            "height": h,
            "size": format!("{w}x{h}"),
            "aspect": if h > 0 { f64::from(w) / f64::from(h) } else { 1.0 },
        });
        meta["original"] = size.clone();
        meta["small"] = size;
    }
    json!({
        "id": m.id.to_string(),
        "type": kind,
        "url": url,
        "preview_url": url,
        "remote_url": m.remote_url,
        "preview_remote_url": null,
        "text_url": null,
        "meta": meta,
        "description": m.description,
        "blurhash": m.blurhash,
    })
}

/// The stored focal point, `(0, 0)` (the centre) when unset or unreadable.
pub fn focus(stored: Option<&str>) -> (f64, f64) {
    stored
        .and_then(|s| s.split_once(','))
        .and_then(|(x, y)| Some((x.trim().parse().ok()?, y.trim().parse().ok()?)))
        .unwrap_or((0.0, 0.0))
}
