//! Image uploads on a running instance: metadata gone from what is served, the serving
//! headers, refusals with clear messages, strict file names, attaching to a post.

use crate::support::{spawn_app, spawn_app_with};
use image::{codecs::jpeg::JpegEncoder, ExtendedColorType, ImageEncoder};
use perch::{
    db::queries::media as media_rows,
    domain::Visibility,
    error::Error,
    services::{media, publish},
};
use std::io::{Read, Write};

const SERIAL: &str = "CAM-SN-0042-XYZ";

/// A 32×24 JPEG whose APP1 EXIF segment holds a GPS latitude and a camera serial.
pub fn jpeg_with_exif() -> Vec<u8> {
    let pixels: Vec<u8> = (0..32 * 24 * 3).map(|i| (i % 251) as u8).collect();
    let mut clean = Vec::new();
    JpegEncoder::new_with_quality(&mut clean, 85)
        .write_image(&pixels, 32, 24, ExtendedColorType::Rgb8)
        .unwrap();
    let mut exif = b"Exif\0\0MM\0*\0\0\0\x08GPSLatitude 52/1 22/1 ".to_vec();
    exif.extend_from_slice(SERIAL.as_bytes());
    let mut out = clean[..2].to_vec();
    out.extend_from_slice(&[0xFF, 0xE1]);
    out.extend_from_slice(&u16::try_from(exif.len() + 2).unwrap().to_be_bytes());
    out.extend_from_slice(&exif);
    out.extend_from_slice(&clean[2..]);
    out
}

fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    haystack.windows(needle.len()).any(|w| w == needle)
}

