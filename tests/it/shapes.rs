//! Liberal in shape, strict on authenticity: actors and replies as real servers shape them
//! become people and comments; links that are not the document's own are never trusted.

use crate::{
    comments::page,
    support::{eventually, http, remote::Remote, seed, spawn_app, TestApp},
};
use perch::{
    apub::{objects::keys, signatures::RequestSigner},
    db::{
        models::*,
        queries::{actors, objects},
    },
    domain::Visibility,
    services::publish,
};
use serde_json::{json, Value};

const PUBLIC: &str = "https://www.w3.org/ns/activitystreams#Public";

async fn article(app: &TestApp) -> DbObject {
    publish::article(&app.app.data(), seed::ARTICLE, Visibility::Public)
        .await
        .unwrap()
        .post
}

/// A Create by `remote` of `object` (given an id, an author and the public audience).
fn create(remote: &Remote, n: u32, mut object: Value) -> Value {
    let id = format!("{}/objects/{n}", remote.actor_id);
    let fields = object.as_object_mut().unwrap();
    fields.entry("id").or_insert(json!(id));
    fields
        .entry("attributedTo")
        .or_insert(json!(remote.actor_id));
    fields.entry("to").or_insert(json!([PUBLIC]));
    fields
        .entry("published")
        .or_insert(json!("2026-11-25T10:00:00Z"));
    json!({
        "@context": "https://www.w3.org/ns/activitystreams",
        "id": format!("{id}/activity"),
        "type": "Create",
        "actor": remote.actor_id,
        "to": [PUBLIC],
        "object": object,
    })
}

async fn stored(app: &TestApp, ap_id: &str) -> DbObject {
    let id = ap_id.to_owned();
    eventually(ap_id, || {
        let id = id.clone();
        async move { app.query(move |c| objects::by_ap_id(c, &id)).await }
    })
    .await
}

/// What the author's app finds for `q` (without fetching), as the Mastodon API answers.
async fn search(app: &TestApp, q: &str, kind: &str) -> Value {
    let token = crate::client::token_for(app, "read").await;
    let res = http()
        .get(app.url("/api/v2/search"))
        .query(&[("q", q), ("type", kind)])
        .bearer_auth(&token)
        .send()
        .await
        .unwrap();
    res.json().await.unwrap()
}

async fn deliver(remote: &Remote, app: &TestApp, body: &Value) -> (u16, String) {
    let res = remote.post_signed(&app.url("/inbox"), body).await;
    let status = res.status().as_u16();
    (status, res.text().await.unwrap())
}

