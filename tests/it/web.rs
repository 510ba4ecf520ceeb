//! The web pages and feeds as a browser and a feed reader see them: what is listed, what is
//! not (followers-only and direct posts), content negotiation at a post's URL, the security
//! headers, and feeds that a real parser (feed-rs) reads.

use crate::support::{http, seed, spawn_app, spawn_app_with, TestApp};
use perch::{
    db::schema::{hashtags, objects},
    domain::Visibility,
    services::publish::{self, Published},
};

const HTML: &str = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8";
const SECRET: &str = "for my followers only";

/// A page as a browser asks for it: (status, headers, body).
async fn browse(url: &str) -> (u16, reqwest::header::HeaderMap, String) {
    let res = http().get(url).header("Accept", HTML).send().await.unwrap();
    let status = res.status().as_u16();
    let headers = res.headers().clone();
    (status, headers, res.text().await.unwrap())
}

fn header<'a>(headers: &'a reqwest::header::HeaderMap, name: &str) -> &'a str {
    headers
        .get(name)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
}

fn assert_secure_html(headers: &reqwest::header::HeaderMap) {
    assert_eq!(header(headers, "content-type"), "text/html; charset=utf-8");
    let csp = header(headers, "content-security-policy");
    assert!(csp.contains("default-src 'none'"), "{csp}");
    assert!(csp.contains("frame-ancestors 'none'"), "{csp}");
    assert!(!csp.contains("script-src"), "{csp}");
    assert_eq!(header(headers, "x-content-type-options"), "nosniff");
    assert_eq!(
        header(headers, "referrer-policy"),
        "strict-origin-when-cross-origin"
    );
}

