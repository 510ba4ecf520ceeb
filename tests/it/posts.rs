//! Notes and articles as followers' servers see them: Markdown articles, mentions and
//! hashtags, visibility, edits and deletes.

use crate::support::{eventually, following, get_json, seed, spawn_app, spawn_app_with, TestApp};
use perch::{
    db::{
        models::*,
        queries::{activities, deliveries, objects},
    },
    domain::Visibility,
    services::{edit, publish},
};
use serde_json::Value;

async fn stored(at: &TestApp, ap_id: &str) -> Option<DbObject> {
    let id = ap_id.to_owned();
    at.query(move |c| objects::by_ap_id(c, &id)).await
}

async fn inboxes_of(app: &TestApp, activity: i64) -> Vec<String> {
    let mut v: Vec<String> = app
        .query(move |c| deliveries::for_activity(c, activity))
        .await
        .into_iter()
        .map(|d| d.inbox)
        .collect();
    v.sort();
    v
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_seed_article_becomes_an_article_that_a_follower_stores() {
    let a = spawn_app().await;
    let b = spawn_app().await;
    following(&b, &a).await;
    let markdown = format!(
        "---\ntags: [kafka, conferences]\nslug: kafka-summit\ndate: 2016-07-12\n---\n{}",
        seed::ARTICLE
    );
    let article = publish::article(&a.app.data(), &markdown, Visibility::Public)
        .await
        .unwrap();
    let (status, json) = get_json(&article.post.ap_id).await;
    assert_eq!(status, 200);
    assert_eq!(json["type"], "Article");
    assert_eq!(json["name"], "Notes from the First Kafka Summit");
    assert!(json["summary"]
        .as_str()
        .unwrap()
        .starts_with("I learned a lot at the first Kafka Summit"));
    let content = json["content"].as_str().unwrap();
    assert!(content.contains("<h2>High-level summary</h2>"), "{content}");
    assert!(
        content.contains("<li>But:\n<ul>\n<li>it still has some rough edges"),
        "nested list: {content}"
    );
    assert_eq!(json["url"], article.post.ap_id);
    assert!(json["published"]
        .as_str()
        .unwrap()
        .starts_with("2016-07-12"));
    let tags: Vec<&str> = json["tag"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["name"].as_str().unwrap())
        .collect();
    assert_eq!(tags, ["#kafka", "#conferences"]);
    assert_eq!(json["tag"][0]["href"], a.url("/tags/kafka"));
    assert_eq!(article.post.slug.as_deref(), Some("kafka-summit"));

    let copy = eventually("B stores the article", || stored(&b, &article.post.ap_id)).await;
    assert_eq!(copy.kind, "Article");
    assert_eq!(
        copy.name.as_deref(),
        Some("Notes from the First Kafka Summit")
    );
    assert_eq!(copy.summary, json["summary"].as_str().map(str::to_owned));
    assert_eq!(copy.url.as_deref(), Some(article.post.ap_id.as_str()));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_article_can_go_out_as_a_teaser_note() {
    let a = spawn_app_with(&[("publishing.articles_as", "note".into())]).await;
    let article = publish::article(&a.app.data(), seed::ARTICLE, Visibility::Public)
        .await
        .unwrap();
    let (_, json) = get_json(&article.post.ap_id).await;
    assert_eq!(json["type"], "Note");
    assert!(
        json["summary"].is_null(),
        "no content warning on the teaser"
    );
    let content = json["content"].as_str().unwrap();
    assert!(
        content.starts_with("<p><strong>Notes from the First Kafka Summit</strong></p>"),
        "{content}"
    );
    assert!(content.contains(&format!("<a href=\"{0}\">{0}</a>", article.post.ap_id)));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_mention_reaches_the_mentioned_instance_and_a_hashtag_is_tagged() {
    let a = spawn_app().await;
    let m = spawn_app().await;
    let text = format!("{} cc @{} #Kafka", seed::NOTE_MENTION, m.handle());
    let note = publish::note(&a.app.data(), &text, Visibility::Public)
        .await
        .unwrap();
    assert_eq!(inboxes_of(&a, note.activity.id).await, [m.url("/inbox")]);

    let (_, json) = get_json(&note.post.ap_id).await;
    let tags = json["tag"].as_array().unwrap();
    assert!(tags.iter().any(|t| t["type"] == "Mention"
        && t["href"] == m.actor_url()
        && t["name"] == format!("@{}", m.handle())));
    assert!(tags.iter().any(|t| t["type"] == "Hashtag"
        && t["name"] == "#kafka"
        && t["href"] == a.url("/tags/kafka")));
    assert!(json["cc"]
        .as_array()
        .unwrap()
        .contains(&Value::String(m.actor_url())));
    let content = json["content"].as_str().unwrap();
    assert!(
        content.contains(&format!(
            "href=\"{}\" class=\"u-url mention\"",
            m.url("/@me")
        )),
        "{content}"
    );
    assert!(
        content.contains("@apachekafka"),
        "a handle without a host stays text"
    );

    let create_id = note.activity.ap_id.clone();
    let m = &m;
    eventually("the mentioned instance received the Create", || {
        let id = create_id.clone();
        async move { m.query(move |c| activities::by_ap_id(c, &id)).await }
    })
    .await;
    let tagged: Vec<String> = a
        .query(|c| {
            use diesel::prelude::*;
            Ok(perch::db::schema::hashtags::table
                .select(perch::db::schema::hashtags::name)
                .load::<String>(c)?)
        })
        .await;
    assert_eq!(tagged, ["kafka"]);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn followers_only_and_direct_posts_reach_only_their_audience() {
    let a = spawn_app().await;
    let f = spawn_app().await;
    let m = spawn_app().await;
    following(&f, &a).await;

    let private = publish::note(
        &a.app.data(),
        &format!("for followers and @{}", m.handle()),
        Visibility::Private,
    )
    .await
    .unwrap();
    assert_eq!(inboxes_of(&a, private.activity.id).await, {
        let mut v = vec![f.url("/inbox"), m.url("/inbox")];
        v.sort();
        v
    });
    let direct = publish::note(
        &a.app.data(),
        &format!("only for @{}", m.handle()),
        Visibility::Direct,
    )
    .await
    .unwrap();
    assert_eq!(
        inboxes_of(&a, direct.activity.id).await,
        [m.url("/users/me/inbox")]
    );
    let (_, json) = get_json(&direct.activity.ap_id).await;
    assert!(json.is_null(), "a direct Create is not served");

    for post in [&private.post, &direct.post] {
        let (status, _) = get_json(&post.ap_id).await;
        assert_eq!(status, 404, "{}", post.visibility);
    }
    let (_, outbox) = get_json(&a.url("/users/me/outbox?page=1")).await;
    assert_eq!(outbox["totalItems"], 0);
    let stored_at_f = eventually("the follower stores the followers-only note", || {
        stored(&f, &private.post.ap_id)
    })
    .await;
    assert_eq!(stored_at_f.visibility, "private");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_edit_reaches_the_follower_and_a_delete_leaves_a_tombstone() {
    let a = spawn_app().await;
    let b = spawn_app().await;
    following(&b, &a).await;
    let note = publish::note(
        &a.app.data(),
        "Fucking horrible. Fuck. Fuck!",
        Visibility::Public,
    )
    .await
    .unwrap();
    eventually("B stores the note", || stored(&b, &note.post.ap_id)).await;
    let (_, outbox) = get_json(&a.url("/users/me/outbox")).await;
    assert_eq!(outbox["totalItems"], 1);

    let edited = edit::edit(
        &a.app.data(),
        &note.post.ap_id,
        "Horrible. Truly horrible.",
        false,
    )
    .await
    .unwrap();
    assert!(edited.updated.is_some());
    let id = note.post.id;
    let history = a.query(move |c| objects::versions(c, id)).await;
    assert_eq!(history.len(), 1);
    assert_eq!(history[0].content, "<p>Fucking horrible. Fuck. Fuck!</p>");
    let copy = eventually("B replaces the text", || async {
        stored(&b, &note.post.ap_id)
            .await
            .filter(|o| o.content.contains("Truly horrible"))
    })
    .await;
    assert!(copy.updated.is_some());
    let (_, json) = get_json(&note.post.ap_id).await;
    assert_eq!(json["content"], "<p>Horrible. Truly horrible.</p>");
    assert!(json["updated"].is_string());

    let public_id = note.post.public_id.clone().unwrap();
    edit::delete(&a.app.data(), &public_id).await.unwrap();
    eventually("B drops the note", || async {
        stored(&b, &note.post.ap_id).await.is_none().then_some(())
    })
    .await;
    let (status, json) = get_json(&note.post.ap_id).await;
    assert_eq!(status, 410);
    assert_eq!(json["type"], "Tombstone");
    assert_eq!(json["formerType"], "Note");
    let (_, outbox) = get_json(&a.url("/users/me/outbox")).await;
    assert_eq!(outbox["totalItems"], 0);
    let again = edit::edit(&a.app.data(), &public_id, "zombie", false).await;
    assert!(matches!(again, Err(perch::error::Error::NotFound)));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_photo_reaches_the_follower_with_its_alt_text_and_without_its_exif() {
    let a = spawn_app().await;
    let b = spawn_app().await;
    following(&b, &a).await;
    let photo = crate::media::jpeg_with_exif();
    assert!(photo.windows(4).any(|w| w == b"Exif"));
    let upload = perch::services::media::upload(
        a.app.state(),
        photo,
        Some("Harbour at dusk, boats in a row".into()),
    )
    .await
    .unwrap();
    let mut new = publish::NewPost::note("Evening walk 🌅 #photo", Visibility::Public);
    new.media_ids = vec![upload.id];
    let note = publish::publish(&a.app.data(), new).await.unwrap();

    let copy = eventually("B stores the photo post", || stored(&b, &note.post.ap_id)).await;
    let media = b
        .query(move |c| perch::db::queries::media::for_object(c, copy.id))
        .await;
    assert_eq!(media.len(), 1);
    assert_eq!(
        media[0].description.as_deref(),
        Some("Harbour at dusk, boats in a row")
    );
    assert_eq!(media[0].media_type, "image/jpeg");
    let url = media[0].remote_url.clone().unwrap();
    assert!(url.starts_with(&a.url("/media/")), "{url}");
    let bytes = a.get(&url).await.bytes().await.unwrap();
    assert!(
        !bytes.windows(4).any(|w| w == b"Exif"),
        "EXIF is gone from what is served"
    );
    let (_, json) = get_json(&note.post.ap_id).await;
    assert_eq!(
        json["attachment"][0]["name"],
        "Harbour at dusk, boats in a row"
    );
    assert!(json["attachment"][0]["blurhash"].is_string());
}
