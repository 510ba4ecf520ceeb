//! A media row as the ActivityPub `attachment` entry Mastodon sends: `Image` (or `Document`
//! for anything else), with its media type, URL, alt text as `name`, size and blurhash.

use crate::{db::models::DbMedia, domain::Urls};
use serde_json::{json, Value};

/// Where a media row is served: our own `/media/` file, or the remote URL it was linked from.
pub fn url_of(urls: &Urls, m: &DbMedia) -> Option<String> {
    match (&m.file_name, &m.remote_url) {
        (Some(file), _) => Some(urls.media(file).to_string()),
        (None, remote) => remote.clone(),
    }
}

/// The attachment object for `m`; `name` is always there (null without alt text), the size
/// and blurhash only when known. Needs `blurhash` in the `@context` (`toot:blurhash`).
pub fn to_attachment(urls: &Urls, m: &DbMedia) -> Value {
    let kind = if m.media_type.starts_with("image/") {
        "Image"
    } else {
        "Document"
    };
    let url = url_of(urls, m).map_or(Value::Null, Value::String);
    let mut out = json!({
        "type": kind,
        "mediaType": m.media_type,
        "url": url,
        "name": m.description,
    });
    if let Value::Object(fields) = &mut out {
        if let Some(width) = m.width {
            fields.insert("width".into(), width.into());
        }
        if let Some(height) = m.height {
            fields.insert("height".into(), height.into());
        }
        if let Some(blurhash) = &m.blurhash {
            fields.insert("blurhash".into(), blurhash.clone().into());
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row() -> DbMedia {
        DbMedia {
            id: 1,
            public_id: "0192".into(),
            object_id: None,
            position: 0,
            file_name: Some("0192.png".into()),
            remote_url: None,
            media_type: "image/png".into(),
            width: Some(40),
            height: Some(30),
            blurhash: Some("LEHV6nWB2yk8pyo0adR*.7kCMdnj".into()),
            description: Some("A heron on one leg".into()),
            size_bytes: 123,
            created_at: chrono::NaiveDateTime::default(),
            focus: None,
        }
    }

    #[test]
    fn is_shaped_as_mastodon_sends_it() {
        let urls = Urls::new("blog.example", "me", false);
        assert_eq!(
            to_attachment(&urls, &row()),
            json!({
                "type": "Image",
                "mediaType": "image/png",
                "url": "https://blog.example/media/0192.png",
                "name": "A heron on one leg",
                "width": 40,
                "height": 30,
                "blurhash": "LEHV6nWB2yk8pyo0adR*.7kCMdnj",
            })
        );
        let remote = DbMedia {
            file_name: None,
            remote_url: Some("https://elsewhere.example/a.pdf".into()),
            media_type: "application/pdf".into(),
            width: None,
            height: None,
            blurhash: None,
            description: None,
            ..row()
        };
        assert_eq!(
            to_attachment(&urls, &remote),
            json!({
                "type": "Document",
                "mediaType": "application/pdf",
                "url": "https://elsewhere.example/a.pdf",
                "name": null,
            })
        );
    }
}