#[tokio::test]
async fn an_uploaded_jpeg_is_served_without_its_exif() {
    let app = spawn_app().await;
    let upload = jpeg_with_exif();
    assert!(contains(&upload, b"Exif") && contains(&upload, b"GPSLatitude"));
    let row = media::upload(
        app.app.state(),
        upload,
        Some("  A heron on one leg ".into()),
    )
    .await
    .unwrap();
    assert_eq!(row.media_type, "image/jpeg");
    assert_eq!((row.width, row.height), (Some(32), Some(24)));
    assert_eq!(row.description.as_deref(), Some("A heron on one leg"));
    assert_eq!(row.blurhash.as_ref().map(String::len), Some(28));
    assert_eq!(row.object_id, None);
    let file = row.file_name.clone().unwrap();
    assert_eq!(file, format!("{}.jpg", row.public_id));

    let res = app.get(&format!("/media/{file}")).await;
    assert_eq!(res.status(), 200);
    let header = |name: &str| {
        res.headers()
            .get(name)
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default()
            .to_owned()
    };
    assert_eq!(header("content-type"), "image/jpeg");
    assert_eq!(
        header("cache-control"),
        "public, max-age=31536000, immutable"
    );
    assert_eq!(header("x-content-type-options"), "nosniff");
    assert_eq!(header("content-security-policy"), "default-src 'none'");
    let body = res.bytes().await.unwrap();
    assert_eq!(body.len() as i64, row.size_bytes);
    for needle in [&b"Exif"[..], b"GPSLatitude", SERIAL.as_bytes()] {
        assert!(!contains(&body, needle), "{needle:?} was served");
    }
    let served = image::load_from_memory(&body).unwrap();
    assert_eq!((served.width(), served.height()), (32, 24));

    // Nothing but the file itself was left in the media directory.
    let names: Vec<String> = std::fs::read_dir(app.dir.path().join("media"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(names, [file]);
}

#[tokio::test]
async fn uploads_attach_to_a_post_in_order_and_describe_themselves() {
    let app = spawn_app().await;
    let state = app.app.state();
    let first = media::upload(state, jpeg_with_exif(), None).await.unwrap();
    let second = media::upload(state, jpeg_with_exif(), Some("second".into()))
        .await
        .unwrap();
    let mut new = publish::NewPost::note("two pictures", Visibility::Public);
    new.media_ids = vec![second.id, first.id];
    let note = publish::publish(&app.app.data(), new).await.unwrap();
    let post = note.post.id;
    let attached = app.query(move |c| media_rows::for_object(c, post)).await;
    let order: Vec<i64> = attached.iter().map(|m| m.id).collect();
    assert_eq!(order, [second.id, first.id]);

    let json = perch::media::to_attachment(&state.urls, &attached[0]);
    assert_eq!(json["type"], "Image");
    assert_eq!(json["name"], "second");
    assert_eq!(json["width"], 32);
    let url = json["url"].as_str().unwrap().to_owned();
    assert_eq!(app.get(&url).await.status(), 200);
    assert_eq!(
        perch::media::to_attachment(&state.urls, &attached[1])["name"],
        serde_json::Value::Null
    );

    // Media already on a post cannot be taken by another one.
    let other = publish::note(&app.app.data(), "another", Visibility::Public)
        .await
        .unwrap();
    let (other, taken) = (other.post.id, first.id);
    let err = state
        .db
        .run(move |c| media_rows::attach(c, &[taken], other))
        .await
        .unwrap_err();
    assert!(err.to_string().contains("belongs to another post"), "{err}");
}

#[tokio::test]
async fn text_and_oversized_uploads_are_refused_with_clear_errors() {
    let app = spawn_app().await;
    let err = media::upload(app.app.state(), b"hello, world\n".to_vec(), None)
        .await
        .unwrap_err();
    assert!(matches!(err, Error::Unprocessable(_)), "{err:?}");
    assert!(
        err.to_string()
            .contains("is not a JPEG, PNG, GIF or WebP image"),
        "{err}"
    );
    let mut broken = jpeg_with_exif();
    broken.truncate(broken.len() / 2);
    let err = media::upload(app.app.state(), broken, None)
        .await
        .unwrap_err();
    assert!(err.to_string().contains("not a valid JPEG image"), "{err}");

    let small = spawn_app_with(&[("media.max_bytes", 1000.into())]).await;
    let upload = jpeg_with_exif();
    assert!(upload.len() > 1000);
    let err = media::upload(small.app.state(), upload, None)
        .await
        .unwrap_err();
    assert!(matches!(err, Error::PayloadTooLarge(1000)), "{err:?}");
    assert!(err.to_string().contains("the limit is 1000 bytes"), "{err}");
    let rows = small
        .query(|c| {
            use diesel::prelude::*;
            Ok(perch::db::schema::media::table
                .count()
                .get_result::<i64>(c)?)
        })
        .await;
    assert_eq!(rows, 0);
    assert!(!small.dir.path().join("media").exists());
}

/// Sends `path` exactly as written (a client library would resolve the `..`).
fn raw_get(port: u16, path: &str) -> String {
    let mut stream = std::net::TcpStream::connect(("127.0.0.1", port)).unwrap();
    write!(
        stream,
        "GET {path} HTTP/1.1\r\nHost: localhost:{port}\r\nConnection: close\r\n\r\n"
    )
    .unwrap();
    let mut answer = String::new();
    stream.read_to_string(&mut answer).unwrap();
    answer
}

#[tokio::test]
async fn only_stored_file_names_are_served() {
    let app = spawn_app().await;
    // The database file is in the data dir, one level above the media.
    media::upload(app.app.state(), jpeg_with_exif(), None)
        .await
        .unwrap();
    let beside = app.dir.path().join("perch.db");
    if !beside.exists() {
        // On PostgreSQL there is no database file: one is put where it would be.
        std::fs::write(&beside, b"not to be served").unwrap();
    }
    let port = app.app.port;
    for path in [
        "/media/../perch.db",
        "/media/..%2Fperch.db",
        "/media/%2e%2e%2fperch.db",
        "/media/..%5Cperch.db",
        "/media/x.exe",
        "/media/abc.jpg.tmp",
        "/media/0123abcd.png",
    ] {
        let answer = tokio::task::spawn_blocking(move || raw_get(port, path))
            .await
            .unwrap();
        assert!(answer.starts_with("HTTP/1.1 404"), "{path}: {answer}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn uploads_no_post_took_for_a_day_are_swept_but_posts_and_the_avatar_keep_theirs() {
    use diesel::prelude::*;
    use perch::db::schema::media::dsl as m;
    let app = spawn_app().await;
    let state = app.app.state().clone();
    let upload = || perch::services::media::upload(&state, jpeg_with_exif(), None);
    let (abandoned, fresh, used) = (
        upload().await.unwrap(),
        upload().await.unwrap(),
        upload().await.unwrap(),
    );
    let mut note = publish::NewPost::note("with a picture", perch::domain::Visibility::Public);
    note.media_ids = vec![used.id];
    publish::publish(&app.app.data(), note).await.unwrap();
    perch::services::profile::update(
        &app.app.data(),
        perch::services::profile::ProfileEdit {
            avatar: Some(jpeg_with_exif()),
            ..Default::default()
        },
    )
    .await
    .unwrap();
    // Everything but `fresh` was uploaded two days ago.
    let two_days_ago = perch::db::now() - chrono::Duration::days(2);
    let fresh_id = fresh.id;
    app.query(move |c| {
        Ok(diesel::update(m::media.filter(m::id.ne(fresh_id)))
            .set(m::created_at.eq(two_days_ago))
            .execute(c)?)
    })
    .await;
    let removed = perch::services::media::sweep_abandoned(&state)
        .await
        .unwrap();
    assert_eq!(removed, 1, "only the abandoned upload goes");
    let left: Vec<i64> = app
        .query(|c| Ok(m::media.select(m::id).order(m::id).load(c)?))
        .await;
    assert!(!left.contains(&abandoned.id));
    assert!(left.contains(&fresh.id) && left.contains(&used.id));
    assert_eq!(left.len(), 3, "the avatar's upload stays too");
    let dir = perch::media::media_dir(&state.settings.server.data_dir);
    assert!(
        !dir.join(abandoned.file_name.unwrap()).exists(),
        "its file is gone"
    );
    assert!(dir.join(used.file_name.unwrap()).exists());
}
