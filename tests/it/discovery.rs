//! WebFinger, host-meta, NodeInfo and the actor document, checked field by field.

use crate::support::{http, seed, spawn_app, spawn_app_with};
use serde_json::Value;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn webfinger_finds_the_author_by_handle_and_by_actor_url() {
    let app = spawn_app().await;
    let domain = app.domain();
    for resource in [format!("acct:me@{domain}"), app.actor_url()] {
        let res = http()
            .get(app.url("/.well-known/webfinger"))
            .query(&[("resource", &resource)])
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), 200, "{resource}");
        assert_eq!(
            res.headers()["content-type"],
            "application/jrd+json; charset=utf-8"
        );
        let jrd: Value = res.json().await.unwrap();
        assert_eq!(jrd["subject"], format!("acct:me@{domain}"));
        let links = jrd["links"].as_array().unwrap();
        let self_link = links.iter().find(|l| l["rel"] == "self").unwrap();
        assert_eq!(self_link["type"], "application/activity+json");
        assert_eq!(self_link["href"], app.actor_url());
    }
    for unknown in [
        "acct:someone@elsewhere.example".to_owned(),
        format!("acct:other@{domain}"),
    ] {
        let res = http()
            .get(app.url("/.well-known/webfinger"))
            .query(&[("resource", unknown.as_str())])
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), 404, "{unknown}");
    }
    let res = app.get("/.well-known/webfinger").await;
    assert_eq!(res.status(), 400);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn host_meta_and_nodeinfo_describe_the_server() {
    let app = spawn_app().await;
    let xrd = app.get("/.well-known/host-meta").await;
    assert_eq!(
        xrd.headers()["content-type"],
        "application/xrd+xml; charset=utf-8"
    );
    let text = xrd.text().await.unwrap();
    assert!(
        text.contains(&format!(
            "template=\"{}/.well-known/webfinger?resource={{uri}}\"",
            app.app.base_url()
        )),
        "{text}"
    );

    let links = app.get_json("/.well-known/nodeinfo").await;
    let hrefs: Vec<&str> = links["links"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| l["href"].as_str().unwrap())
        .collect();
    assert_eq!(hrefs, [app.url("/nodeinfo/2.0"), app.url("/nodeinfo/2.1")]);

    perch::services::publish::note(
        &app.app.data(),
        seed::NOTE_COMMENTS,
        perch::domain::Visibility::Public,
    )
    .await
    .unwrap();
    for version in ["2.0", "2.1"] {
        let info = app.get_json(&format!("/nodeinfo/{version}")).await;
        assert_eq!(info["version"], version);
        assert_eq!(info["software"]["name"], "perch");
        assert_eq!(info["software"]["version"], env!("CARGO_PKG_VERSION"));
        assert_eq!(info["protocols"], serde_json::json!(["activitypub"]));
        assert_eq!(info["openRegistrations"], false);
        assert_eq!(info["usage"]["users"]["total"], 1);
        assert_eq!(info["usage"]["localPosts"], 1);
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_actor_document_has_what_mastodon_reads() {
    let app = spawn_app_with(&[
        ("actor.display_name", "Avi Flax".into()),
        ("actor.summary", "Blog & microblog <3".into()),
    ])
    .await;
    let base = app.app.base_url();
    for accept in [
        "application/activity+json",
        "application/ld+json; profile=\"https://www.w3.org/ns/activitystreams\"",
    ] {
        let res = app.get_as(&app.actor_url(), accept).await;
        assert_eq!(res.status(), 200);
        assert_eq!(res.headers()["content-type"].to_str().unwrap(), accept);
        let p: Value = res.json().await.unwrap();
        assert_eq!(p["@context"][0], "https://www.w3.org/ns/activitystreams");
        assert_eq!(p["type"], "Person");
        assert_eq!(p["id"], format!("{base}/users/me"));
        assert_eq!(p["preferredUsername"], "me");
        assert_eq!(p["name"], "Avi Flax");
        assert_eq!(p["summary"], "<p>Blog &amp; microblog &lt;3</p>");
        assert_eq!(p["inbox"], format!("{base}/users/me/inbox"));
        assert_eq!(p["outbox"], format!("{base}/users/me/outbox"));
        assert_eq!(p["followers"], format!("{base}/users/me/followers"));
        assert_eq!(p["following"], format!("{base}/users/me/following"));
        assert_eq!(p["endpoints"]["sharedInbox"], format!("{base}/inbox"));
        assert_eq!(p["url"], format!("{base}/@me"));
        assert_eq!(p["manuallyApprovesFollowers"], false);
        assert_eq!(p["discoverable"], true);
        assert!(p["published"].as_str().unwrap().starts_with("20"));
        assert_eq!(p["publicKey"]["id"], format!("{base}/users/me#main-key"));
        assert_eq!(p["publicKey"]["owner"], format!("{base}/users/me"));
        assert!(p["publicKey"]["publicKeyPem"]
            .as_str()
            .unwrap()
            .starts_with("-----BEGIN PUBLIC KEY-----"));
    }
    let missing = app.get("/users/nobody").await;
    assert_eq!(missing.status(), 404);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn outbox_and_followers_are_paged_ordered_collections() {
    let app = spawn_app().await;
    for text in [seed::NOTE_MENTION, seed::NOTE_COMMENTS] {
        perch::services::publish::note(&app.app.data(), text, perch::domain::Visibility::Public)
            .await
            .unwrap();
    }
    perch::services::publish::note(
        &app.app.data(),
        "only for followers",
        perch::domain::Visibility::Private,
    )
    .await
    .unwrap();
    let outbox = app.get_json("/users/me/outbox").await;
    assert_eq!(outbox["type"], "OrderedCollection");
    assert_eq!(
        outbox["totalItems"], 2,
        "followers-only posts stay out of the outbox"
    );
    let first = outbox["first"].as_str().unwrap();
    let page = app.get_json(first).await;
    assert_eq!(page["type"], "OrderedCollectionPage");
    assert_eq!(page["partOf"], app.url("/users/me/outbox"));
    let items = page["orderedItems"].as_array().unwrap();
    assert_eq!(items.len(), 2);
    assert_eq!(items[0]["type"], "Create");
    assert_eq!(
        items[0]["object"]["content"],
        format!("<p>{}</p>", seed::NOTE_COMMENTS)
    );
    // Each object and activity answers at its own URL (a post's, to ActivityPub clients:
    // browsers get its page).
    let note: Value = app
        .get_as(
            items[0]["object"]["id"].as_str().unwrap(),
            "application/activity+json",
        )
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(note["type"], "Note");
    assert_eq!(
        note["to"][0],
        "https://www.w3.org/ns/activitystreams#Public"
    );
    let create = app.get_json(items[0]["id"].as_str().unwrap()).await;
    assert_eq!(create["object"]["id"], note["id"]);

    let followers = app.get_json("/users/me/followers").await;
    assert_eq!(followers["type"], "OrderedCollection");
    assert_eq!(followers["totalItems"], 0);
    let bad = app.get("/users/me/outbox?page=0").await;
    assert_eq!(bad.status(), 400);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_home_page_answers_for_people() {
    let app = spawn_app().await;
    for path in ["/", "/@me"] {
        let res = app.get_as(path, "text/html").await;
        assert_eq!(res.status(), 200, "{path}");
        assert!(res.text().await.unwrap().contains("@me@localhost"));
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_browser_at_the_actor_url_is_sent_to_the_profile_page() {
    let app = spawn_app().await;
    let res = app
        .get_as(&app.actor_url(), "text/html,application/xhtml+xml")
        .await;
    assert_eq!(res.status(), 303);
    assert_eq!(res.headers()["location"], app.url("/@me"));
    let res = app.get(&app.actor_url()).await;
    assert_eq!(res.status(), 200, "no Accept header: the actor document");
}
