//! `perch import`: a Markdown folder, a Mastodon archive (folder and zip) and an Atom feed,
//! each imported twice, keep their original dates, take their place in the outbox by them,
//! and reach no follower unless announced; a malformed file is named with its line and
//! leaves nothing behind. Fixtures: tests/fixtures/import/ (its README says which passages
//! of the seed they come from).

use crate::{
    cli::{ok, perch},
    support::{eventually, following, get_json, seed, spawn_app, TestApp},
};
use diesel::prelude::*;
use perch::{
    db::{
        models::*,
        queries::{media as media_rows, objects},
        schema,
    },
    domain::Visibility,
    error::Error,
    services::{import, publish},
};
use std::path::{Path, PathBuf};

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/import")
        .join(name)
}

/// The local posts, oldest first.
async fn local_posts(app: &TestApp) -> Vec<DbObject> {
    app.query(|c| {
        use schema::objects::dsl::*;
        Ok(objects
            .filter(local.eq(true))
            .order(published.asc())
            .select(DbObject::as_select())
            .load(c)?)
    })
    .await
}

/// How many objects, activities and deliveries of a `Create` there are.
async fn count_rows(app: &TestApp) -> (i64, i64, i64) {
    app.query(|c| {
        use schema::{activities, deliveries};
        Ok((
            schema::objects::table.count().get_result(c)?,
            activities::table.count().get_result(c)?,
            deliveries::table
                .inner_join(activities::table)
                .filter(activities::kind.eq("Create"))
                .count()
                .get_result(c)?,
        ))
    })
    .await
}

/// `published` of each Create on the outbox's first page, in order; checks that the Create
/// and its object agree.
async fn outbox_dates(app: &TestApp) -> Vec<String> {
    let (_, page) = get_json(&app.url("/users/me/outbox?page=1")).await;
    page["orderedItems"]
        .as_array()
        .unwrap()
        .iter()
        .map(|item| {
            assert_eq!(item["published"], item["object"]["published"]);
            item["published"].as_str().unwrap().to_owned()
        })
        .collect()
}

/// Publishes a note now and waits until the follower has it; afterwards, anything queued
/// before it would have arrived too.
async fn live_note(author: &TestApp, follower: &TestApp, text: &str) -> String {
    let note = publish::note(&author.app.data(), text, Visibility::Public)
        .await
        .unwrap();
    let id = note.post.ap_id.clone();
    eventually("the follower has the live note", || {
        let id = id.clone();
        async move { follower.query(move |c| objects::by_ap_id(c, &id)).await }
    })
    .await;
    note.post.ap_id
}

