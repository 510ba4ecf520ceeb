//! `perch db copy`: a live author's database (posts, an edit, comments, a follower, a like,
//! media, tokens, the queue) copied to SQLite → PostgreSQL → SQLite, every table compared row
//! by row with the original at each stop, and perch run on the PostgreSQL copy. Without a
//! PostgreSQL server (the suite's first pass) that stop is one more SQLite file.

use crate::{
    cli::ok,
    support::{database, eventually, following, seed, spawn_app, TestApp},
};
use perch::{
    db::{copy, Db, Location},
    domain::Visibility,
    services::{edit, publish, react},
};
use std::process::Command;

/// A's data after a little life: B follows and replies, A edits, likes, uploads.
async fn lived_in() -> (TestApp, TestApp) {
    let a = spawn_app().await;
    let b = spawn_app().await;
    following(&b, &a).await;
    let article = publish::article(&a.app.data(), seed::ARTICLE, Visibility::Public)
        .await
        .unwrap()
        .post;
    let note = publish::note(&a.app.data(), seed::NOTE_COMMENTS, Visibility::Public)
        .await
        .unwrap()
        .post;
    let edited = format!("{} (edited)", seed::NOTE_COMMENTS);
    edit::edit(&a.app.data(), &note.ap_id, &edited, false)
        .await
        .unwrap();
    let mut reply = publish::NewPost::note(
        "Great notes! The replication defaults bit us too.",
        Visibility::Public,
    );
    reply.in_reply_to = Some(article.ap_id.clone());
    let reply = publish::publish(&b.app.data(), reply).await.unwrap().post;
    let id = reply.ap_id.clone();
    let comment = eventually("A has B's comment", || {
        let id = id.clone();
        async {
            a.query(move |c| perch::db::queries::objects::by_ap_id(c, &id))
                .await
        }
    })
    .await;
    react::favourite(&a.app.data(), comment.id).await.unwrap();
    perch::services::media::upload(a.app.state(), crate::media::jpeg_with_exif(), None)
        .await
        .unwrap();
    crate::support::register_app(&a, "copy test").await;
    (a, b)
}

fn perch_copy(from: &str, to: &str) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_perch"))
        .env_clear()
        .env("PERCH__FEDERATION__DEBUG", "true")
        .args(["db", "copy", "--from", from, "--to", to])
        .output()
        .unwrap()
}

fn url(at: &Location) -> String {
    match at {
        Location::Sqlite(path) => path.display().to_string(),
        Location::Postgres(url) => url.clone(),
    }
}

async fn dump(at: &Location) -> Vec<(&'static str, Vec<String>)> {
    let db = Db::open(at, 1).unwrap();
    db.run(copy::dump).await.unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_database_copied_to_postgresql_and_back_is_the_same_row_for_row() {
    let (a, _b) = lived_in().await;
    let source = database::location(a.dir.path());
    let work = tempfile::tempdir().unwrap();
    let middle = match database::server() {
        Some(server) => Location::Postgres(database::create(&server)),
        None => Location::Sqlite(work.path().join("middle.db")),
    };
    let file = Location::Sqlite(work.path().join("file.db"));
    let back = Location::Sqlite(work.path().join("back.db"));
    let port = a.app.port;
    a.app.stop().await;

    // The instance's own database (SQLite, or PostgreSQL in the suite's second pass) to a
    // SQLite file, that to PostgreSQL, and back to SQLite.
    let first = dump(&source).await;
    let out = ok(perch_copy(&url(&source), &url(&file)));
    assert!(out.contains("every table's count checked"), "{out}");
    ok(perch_copy(&url(&file), &url(&middle)));
    ok(perch_copy(&url(&middle), &url(&back)));
    for stop in [&file, &middle, &back] {
        for ((table, rows), (_, there)) in first.iter().zip(&dump(stop).await) {
            assert_eq!(rows, there, "{table} differs in {}", stop.shown());
        }
    }
    let again = dump(&back).await;
    for table in [
        "actors",
        "objects",
        "object_versions",
        "follows",
        "reactions",
        "media",
    ] {
        let rows = first.iter().find(|(t, _)| *t == table).unwrap();
        assert!(!rows.1.is_empty(), "the test copied no {table}");
    }

    // A target with rows in it is refused, and left as it was.
    let refused = perch_copy(&url(&source), &url(&back));
    assert!(!refused.status.success());
    let said = String::from_utf8_lossy(&refused.stderr);
    assert!(said.contains("not empty"), "{said}");
    assert_eq!(dump(&back).await, again);

    // perch runs on the copy: the author's post is there, and a new one gets a new id.
    let settings = perch::config::Settings::loopback(
        work.path(),
        &[
            ("server.domain", format!("localhost:{port}").into()),
            ("database.url", url(&middle).into()),
        ],
    )
    .unwrap();
    let copy = perch::app::spawn(settings).await.unwrap();
    let next = publish::note(&copy.data(), "after the move", Visibility::Public)
        .await
        .unwrap();
    let objects = first.iter().find(|(t, _)| *t == "objects").unwrap();
    assert!(
        next.post.id > objects.1.len() as i64,
        "ids go on after the copied ones"
    );
    copy.stop().await;
}
