//! Readers for fields that servers fill in many shapes: one value or a list, a bare id or an
//! object with an `id` (or a `Link` with an `href`). They read shapes only; what a URL may be
//! used for is decided where it is stored ([`crate::apub::urls`]).

use serde::{Deserialize, Deserializer, Serialize, Serializer};
use serde_json::Value;
use url::Url;

/// A list of JSON values that may come as one value, an array, or null.
/// (activitypub_federation's `deserialize_one_or_many` would keep a whole array as one `Value`.)
pub fn values<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<Value>, D::Error> {
    Ok(flatten(Value::deserialize(d)?))
}

fn flatten(v: Value) -> Vec<Value> {
    match v {
        Value::Array(items) => items,
        Value::Null => Vec::new(),
        one => vec![one],
    }
}

/// Recipients: one or many; an entry that is not a URL is skipped rather than failing the
/// whole object.
pub fn urls<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<Url>, D::Error> {
    Ok(values(d)?.iter().filter_map(super::id_of).collect())
}

/// An id, an object with an `id`, or a `Link` with an `href`.
pub fn link_or_id(v: &Value) -> Option<Url> {
    match v {
        Value::Object(o) if !o.contains_key("id") => o.get("href").and_then(super::id_of),
        other => super::id_of(other),
    }
}

/// One id: a string, or an object with an `id`.
pub fn id<'de, D: Deserializer<'de>>(d: D) -> Result<Url, D::Error> {
    super::id_of(&Value::deserialize(d)?).ok_or_else(|| serde::de::Error::custom("not an id"))
}

/// `attributedTo`: actors, with people ahead of the groups and channels they post in
/// (PeerTube names the account and its channel). At least one is needed.
pub fn attribution<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<Url>, D::Error> {
    let mut entries = values(d)?;
    entries.sort_by_key(|e| {
        let kind = e.get("type").and_then(Value::as_str).unwrap_or("Person");
        !matches!(kind, "Person" | "Service" | "Application")
    });
    let ids: Vec<Url> = entries.iter().filter_map(link_or_id).collect();
    if ids.is_empty() {
        return Err(serde::de::Error::custom("attributedTo names no actor"));
    }
    Ok(ids)
}

/// `inReplyTo`: an id, a `Link`, an embedded object (only its id is read) or a list of them.
pub fn reply_targets<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<Url>, D::Error> {
    Ok(values(d)?.iter().filter_map(link_or_id).collect())
}

/// The href and media type of every link in a `url`, `icon` or `image`: strings, `Link`s
/// (`href`) and `Image`s (`url`, itself any of these), alone or in lists.
pub fn hrefs(v: &Value, depth: u8) -> Vec<(String, Option<String>)> {
    let media_type = |o: &serde_json::Map<String, Value>| {
        o.get("mediaType")
            .and_then(Value::as_str)
            .map(str::to_owned)
    };
    match v {
        Value::String(s) => vec![(s.clone(), None)],
        Value::Array(items) if depth < 3 => {
            items.iter().flat_map(|i| hrefs(i, depth + 1)).collect()
        }
        Value::Object(o) if depth < 3 => match (o.get("href"), o.get("url")) {
            (Some(Value::String(h)), _) => vec![(h.clone(), media_type(o))],
            (_, Some(inner)) => {
                let mut found = hrefs(inner, depth + 1);
                for f in &mut found {
                    f.1 = f.1.take().or_else(|| media_type(o));
                }
                found
            }
            _ => Vec::new(),
        },
        _ => Vec::new(),
    }
}

/// A web page's `url`: the first `text/html` link, else the first link that parses.
pub fn page_url<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Url>, D::Error> {
    // Only web links are candidates, so a `javascript:` entry cannot hide the real one.
    let found: Vec<(Url, Option<String>)> = hrefs(&Value::deserialize(d)?, 0)
        .into_iter()
        .filter_map(|(h, t)| Some((Url::parse(&h).ok()?, t)))
        .filter(|(u, _)| matches!(u.scheme(), "http" | "https"))
        .collect();
    let html = found
        .iter()
        .find(|(_, t)| t.as_deref().is_some_and(|t| t.starts_with("text/html")));
    Ok(html.or(found.first()).map(|(u, _)| u.clone()))
}