async fn actor_row(app: &TestApp, remote: &Remote) -> DbActor {
    let id = remote.actor_id.clone();
    app.query(move |c| actors::by_ap_id(c, &id)).await.unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_actor_without_preferred_username_is_named_by_webfinger_or_by_its_id() {
    let app = &spawn_app().await;
    let post = article(app).await;
    let named = Remote::start("u1").await;
    named.edit_actor(|doc| {
        doc.as_object_mut().unwrap().remove("preferredUsername");
    });
    let host = named.base().trim_start_matches("http://").to_owned();
    named.serve_at(
        "/.well-known/webfinger",
        &json!({
            "subject": format!("acct:carol@{host}"),
            "links": [{"rel": "self", "type": "application/activity+json", "href": named.actor_id}],
        }),
    );
    let reply = create(
        &named,
        1,
        json!({"type": "Note", "content": "<p>hi</p>", "inReplyTo": post.ap_id}),
    );
    assert_eq!(post_status(&named, app, &reply).await, 202);
    assert_eq!(actor_row(app, &named).await.username, "carol");

    let unnamed = Remote::start("u2").await;
    unnamed.edit_actor(|doc| {
        doc.as_object_mut().unwrap().remove("preferredUsername");
    });
    let reply = create(
        &unnamed,
        1,
        json!({"type": "Note", "content": "<p>hi</p>", "inReplyTo": post.ap_id}),
    );
    assert_eq!(post_status(&unnamed, app, &reply).await, 202);
    assert_eq!(actor_row(app, &unnamed).await.username, "u2");
}

async fn post_status(remote: &Remote, app: &TestApp, body: &Value) -> u16 {
    let (status, text) = deliver(remote, app, body).await;
    assert!(
        status == 202 || !text.is_empty(),
        "{status} without a reason"
    );
    status
}

/// POSTs `body` signed with `signer` instead of the remote's main key.
async fn post_signed_by(signer: &RequestSigner, app: &TestApp, body: &Value) -> (u16, String) {
    let res = crate::support::remote::post_signed_by(signer, &app.url("/inbox"), body).await;
    let status = res.status().as_u16();
    (status, res.text().await.unwrap())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_actor_with_several_keys_may_sign_with_any_of_them_but_not_with_a_stranger() {
    let app = &spawn_app().await;
    let post = article(app).await;
    let remote = Remote::start("keys").await;
    let second = activitypub_federation::http_signatures::generate_actor_keypair().unwrap();
    let third = activitypub_federation::http_signatures::generate_actor_keypair().unwrap();
    let (second_id, third_id) = (
        format!("{}#second-key", remote.actor_id),
        format!("{}#rsa-key", remote.actor_id),
    );
    let actor_id = remote.actor_id.clone();
    let multikey = keys::rsa_multikey(&third.public_key).unwrap();
    remote.edit_actor(|doc| {
        let main = doc["publicKey"].clone();
        doc["publicKey"] = json!([
            {"id": second_id, "owner": actor_id, "publicKeyPem": second.public_key},
            main,
        ]);
        doc["assertionMethod"] = json!([
            {"id": format!("{actor_id}#ed25519-key"), "type": "Multikey", "controller": actor_id,
             "publicKeyMultibase": "z6MkrJVnaZkeFzdQyMZu1cgjg7k1pZZ6pvBQ7XJPt4swbTQ2"},
            {"id": third_id, "type": "Multikey", "controller": actor_id,
             "publicKeyMultibase": multikey},
        ]);
    });
    let reply = |n| {
        create(
            &remote,
            n,
            json!({"type": "Note", "content": "<p>hi</p>", "inReplyTo": post.ap_id}),
        )
    };
    // The main key, listed second.
    assert_eq!(deliver(&remote, app, &reply(1)).await.0, 202);
    let by_second = RequestSigner::from_pem(&second_id, &second.private_key).unwrap();
    assert_eq!(post_signed_by(&by_second, app, &reply(2)).await.0, 202);
    let by_multikey = RequestSigner::from_pem(&third_id, &third.private_key).unwrap();
    assert_eq!(post_signed_by(&by_multikey, app, &reply(3)).await.0, 202);
    for n in 1..=3 {
        stored(app, &format!("{}/objects/{n}", remote.actor_id)).await;
    }
    // A key the actor does not publish, even under one of its key ids, does not verify.
    let stranger = activitypub_federation::http_signatures::generate_actor_keypair().unwrap();
    let forged = RequestSigner::from_pem(&second_id, &stranger.private_key).unwrap();
    assert_eq!(post_signed_by(&forged, app, &reply(4)).await.0, 401);
    let unknown_id = format!("{}#nobody", remote.actor_id);
    let unknown = RequestSigner::from_pem(&unknown_id, &stranger.private_key).unwrap();
    let (status, text) = post_signed_by(&unknown, app, &reply(5)).await;
    assert_eq!(status, 401);
    assert!(text.contains("not the actor's key"), "{text}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_actor_whose_inbox_or_shared_inbox_is_on_another_server_is_refused() {
    let app = &spawn_app().await;
    let post = article(app).await;
    for (field, edit) in [
        (
            "inbox",
            json!({"inbox": "http://localhost:1/users/x/inbox"}),
        ),
        (
            "endpoints.sharedInbox",
            json!({"endpoints": {"sharedInbox": "http://elsewhere.localhost/inbox"}}),
        ),
    ] {
        let remote = Remote::start("misdirected").await;
        remote.edit_actor(|doc| {
            for (k, v) in edit.as_object().unwrap() {
                doc[k] = v.clone();
            }
        });
        let reply = create(
            &remote,
            1,
            json!({"type": "Note", "content": "<p>hi</p>", "inReplyTo": post.ap_id}),
        );
        let (status, text) = deliver(&remote, app, &reply).await;
        assert_ne!(status, 202, "{field}");
        assert!(text.contains(field), "{field}: {text}");
        let id = remote.actor_id.clone();
        assert!(app.query(move |c| actors::by_ap_id(c, &id)).await.is_none());
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_javascript_actor_url_reaches_neither_the_page_nor_the_api() {
    let app = &spawn_app().await;
    let post = article(app).await;
    let remote = Remote::start("mallory").await;
    remote.edit_actor(|doc| {
        doc["url"] = json!("javascript:alert(1)");
        doc["icon"] = json!({"type": "Image", "url": "javascript:alert(2)"});
        doc["image"] = json!([{"type": "Image", "url": {"href": "javascript:alert(3)"}}]);
    });
    let reply = create(
        &remote,
        1,
        json!({"type": "Note", "content": "<p>hi</p>", "inReplyTo": post.ap_id,
               "url": "javascript:alert(4)",
               "attachment": [{"type": "Document", "mediaType": "image/png",
                               "url": "javascript:alert(5)", "name": "x"}],
               "tag": [{"type": "Hashtag", "name": "#x", "href": "javascript:alert(6)"}]}),
    );
    assert_eq!(deliver(&remote, app, &reply).await.0, 202);
    stored(app, &format!("{}/objects/1", remote.actor_id)).await;
    let html = page(&post.ap_id).await;
    assert!(html.contains("mallory"), "the comment is shown");
    assert!(!html.to_lowercase().contains("javascript:"), "{html}");

    let handle = format!("mallory@{}", remote.base().trim_start_matches("http://"));
    let found = search(app, &handle, "accounts").await;
    let account = &found["accounts"][0];
    assert_eq!(account["url"], remote.actor_id.as_str(), "{found}");
    assert!(
        !found.to_string().to_lowercase().contains("javascript:"),
        "{found}"
    );
    let token = crate::client::token_for(app, "read").await;
    let id = account["id"].as_str().unwrap();
    let res = http()
        .get(app.url(&format!("/api/v1/accounts/{id}")))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
    let account: Value = res.json().await.unwrap();
    assert_eq!(account["url"], remote.actor_id.as_str(), "{account}");
    assert!(!account.to_string().to_lowercase().contains("javascript:"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_url_on_another_server_is_shown_unverified_and_never_found_by_search() {
    let app = &spawn_app().await;
    let post = article(app).await;
    let remote = Remote::start("linker").await;
    let foreign = "https://elsewhere.example/posts/1";
    let cdn = "https://cdn.example/files/heron.jpg";
    let reply = create(
        &remote,
        1,
        json!({"type": "Note", "content": "<p>see</p>", "inReplyTo": post.ap_id, "url": foreign,
               "attachment": {"type": "Image", "mediaType": "image/jpeg", "url": cdn, "name": "A heron"}}),
    );
    assert_eq!(deliver(&remote, app, &reply).await.0, 202);
    let comment = stored(app, &format!("{}/objects/1", remote.actor_id)).await;
    assert_eq!(comment.url, None, "a foreign url is not the object's url");
    let html = page(&post.ap_id).await;
    assert!(
        html.contains("Link (not verified)") && html.contains(foreign),
        "{html}"
    );
    assert!(html.contains(cdn), "media on a CDN is kept");

    let found = search(app, foreign, "statuses").await;
    assert_eq!(found["statuses"], json!([]), "{found}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn replies_in_any_shape_become_comments_and_non_content_is_acknowledged() {
    let app = &spawn_app().await;
    let post = article(app).await;
    let remote = Remote::start("shapes").await;
    let channel = format!("{}/channels/main", remote.base());
    let cases = [
        // PeerTube: the account and its channel; a title and a description.
        json!({"type": "Video", "name": "A talk", "content": "<p>about it</p>",
               "attributedTo": [{"type": "Person", "id": remote.actor_id}, {"type": "Group", "id": channel}],
               "inReplyTo": {"type": "Link", "href": post.ap_id}}),
        // A type list, inReplyTo as a list whose first entry is unknown, content from contentMap.
        json!({"type": ["Note", "Article"], "contentMap": {"en": "<p>from the map</p>"},
               "inReplyTo": ["https://unknown.example/x", post.ap_id]}),
        // An embedded parent (only its id is read), no content but a name.
        json!({"type": "Page", "name": "Only a title",
               "inReplyTo": {"type": "Note", "id": post.ap_id, "content": "forged"}}),
        // A poll.
        json!({"type": "Question", "content": "<p>Which?</p>", "inReplyTo": post.ap_id,
               "oneOf": [{"type": "Note", "name": "Kafka", "replies": {"type": "Collection", "totalItems": 3}},
                         {"type": "Note", "name": "Pulsar", "replies": {"type": "Collection", "totalItems": 1}}],
               "votersCount": 4}),
    ];
    for (n, object) in cases.into_iter().enumerate() {
        let body = create(&remote, n as u32 + 1, object);
        let (status, text) = deliver(&remote, app, &body).await;
        assert_eq!(status, 202, "case {n}: {text}");
        let c = stored(app, body["object"]["id"].as_str().unwrap()).await;
        assert_eq!(c.thread_root_id, Some(post.id), "case {n}");
        assert_eq!(
            c.in_reply_to.as_deref(),
            Some(post.ap_id.as_str()),
            "case {n}"
        );
    }
    let html = page(&post.ap_id).await;
    for shown in [
        "A talk",
        "about it",
        "from the map",
        "Only a title",
        "Kafka: 3 votes",
        "Pulsar: 1 vote",
        "4 people voted",
    ] {
        assert!(html.contains(shown), "{shown} in {html}");
    }
    assert!(!html.contains("forged"));

    // Not content: acknowledged, nothing stored.
    let tomb = create(
        &remote,
        10,
        json!({"type": "Tombstone", "inReplyTo": post.ap_id}),
    );
    assert_eq!(deliver(&remote, app, &tomb).await.0, 202);
    let id = tomb["object"]["id"].as_str().unwrap().to_owned();
    assert!(app
        .query(move |c| objects::by_ap_id(c, &id))
        .await
        .is_none());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_reply_attributed_only_to_others_is_refused() {
    let app = &spawn_app().await;
    let post = article(app).await;
    let remote = Remote::start("impostor").await;
    let other = format!("{}/users/someone-else", remote.base());
    let body = create(
        &remote,
        1,
        json!({"type": "Note", "content": "<p>hi</p>", "inReplyTo": post.ap_id,
               "attributedTo": [{"type": "Person", "id": other}]}),
    );
    let (status, text) = deliver(&remote, app, &body).await;
    assert_eq!(status, 403, "{text}");
    let none = create(
        &remote,
        2,
        json!({"type": "Note", "content": "<p>hi</p>", "inReplyTo": post.ap_id, "attributedTo": []}),
    );
    let (status, text) = deliver(&remote, app, &none).await;
    assert_eq!(status, 400);
    assert!(text.contains("attributedTo"), "{text}");
}
