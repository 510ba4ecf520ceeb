//! A Mastodon account archive (Settings → Import and export → Request your archive): its
//! `outbox.json`, from the unpacked folder or straight from the `.zip`. Each `Create` of a
//! `Note` becomes a note with its HTML, content warning, sensitivity, hashtags, addressing,
//! original date and image attachments (found here, uploaded by [`super::media`]); boosts
//! (`Announce`) and replies are skipped and counted. Reads files only.

use super::{
    bad, hashtag,
    media::{Attachment, Files},
    new_post, Entry, Read,
};
use crate::{
    apub::{objects::post::visibility_of, protocol::Note},
    error::{Error, Result},
    services::compose::Source,
};
use chrono::{DateTime, Utc};
use serde::{
    de::{self, value::MapAccessDeserializer, MapAccess, Visitor},
    Deserialize, Deserializer,
};
use std::{collections::HashSet, fmt, io::Read as _, path::Path};

pub(super) const OUTBOX: &str = "outbox.json";

/// `outbox.json` as Mastodon writes it: an `OrderedCollection` of the account's activities.
#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Outbox {
    ordered_items: Vec<Activity>,
}

#[derive(Deserialize)]
struct Activity {
    #[serde(rename = "type")]
    kind: String,
    #[serde(default)]
    published: Option<DateTime<Utc>>,
    #[serde(default)]
    object: Option<Object>,
}

/// An activity's object: embedded (a `Create`'s note) or only its id (what a boost boosts).
enum Object {
    Id,
    Embedded(Box<Note>),
}

impl<'de> Deserialize<'de> for Object {
    // By hand rather than `#[serde(untagged)]`, so that an error inside the note keeps the
    // line it is on.
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Object, D::Error> {
        struct ObjectVisitor;
        impl<'de> Visitor<'de> for ObjectVisitor {
            type Value = Object;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("an object or its id")
            }
            fn visit_str<E: de::Error>(self, _: &str) -> Result<Object, E> {
                Ok(Object::Id)
            }
            fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Object, A::Error> {
                Note::deserialize(MapAccessDeserializer::new(map))
                    .map(|n| Object::Embedded(Box::new(n)))
            }
        }
        d.deserialize_any(ObjectVisitor)
    }
}

pub(super) fn read(path: &Path, deliver: bool) -> Result<Read> {
    let (origin, json, files) = open(path)?;
    let outbox: Outbox = serde_json::from_str(&json).map_err(|e| json_error(&origin, &e))?;
    let mut read = Read::default();
    for (n, activity) in outbox.ordered_items.into_iter().enumerate() {
        let note = match (activity.kind.as_str(), activity.object) {
            ("Create", Some(Object::Embedded(note))) => note,
            ("Announce", _) => {
                read.replies_and_boosts += 1;
                continue;
            }
            _ => {
                read.unsupported += 1;
                continue;
            }
        };
        if !note.in_reply_to.is_empty() {
            read.replies_and_boosts += 1;
            continue;
        }
        if note.kind != "Note" {
            read.unsupported += 1;
            continue;
        }
        let item = format!("{origin}, orderedItems[{n}] ({})", note.id);
        let published = note
            .published
            .or(activity.published)
            .ok_or_else(|| bad(&item, None, "no `published` date"))?;
        let (mut media, mut media_missing) = (Vec::<Attachment>::new(), 0);
        for a in &note.attachment {
            let str_of = |key: &str| a[key].as_str();
            match str_of("url").and_then(|u| files.find(u, str_of("mediaType"), str_of("name"))) {
                Some(found) => media.push(found),
                None => media_missing += 1,
            }
        }
        // Mastodon's followers collection is the actor's id + `/followers`.
        let followers = format!("{}/followers", note.author()?);
        let mut hashtags: Vec<String> = Vec::new();
        for name in note
            .tag
            .iter()
            .filter(|t| t["type"] == "Hashtag")
            .filter_map(|t| t["name"].as_str().and_then(hashtag))
        {
            if !hashtags.contains(&name) {
                hashtags.push(name);
            }
        }
        let content_warning = note.summary.clone().filter(|s| !s.trim().is_empty());
        let mut post = new_post(
            Source::Html {
                content: note.content.clone(),
                name: None,
                summary: None,
                hashtags,
            },
            format!("mastodon:{}", note.id),
            Some(published),
            deliver,
        );
        post.visibility = visibility_of(&note, Some(&followers));
        post.sensitive = note.sensitive.unwrap_or(false) || content_warning.is_some();
        post.content_warning = content_warning;
        read.entries.push(Entry {
            origin: item,
            post,
            media,
            media_missing,
        });
    }
    read.files = Some(files);
    Ok(read)
}

/// The text of `outbox.json`, how to name it in errors, and where the media files are.
fn open(path: &Path) -> Result<(String, String, Files)> {
    let name = path.to_string_lossy().to_ascii_lowercase();
    if name.ends_with(".tar.gz") || name.ends_with(".tgz") {
        return Err(bad(
            path,
            None,
            "a .tar.gz archive (as older Mastodon versions make): unpack it (`tar xzf`) and import the folder",
        ));
    }
    if !name.ends_with(".zip") {
        let (dir, file) = if path.is_dir() {
            (path.to_owned(), path.join(OUTBOX))
        } else {
            let dir = path.parent().unwrap_or(Path::new(".")).to_owned();
            (dir, path.to_owned())
        };
        let json = std::fs::read_to_string(&file).map_err(|e| bad(&file, None, e))?;
        return Ok((file.display().to_string(), json, Files::Dir(dir)));
    }
    let zip_file = std::fs::File::open(path).map_err(|e| bad(path, None, e))?;
    let mut archive = zip::ZipArchive::new(zip_file)
        .map_err(|e| bad(path, None, format!("not a zip archive: {e}")))?;
    let names = archive
        .file_names()
        .map(|n| n.map(|n| n.into_owned()))
        .collect::<Result<HashSet<String>, _>>()
        .map_err(|e| bad(path, None, format!("reading the zip's file names: {e}")))?;
    let mut entry = archive.by_name(OUTBOX).map_err(|_| {
        bad(
            path,
            None,
            "no outbox.json inside: is this a Mastodon account archive?",
        )
    })?;
    let mut json = String::new();
    entry
        .read_to_string(&mut json)
        .map_err(|e| bad(path, None, format!("reading outbox.json: {e}")))?;
    let files = Files::Zip {
        archive: path.to_owned(),
        names,
    };
    Ok((format!("{} (outbox.json)", path.display()), json, files))
}

/// A JSON error, with its line taken out of the message into the error's own field.
fn json_error(origin: &str, e: &serde_json::Error) -> Error {
    let full = e.to_string();
    let position = format!(" at line {} column {}", e.line(), e.column());
    let message = full.strip_suffix(&position).unwrap_or(&full);
    bad(
        origin,
        Some(e.line()),
        format!("{message} (column {})", e.column()),
    )
}