/// An `icon` or `image`: the first picture in whatever shape it comes.
pub fn picture<'de, D: Deserializer<'de>>(d: D) -> Result<Option<super::Image>, D::Error> {
    Ok(hrefs(&Value::deserialize(d)?, 0)
        .into_iter()
        .find_map(|(h, media_type)| {
            Some(super::Image {
                kind: "Image".into(),
                url: Url::parse(&h).ok()?,
                media_type,
            })
        }))
}

/// The kinds of object perch keeps as posts and comments.
pub const CONTENT_TYPES: [&str; 9] = [
    "Note", "Article", "Page", "Question", "Event", "Video", "Audio", "Image", "Document",
];

/// Objects that are not content, acknowledged and ignored in a `Create` or an `Update`.
pub const NOT_CONTENT: [&str; 4] = ["Tombstone", "Profile", "Place", "Relationship"];

/// The object's type when it is content (`type` alone or in a list, as `["Note","Article"]`).
pub fn content_type(object: &Value) -> Option<&'static str> {
    let kinds = match object.get("type") {
        Some(Value::Array(items)) => items.iter().filter_map(Value::as_str).collect(),
        Some(Value::String(s)) => vec![s.as_str()],
        _ => Vec::new(),
    };
    kinds
        .iter()
        .find_map(|k| CONTENT_TYPES.iter().find(|c| *c == k).copied())
}

/// `type`: the first content type when it is a list, else the string.
pub fn kind<'de, D: Deserializer<'de>>(d: D) -> Result<String, D::Error> {
    let v = Value::deserialize(d)?;
    let wrapped = serde_json::json!({ "type": v });
    if let Some(k) = content_type(&wrapped) {
        return Ok(k.to_owned());
    }
    match v {
        Value::String(s) => Ok(s),
        Value::Array(items) => items
            .iter()
            .find_map(Value::as_str)
            .map(str::to_owned)
            .ok_or_else(|| serde::de::Error::custom("type names no type")),
        _ => Err(serde::de::Error::custom("type is not a string")),
    }
}

/// Entries of a list each read as `T`; those that do not fit are skipped.
pub fn each<'de, D: Deserializer<'de>, T: serde::de::DeserializeOwned>(
    d: D,
) -> Result<Vec<T>, D::Error> {
    Ok(values(d)?
        .into_iter()
        .filter_map(|v| serde_json::from_value(v).ok())
        .collect())
}

/// Writes a list as its only item when it has one, as null when empty (what every server
/// reads), as an array otherwise.
pub fn one_or_many<S: Serializer, T: Serialize>(items: &[T], s: S) -> Result<S::Ok, S::Error> {
    match items {
        [] => s.serialize_none(),
        [one] => one.serialize(s),
        many => many.serialize(s),
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    #[derive(serde::Deserialize)]
    struct Page {
        #[serde(default, deserialize_with = "super::page_url")]
        url: Option<url::Url>,
    }

    fn url_of(json: &str) -> Option<String> {
        serde_json::from_str::<Page>(json)
            .unwrap()
            .url
            .map(|u| u.to_string())
    }

    #[test]
    fn the_page_url_is_the_first_web_link_html_first() {
        assert_eq!(
            url_of(r#"{"url": [{"href": "javascript:alert(1)", "mediaType": "text/html"}, {"href": "https://a.example/p", "mediaType": "text/html"}]}"#).as_deref(),
            Some("https://a.example/p")
        );
        assert_eq!(
            url_of(r#"{"url": [{"href": "https://a.example/v.mp4", "mediaType": "video/mp4"}, {"href": "https://a.example/w", "mediaType": "text/html"}]}"#).as_deref(),
            Some("https://a.example/w")
        );
        assert_eq!(url_of(r#"{"url": "javascript:alert(1)"}"#), None);
        assert_eq!(
            url_of(r#"{"url": "https://a.example/x"}"#).as_deref(),
            Some("https://a.example/x")
        );
    }
}