/// Which of `author`'s posts the follower stored.
async fn received_from(follower: &TestApp, author: &TestApp) -> Vec<String> {
    let mut ids = Vec::new();
    for post in local_posts(author).await {
        let id = post.ap_id.clone();
        if follower
            .query(move |c| objects::by_ap_id(c, &id))
            .await
            .is_some()
        {
            ids.push(post.ap_id);
        }
    }
    ids
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_markdown_folder_imported_twice_gives_each_post_once_with_its_date_and_sends_nothing() {
    let a = spawn_app().await;
    let f = spawn_app().await;
    following(&f, &a).await;
    let before = live_note(&a, &f, seed::NOTE_COMMENTS).await;

    let first = import::import(&a.app.data(), &fixture("markdown"), false)
        .await
        .unwrap();
    assert_eq!(
        (first.articles, first.notes, first.drafts),
        (1, 2, 1),
        "{first}"
    );
    assert_eq!(first.deliveries, 0);
    let again = import::import(&a.app.data(), &fixture("markdown"), false)
        .await
        .unwrap();
    assert_eq!(
        (again.imported(), again.already_imported),
        (0, 3),
        "{again}"
    );

    let posts = local_posts(&a).await;
    assert_eq!(posts.len(), 4, "three imported posts and the live note");
    let article = posts.iter().find(|p| p.kind == "Article").unwrap();
    assert_eq!(article.slug.as_deref(), Some("kafka-summit"));
    assert_eq!(article.source_key.as_deref(), Some("markdown:kafka-summit"));
    let (_, json) = get_json(&article.ap_id).await;
    assert_eq!(json["name"], "Notes from the First Kafka Summit");
    assert_eq!(json["published"], "2016-07-12T12:00:00Z");
    assert!(json["content"]
        .as_str()
        .unwrap()
        .contains("<h2>Kafka Streams</h2>"));
    let note = posts
        .iter()
        .find(|p| p.source_key.as_deref() == Some("markdown:notes/2016-07-16-architecting.md"))
        .unwrap();
    let (_, json) = get_json(&note.ap_id).await;
    assert_eq!(json["type"], "Note");
    assert_eq!(json["published"], "2016-07-16T12:30:00Z");
    assert!(json["content"]
        .as_str()
        .unwrap()
        .contains("<em>“architecting”</em>"));
    assert_eq!(json["tag"][0]["name"], "#words");

    let dates = outbox_dates(&a).await;
    assert_eq!(dates.len(), 4);
    assert!(
        dates[0].starts_with("20") && dates[0] > dates[1],
        "{dates:?}"
    );
    assert_eq!(
        dates[1..],
        [
            "2016-07-16T12:30:00Z",
            "2016-07-12T12:00:00Z",
            "2016-07-08T10:15:00Z"
        ]
    );

    // Only the live notes were queued; the follower got them and nothing else.
    let after = live_note(&a, &f, seed::NOTE_MENTION).await;
    assert_eq!(count_rows(&a).await.2, 2);
    assert_eq!(received_from(&f, &a).await, [before, after]);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_mastodon_archive_imported_twice_gives_each_post_once_with_its_date_and_sends_nothing() {
    let a = spawn_app().await;
    let f = spawn_app().await;
    following(&f, &a).await;
    let dir = tempfile::tempdir().unwrap();
    let archive = archive_with_media(dir.path());

    let first = import::import(&a.app.data(), &archive, false)
        .await
        .unwrap();
    assert_eq!(
        (
            first.notes,
            first.articles,
            first.replies_and_boosts,
            first.unsupported
        ),
        (5, 0, 2, 0),
        "{first}"
    );
    assert_eq!(
        (
            first.attachments,
            first.attachments_refused,
            first.attachments_missing
        ),
        (2, 1, 0),
        "two images imported, the video left behind: {first}"
    );
    assert!(first.to_string().contains("images imported: 2"), "{first}");
    let again = import::import(&a.app.data(), &archive, false)
        .await
        .unwrap();
    assert_eq!(
        (again.imported(), again.already_imported),
        (0, 5),
        "{again}"
    );
    assert_eq!(
        again.attachments, 0,
        "nothing uploaded for posts already there"
    );
    // The archive as Mastodon hands it out, zipped: the same posts, so nothing new.
    let zipped = dir.path().join("archive-20160726-0123abcd.zip");
    zip_dir(&archive, &zipped);
    let from_zip = import::import(&a.app.data(), &zipped, false).await.unwrap();
    assert_eq!(
        (from_zip.imported(), from_zip.already_imported),
        (0, 5),
        "{from_zip}"
    );

    let posts = local_posts(&a).await;
    assert_eq!(posts.len(), 5);
    let by_key = |n: u8| {
        let key =
            format!("mastodon:https://mastodon.example/users/ben/statuses/9620000000000000{n}");
        posts
            .iter()
            .find(|p| p.source_key.as_deref() == Some(key.as_str()))
            .unwrap()
    };
    let cw = by_key(3);
    assert_eq!(cw.summary.as_deref(), Some("news: civilian deaths"));
    assert!(cw.sensitive);
    let (_, json) = get_json(&cw.ap_id).await;
    assert_eq!(json["published"], "2016-07-20T09:12:00Z");
    assert_eq!(json["summary"], "news: civilian deaths");
    assert_eq!(json["tag"][0]["href"], a.url("/tags/syria"));
    assert!(
        json["content"]
            .as_str()
            .unwrap()
            .contains("<a href=\"https://mastodon.example/tags/syria\" class=\"mention hashtag\""),
        "the HTML is kept as written"
    );
    let mut tags: Vec<String> = a
        .query(|c| {
            Ok(schema::hashtags::table
                .select(schema::hashtags::name)
                .load(c)?)
        })
        .await;
    tags.sort();
    assert_eq!(tags, ["serverless", "syria"]);

    // The photo, stripped of its metadata, with its alt text; the image-only post too.
    let photo = by_key(1);
    assert_eq!(photo.visibility, "unlisted");
    let id = photo.id;
    let media = a.query(move |c| media_rows::for_object(c, id)).await;
    assert_eq!(media.len(), 1);
    assert_eq!(media[0].media_type, "image/jpeg");
    assert_eq!(
        media[0].description.as_deref(),
        Some("Boats moored in Greenwich harbour at dusk")
    );
    let dir_of_media = perch::media::media_dir(&a.app.state().settings.server.data_dir);
    let stored = std::fs::read(dir_of_media.join(media[0].file_name.as_deref().unwrap())).unwrap();
    assert!(!stored.windows(6).any(|w| w == b"CAM-SN"), "EXIF stripped");
    let (_, json) = get_json(&photo.ap_id).await;
    assert_eq!(
        json["attachment"][0]["name"],
        "Boats moored in Greenwich harbour at dusk"
    );
    let image_only = by_key(7);
    assert_eq!(image_only.content, "");
    let id = image_only.id;
    let media = a.query(move |c| media_rows::for_object(c, id)).await;
    assert_eq!(media[0].media_type, "image/png");
    let all_media: i64 = a
        .query(|c| Ok(schema::media::table.count().get_result(c)?))
        .await;
    assert_eq!(all_media, 2, "no upload left over from the imports again");

    assert_eq!(
        outbox_dates(&a).await,
        [
            "2016-07-26T07:55:00Z",
            "2016-07-25T16:40:00Z",
            "2016-07-20T09:12:00Z",
            "2016-07-01T14:03:11Z",
            "2016-06-28T19:02:41Z"
        ]
    );

    let after = live_note(&a, &f, seed::NOTE_COMMENTS).await;
    assert_eq!(count_rows(&a).await.2, 1, "only the live note was queued");
    assert_eq!(received_from(&f, &a).await, [after]);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_announced_import_reaches_the_follower_with_the_original_dates() {
    let a = spawn_app().await;
    let f = spawn_app().await;
    following(&f, &a).await;
    // The fixture folder as it is: its media files are missing.
    let summary = import::import(&a.app.data(), &fixture("mastodon"), true)
        .await
        .unwrap();
    assert_eq!(
        (
            summary.notes,
            summary.deliveries,
            summary.attachments_missing,
            summary.unsupported
        ),
        (4, 4, 3, 1),
        "the image-only post has nothing left: {summary}"
    );
    assert!(summary
        .to_string()
        .contains("attachments missing from the archive: 3"));
    for post in local_posts(&a).await {
        let id = post.ap_id.clone();
        let copy = eventually("the follower stores the announced post", || {
            let id = id.clone();
            let f = &f;
            async move { f.query(move |c| objects::by_ap_id(c, &id)).await }
        })
        .await;
        assert_eq!(copy.published, post.published);
        assert!(copy.published.to_string().starts_with("2016-0"));
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_uploads_of_a_post_not_written_are_removed_again() {
    let a = spawn_app().await;
    let dir = tempfile::tempdir().unwrap();
    let archive = archive_with_media(dir.path());
    // The photo post twice: the second copy's photo is uploaded, then its post is skipped.
    let outbox = archive.join("outbox.json");
    let mut json: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&outbox).unwrap()).unwrap();
    let items = json["orderedItems"].as_array_mut().unwrap();
    items.push(items[0].clone());
    std::fs::write(&outbox, json.to_string()).unwrap();

    let summary = import::import(&a.app.data(), &archive, false)
        .await
        .unwrap();
    assert_eq!(
        (summary.notes, summary.already_imported),
        (5, 1),
        "{summary}"
    );
    let rows: Vec<DbMedia> = a
        .query(|c| Ok(schema::media::table.select(DbMedia::as_select()).load(c)?))
        .await;
    assert_eq!(rows.len(), 2);
    assert!(rows.iter().all(|m| m.object_id.is_some()));
    let dir_of_media = perch::media::media_dir(&a.app.state().settings.server.data_dir);
    let files = std::fs::read_dir(dir_of_media).unwrap().count();
    assert_eq!(files, 2, "the duplicate's file is gone too");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_bad_front_matter_date_names_the_file_and_line_and_imports_nothing() {
    let a = spawn_app().await;
    let dir = tempfile::tempdir().unwrap();
    copy_dir(&fixture("markdown"), dir.path());
    // Sorted after the good files, so that they were read (and would have been imported).
    let bad = dir.path().join("zz-bad.md");
    std::fs::write(
        &bad,
        "---\ntitle: Broken\ndate: the ides of March\n---\nText\n",
    )
    .unwrap();

    let err = import::import(&a.app.data(), dir.path(), false)
        .await
        .unwrap_err();
    match &err {
        Error::Import { file, line, .. } => {
            assert_eq!(Path::new(file), bad);
            assert_eq!(*line, Some(3));
        }
        other => panic!("not an import error: {other}"),
    }
    assert!(err.to_string().contains("zz-bad.md, line 3: date"), "{err}");
    assert_eq!(count_rows(&a).await, (0, 0, 0));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn broken_json_in_outbox_json_names_the_file_and_line_and_imports_nothing() {
    let a = spawn_app().await;
    let good = std::fs::read_to_string(fixture("mastodon/outbox.json")).unwrap();
    let line_of =
        |text: &str, wanted: &str| text.lines().position(|l| l.contains(wanted)).unwrap() + 1;
    // A comma gone: the error is where the next key starts.
    let announce = "\"type\": \"Announce\",";
    let syntax = good.replacen(announce, "\"type\": \"Announce\"", 1);
    let syntax_line = line_of(&good, announce) + 1;
    // Well-formed JSON, but a note id that is no URL, in the last item.
    let object_id = "\"id\": \"https://mastodon.example/users/ben/statuses/96200000000000006\",";
    let semantic = good.replacen(object_id, "\"id\": \"not a url\",", 1);
    let semantic_line = line_of(&good, object_id);

    for (text, wanted_line) in [(syntax, syntax_line), (semantic, semantic_line)] {
        let dir = tempfile::tempdir().unwrap();
        let outbox = dir.path().join("outbox.json");
        std::fs::write(&outbox, text).unwrap();
        let err = import::import(&a.app.data(), dir.path(), false)
            .await
            .unwrap_err();
        match &err {
            Error::Import { file, line, .. } => {
                assert_eq!(Path::new(file), outbox);
                assert_eq!(*line, Some(wanted_line), "{err}");
            }
            other => panic!("not an import error: {other}"),
        }
        assert!(
            err.to_string()
                .contains(&format!("outbox.json, line {wanted_line}")),
            "{err}"
        );
    }
    assert_eq!(count_rows(&a).await, (0, 0, 0));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_atom_feed_gives_articles_and_notes_once_with_their_dates() {
    let a = spawn_app().await;
    let first = import::import(&a.app.data(), &fixture("feed.atom"), false)
        .await
        .unwrap();
    assert_eq!((first.articles, first.notes), (1, 2), "{first}");
    let again = import::import(&a.app.data(), &fixture("feed.atom"), false)
        .await
        .unwrap();
    assert_eq!((again.imported(), again.already_imported), (0, 3));

    let posts = local_posts(&a).await;
    let dates: Vec<String> = posts
        .iter()
        .map(|p| p.published.and_utc().to_rfc3339())
        .collect();
    assert_eq!(
        dates,
        [
            "2016-07-05T21:10:00+00:00",
            "2016-07-12T12:00:00+00:00",
            "2016-07-18T09:01:00+00:00"
        ]
    );
    let (podcast, article, monday) = (&posts[0], &posts[1], &posts[2]);
    assert_eq!(article.kind, "Article");
    assert_eq!(
        article.name.as_deref(),
        Some("Notes from the First Kafka Summit")
    );
    assert_eq!(
        article.slug.as_deref(),
        Some("notes-from-the-first-kafka-summit")
    );
    let (_, json) = get_json(&article.ap_id).await;
    let tags: Vec<&str> = json["tag"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["name"].as_str().unwrap())
        .collect();
    assert_eq!(tags, ["#kafka", "#stream_processing"]);
    assert!(article.content.contains("<h2>Beam</h2>"));
    assert_eq!(podcast.kind, "Note");
    assert!(podcast
        .content
        .starts_with("<p><strong>Only Human: I Thought the Truth Would Be Enough</strong></p>"));
    assert_eq!(monday.content, "<p>WTF, Monday?</p>", "no title repeated");
}

#[test]
fn the_command_line_imports_once_and_names_a_bad_file() {
    let data = tempfile::tempdir().unwrap();
    let run = |path: &Path| {
        perch(data.path(), "localhost:8080")
            .arg("import")
            .arg(path)
            .output()
            .unwrap()
    };
    let first = ok(run(&fixture("markdown")));
    assert!(
        first.contains("imported 3 posts from a Markdown folder (articles 1, notes 2)"),
        "{first}"
    );
    assert!(first.contains("drafts skipped: 1"), "{first}");
    let again = ok(run(&fixture("markdown")));
    assert!(again.contains("imported 0 posts"), "{again}");
    assert!(again.contains("skipped as already imported: 3"), "{again}");

    let broken = tempfile::tempdir().unwrap();
    std::fs::write(broken.path().join("bad.md"), "---\ndate: soon\n---\nx\n").unwrap();
    let failed = run(broken.path());
    assert!(!failed.status.success());
    let stderr = String::from_utf8_lossy(&failed.stderr);
    assert!(stderr.contains("bad.md, line 2: date `soon`"), "{stderr}");
}

/// A copy of the Mastodon fixture with its media files where the archive keeps them: the
/// photo (a JPEG with EXIF), the image of the image-only post (a PNG), and bytes that stand
/// in for the video.
fn archive_with_media(dir: &Path) -> PathBuf {
    let archive = dir.join("archive");
    std::fs::create_dir_all(&archive).unwrap();
    copy_dir(&fixture("mastodon"), &archive);
    let files = archive.join("media_attachments/files/096/200/000/000/000");
    let put = |path: &str, bytes: &[u8]| {
        let path = files.join(path);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, bytes).unwrap();
    };
    put(
        "001/original/3f2a9c1e5b7d4a60.jpg",
        &crate::media::jpeg_with_exif(),
    );
    put(
        "002/original/8c41d07e2a9b5f13.mp4",
        b"\0\0\0\x18ftypmp42 not a real video",
    );
    let mut png = Vec::new();
    image::RgbImage::from_pixel(8, 8, image::Rgb([200, 180, 40]))
        .write_to(&mut std::io::Cursor::new(&mut png), image::ImageFormat::Png)
        .unwrap();
    put("003/original/ClvdewOXIAA4vrd.png", &png);
    archive
}

/// Zips `dir` as Mastodon zips an archive: paths relative to its root.
fn zip_dir(dir: &Path, to: &Path) {
    use std::io::Write;
    fn add(zip: &mut zip::ZipWriter<std::fs::File>, root: &Path, dir: &Path) {
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                add(zip, root, &path);
            } else {
                let name = path.strip_prefix(root).unwrap().to_string_lossy();
                zip.start_file(name, zip::write::SimpleFileOptions::default())
                    .unwrap();
                zip.write_all(&std::fs::read(&path).unwrap()).unwrap();
            }
        }
    }
    let mut zip = zip::ZipWriter::new(std::fs::File::create(to).unwrap());
    add(&mut zip, dir, dir);
    zip.finish().unwrap();
}

fn copy_dir(from: &Path, to: &Path) {
    for entry in std::fs::read_dir(from).unwrap() {
        let path = entry.unwrap().path();
        let target = to.join(path.file_name().unwrap());
        if path.is_dir() {
            std::fs::create_dir_all(&target).unwrap();
            copy_dir(&path, &target);
        } else {
            std::fs::copy(&path, &target).unwrap();
        }
    }
}