/// The seed article, a seed note, an unlisted note and a followers-only note.
async fn publish_seed(app: &TestApp) -> (Published, Published, Published, Published) {
    let s = &app.app.data();
    let article = publish::article(s, seed::ARTICLE, Visibility::Public)
        .await
        .unwrap();
    let note = publish::note(s, seed::NOTE_COMMENTS, Visibility::Public)
        .await
        .unwrap();
    let unlisted = publish::note(s, "A quiet unlisted note", Visibility::Unlisted)
        .await
        .unwrap();
    let private = publish::note(s, SECRET, Visibility::Private).await.unwrap();
    (article, note, unlisted, private)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn home_archive_and_post_pages_show_what_is_public_and_nothing_else() {
    let app = spawn_app().await;
    let (article, _note, _unlisted, private) = publish_seed(&app).await;

    let (status, headers, home) = browse(&app.url("/")).await;
    assert_eq!(status, 200);
    assert_secure_html(&headers);
    assert!(home.contains("Notes from the First Kafka Summit"), "{home}");
    assert!(home.contains("I learned a lot at the first Kafka Summit"));
    assert!(home.contains("Read more"));
    assert!(home.contains("got a useful comment. 🤔"));
    assert!(home.contains("A quiet unlisted note"));
    assert!(!home.contains(SECRET));
    assert!(home.contains(&format!("@{}", app.handle())));
    assert!(home.contains("<strong>3</strong> posts"), "{home}");
    assert!(home.contains(r#"type="application/atom+xml""#));
    assert!(home.contains(r#"type="application/feed+json""#));
    assert!(home.contains(r#"<meta property="og:title""#));
    assert!(home.contains(r#"<meta name="twitter:card""#));
    assert!(home.contains(r#"href="/static/style.css?v="#));
    assert!(!home.contains("<script"));

    let (status, _, archive) = browse(&app.url("/archive")).await;
    assert_eq!(status, 200);
    assert!(archive.contains("Notes from the First Kafka Summit"));
    assert!(archive.contains("I’ve been thinking about migrating my (insignificant) blog"));
    assert!(!archive.contains(SECRET));

    // The article's page: title, the nested lists, the comments section with the reply hint.
    let ap_id = &article.post.ap_id;
    let (status, headers, page) = browse(ap_id).await;
    assert_eq!(status, 200);
    assert_secure_html(&headers);
    assert_eq!(header(&headers, "vary"), "Accept");
    assert!(page.contains("<h1 id=\"entry-title\">Notes from the First Kafka Summit</h1>"));
    let nested = page.find("<li>But:").expect("the outer item");
    let inner = page[nested..].find("<ul>").expect("a nested list") + nested;
    assert!(page[inner..].contains("<li>it still has some rough edges"));
    assert!(page.contains("No comments yet"));
    assert!(page.contains("paste this post's URL into your Mastodon search box and reply there"));
    assert!(page.contains(&format!(r#"readonly value="{ap_id}""#)));
    assert!(page.contains(&format!(
        r#"<link rel="alternate" type="application/activity+json" href="{ap_id}">"#
    )));
    assert!(page.contains(r#"<meta property="og:type" content="article">"#));
    assert!(page.contains("<time datetime=\""));

    // Content negotiation: the same URL gives ActivityPub clients JSON.
    let res = app.get_as(ap_id, "application/activity+json").await;
    assert_eq!(res.status(), 200);
    assert!(header(res.headers(), "content-type").starts_with("application/activity+json"));
    let json: serde_json::Value = res.json().await.unwrap();
    assert_eq!(json["type"], "Article");
    assert_eq!(json["name"], "Notes from the First Kafka Summit");

    // A followers-only post has no page, in HTML or JSON.
    let (status, headers, body) = browse(&private.post.ap_id).await;
    assert_eq!(status, 404);
    assert_secure_html(&headers);
    assert!(body.contains("Not found") && !body.contains(SECRET));
    let res = app
        .get_as(&private.post.ap_id, "application/activity+json")
        .await;
    assert_eq!(res.status(), 404);

    // Unknown addresses are HTML 404 pages too.
    let (status, headers, _) = browse(&app.url("/no/such/page")).await;
    assert_eq!(status, 404);
    assert_secure_html(&headers);
    let (status, _, _) = browse(&app.url("/@someone-else")).await;
    assert_eq!(status, 404);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_atom_and_json_feeds_parse_and_carry_the_public_posts() {
    let app = spawn_app().await;
    let (article, note, unlisted, private) = publish_seed(&app).await;

    let res = app.get("/feed.atom").await;
    assert_eq!(res.status(), 200);
    assert_eq!(
        header(res.headers(), "content-type"),
        "application/atom+xml; charset=utf-8"
    );
    let atom = feed_rs::parser::parse(&res.bytes().await.unwrap()[..]).unwrap();
    assert_eq!(atom.feed_type, feed_rs::model::FeedType::Atom);
    let ids: Vec<&str> = atom.entries.iter().map(|e| e.id.as_str()).collect();
    assert_eq!(
        ids,
        [
            unlisted.post.ap_id.as_str(),
            note.post.ap_id.as_str(),
            article.post.ap_id.as_str()
        ]
    );
    assert!(!ids.contains(&private.post.ap_id.as_str()));
    let entry = &atom.entries[2];
    assert_eq!(
        entry.title.as_ref().unwrap().content,
        "Notes from the First Kafka Summit"
    );
    assert!(entry
        .summary
        .as_ref()
        .unwrap()
        .content
        .starts_with("I learned a lot"));
    let content = entry.content.as_ref().unwrap().body.as_deref().unwrap();
    assert!(
        content.contains("<li>it still has some rough edges"),
        "{content}"
    );
    assert_eq!(entry.links[0].href, article.post.ap_id);
    assert!(entry.published.is_some());
    let note_title = &atom.entries[1].title.as_ref().unwrap().content;
    assert!(
        note_title.starts_with("I’ve been thinking about migrating"),
        "{note_title}"
    );

    let res = app.get("/feed.json").await;
    assert_eq!(res.status(), 200);
    assert_eq!(
        header(res.headers(), "content-type"),
        "application/feed+json"
    );
    let json = feed_rs::parser::parse(&res.bytes().await.unwrap()[..]).unwrap();
    assert_eq!(json.feed_type, feed_rs::model::FeedType::JSON);
    assert_eq!(json.title.as_ref().unwrap().content, "Me");
    let ids: Vec<&str> = json.entries.iter().map(|e| e.id.as_str()).collect();
    assert_eq!(ids.len(), 3);
    assert_eq!(ids[2], article.post.ap_id);
    assert!(!ids.contains(&private.post.ap_id.as_str()));
    assert_eq!(
        json.entries[2].title.as_ref().unwrap().content,
        "Notes from the First Kafka Summit"
    );
    assert!(json.entries[1].title.is_none(), "notes have no title");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn tag_pages_list_public_posts_with_the_hashtag() {
    let app = spawn_app().await;
    let s = &app.app.data();
    let tagged = publish::note(s, "Kafka all the way down", Visibility::Public)
        .await
        .unwrap();
    let quiet = publish::note(s, "Kafka, unlisted", Visibility::Unlisted)
        .await
        .unwrap();
    publish::note(s, "Not about it", Visibility::Public)
        .await
        .unwrap();
    let ids = [tagged.post.id, quiet.post.id];
    app.query(move |c| {
        use diesel::prelude::*;
        for id in ids {
            diesel::insert_into(hashtags::table)
                .values((hashtags::object_id.eq(id), hashtags::name.eq("kafka")))
                .execute(c)?;
        }
        Ok(())
    })
    .await;

    let (status, headers, page) = browse(&app.url("/tags/Kafka")).await;
    assert_eq!(status, 200);
    assert_secure_html(&headers);
    assert!(page.contains("Kafka all the way down"));
    assert!(
        !page.contains("Kafka, unlisted"),
        "unlisted stays off tag pages"
    );
    assert!(!page.contains("Not about it"));
    let (_, _, post) = browse(&tagged.post.ap_id).await;
    assert!(post.contains(&format!(
        r#"href="{}" rel="tag">#kafka"#,
        app.url("/tags/kafka")
    )));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn deleted_posts_are_gone_and_long_lists_are_paged() {
    let app = spawn_app().await;
    let s = &app.app.data();
    let mut last = None;
    for i in 1..=21 {
        last = Some(
            publish::note(s, &format!("note number {i}."), Visibility::Public)
                .await
                .unwrap(),
        );
    }
    let (_, _, first) = browse(&app.url("/")).await;
    assert!(first.contains("note number 21.") && !first.contains("note number 1."));
    assert!(first.contains(&format!(r#"href="{}" rel="next""#, app.url("/?page=2"))));
    let (status, _, second) = browse(&app.url("/?page=2")).await;
    assert_eq!(status, 200);
    assert!(second.contains("note number 1.") && second.contains("rel=\"prev\""));
    assert_eq!(browse(&app.url("/?page=3")).await.0, 404);
    assert_eq!(browse(&app.url("/?page=zero")).await.0, 404);

    let gone = last.unwrap().post;
    let id = gone.id;
    app.query(move |c| {
        use diesel::prelude::*;
        diesel::update(objects::table.find(id))
            .set(objects::deleted_at.eq(Some(perch::db::now())))
            .execute(c)?;
        Ok(())
    })
    .await;
    let (status, headers, body) = browse(&gone.ap_id).await;
    assert_eq!(status, 410);
    assert_secure_html(&headers);
    assert!(body.contains("deleted") && !body.contains("note number 21."));
    let (_, _, home) = browse(&app.url("/")).await;
    assert!(!home.contains("note number 21."));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_profile_page_links_the_authors_other_pages_with_rel_me() {
    let links = toml::Value::Array(vec!["https://mastodon.example/@me".into()]);
    let app = spawn_app_with(&[("actor.links", links)]).await;
    let (status, headers, page) = browse(&app.url("/@me")).await;
    assert_eq!(status, 200);
    assert_secure_html(&headers);
    assert!(page.contains(r#"<a rel="me" href="https://mastodon.example/@me">"#));
    assert!(page.contains(r#"<meta property="og:type" content="profile">"#));

    let res = app.get("/static/style.css").await;
    assert_eq!(res.status(), 200);
    assert_eq!(
        header(res.headers(), "content-type"),
        "text/css; charset=utf-8"
    );
    assert!(header(res.headers(), "cache-control").contains("max-age"));
    assert!(res
        .text()
        .await
        .unwrap()
        .contains("prefers-color-scheme: dark"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_html_page_carries_the_security_headers_once_and_other_answers_nosniff() {
    let app = spawn_app().await;
    let (article, note, _, private) = publish_seed(&app).await;
    for (url, status) in [
        (app.url("/"), 200),
        (app.url("/@me"), 200),
        (app.url("/archive"), 200),
        (app.url("/tags/kafka"), 200),
        (article.post.ap_id.clone(), 200),
        (note.post.ap_id.clone(), 200),
        (private.post.ap_id.clone(), 404),
        (app.url("/no/such/page"), 404),
        (app.url("/?page=zero"), 404),
    ] {
        let (got, headers, body) = browse(&url).await;
        assert_eq!(got, status, "{url}");
        assert!(!body.contains("<script"), "{url}");
        assert_secure_html(&headers);
        assert_eq!(header(&headers, "x-frame-options"), "DENY", "{url}");
        for name in [
            "content-security-policy",
            "x-content-type-options",
            "referrer-policy",
            "x-frame-options",
        ] {
            assert_eq!(headers.get_all(name).iter().count(), 1, "{url}: {name}");
        }
    }
    // What is not a page is not sniffed either, and carries no page policy.
    for url in [app.url("/feed.atom"), app.url("/static/style.css")] {
        let (_, headers, _) = browse(&url).await;
        assert_eq!(
            header(&headers, "x-content-type-options"),
            "nosniff",
            "{url}"
        );
        assert_eq!(header(&headers, "x-frame-options"), "", "{url}");
    }
    let res = app
        .get_as(&app.actor_url(), "application/activity+json")
        .await;
    assert_eq!(res.headers()["x-content-type-options"], "nosniff");
    assert!(res.headers().get("content-security-policy").is_none());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn head_requests_are_answered_as_get_without_a_body() {
    let app = crate::support::spawn_app().await;
    let client = reqwest::Client::new();
    for (path, status, kind) in [
        ("/", 200, "text/html"),
        ("/feed.atom", 200, "application/atom+xml"),
        ("/nowhere", 404, "text/html"),
    ] {
        let res = client.head(app.url(path)).send().await.unwrap();
        assert_eq!(res.status(), status, "{path}");
        let content_type = res.headers()["content-type"].to_str().unwrap().to_owned();
        assert!(content_type.starts_with(kind), "{path}: {content_type}");
        assert!(res.bytes().await.unwrap().is_empty(), "{path}");
    }
}
