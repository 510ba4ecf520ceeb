//! Authorized fetch: with `[federation] authorized_fetch = true` the author's posts,
//! activities and collections are served only to signed GETs from actors who are not
//! blocked; the actor document, WebFinger, NodeInfo and the web pages stay public. perch
//! signs its own fetches, so two perch servers still talk.

use crate::support::{eventually, get_json, remote::Remote, spawn_app, spawn_app_with, TestApp};
use chrono::{Duration, Utc};
use perch::{
    apub::signatures::RequestSigner,
    db::queries::{actors, blocks, objects},
    domain::Visibility,
    services::{
        moderation,
        publish::{self, NewPost},
    },
};

async fn guarded() -> TestApp {
    spawn_app_with(&[("federation.authorized_fetch", true.into())]).await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn unsigned_gets_of_objects_and_collections_get_401_and_discovery_stays_public() {
    let app = guarded().await;
    let note = publish::note(&app.app.data(), "signed readers only", Visibility::Public)
        .await
        .unwrap();
    let post = note.post.ap_id.clone();
    for url in [
        post.clone(),
        format!("{post}/replies"),
        format!("{post}/likes"),
        note.activity.ap_id.clone(),
        app.url("/users/me/outbox"),
        app.url("/users/me/outbox?page=1"),
        app.url("/users/me/followers"),
        app.url("/users/me/following"),
    ] {
        let (status, _) = get_json(&url).await;
        assert_eq!(status, 401, "{url}");
    }
    // Key discovery and the web stay open.
    let (status, actor) = get_json(&app.actor_url()).await;
    assert_eq!((status, actor["type"].as_str()), (200, Some("Person")));
    for path in [
        format!("/.well-known/webfinger?resource=acct:{}", app.handle()),
        "/.well-known/nodeinfo".to_owned(),
    ] {
        let res = app.get(&path).await;
        assert_eq!(res.status(), 200, "{path}");
    }
    let page = app.get_as(&post, "text/html").await;
    assert_eq!(page.status(), 200);
    assert!(page.text().await.unwrap().contains("signed readers only"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn signed_gets_are_served_unless_forged_stale_or_blocked() {
    let app = guarded().await;
    let note = publish::note(&app.app.data(), "for those who sign", Visibility::Public)
        .await
        .unwrap();
    let post = note.post.ap_id.clone();
    let remote = Remote::start("reader").await;

    for rfc9421 in [false, true] {
        let res = remote.get_signed(&post, rfc9421).await;
        assert_eq!(res.status(), 200, "rfc9421: {rfc9421}");
        let body: serde_json::Value = res.json().await.unwrap();
        assert_eq!(body["id"], post);
    }
    let res = remote
        .get_signed(&app.url("/users/me/outbox?page=1"), true)
        .await;
    assert_eq!(res.status(), 200);

    let other = activitypub_federation::http_signatures::generate_actor_keypair().unwrap();
    let forger = RequestSigner::from_pem(&remote.key_id, &other.private_key).unwrap();
    let res = remote
        .get_signed_by(&forger, &post, false, Utc::now())
        .await;
    assert_eq!(res.status(), 401);
    let stale = Utc::now() - Duration::hours(13);
    let res = remote
        .get_signed_by(&remote.signer, &post, true, stale)
        .await;
    assert_eq!(res.status(), 401);

    let id = remote.actor_id.clone();
    app.query(move |c| {
        let actor = actors::by_ap_id(c, &id)?.expect("the reader was fetched");
        blocks::block_actor(c, &actor)
    })
    .await;
    for rfc9421 in [false, true] {
        let res = remote.get_signed(&post, rfc9421).await;
        assert_eq!(res.status(), 403, "rfc9421: {rfc9421}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn another_perch_fetches_a_post_to_reply_to_it_until_it_is_blocked() {
    let author = guarded().await;
    let reader = spawn_app().await;
    let first = publish::note(&author.app.data(), "answer me", Visibility::Public)
        .await
        .unwrap();

    // Replying makes the reader's server fetch the post, with a signed GET.
    let mut reply = NewPost::note("gladly", Visibility::Public);
    reply.in_reply_to = Some(first.post.ap_id.clone());
    let answer = publish::publish(&reader.app.data(), reply).await.unwrap();
    let id = answer.post.ap_id.clone();
    let author = &author;
    eventually("the reply reaches the author as a comment", || {
        let id = id.clone();
        async move { author.query(move |c| objects::by_ap_id(c, &id)).await }
    })
    .await;

    moderation::block(&author.app.data(), &reader.handle())
        .await
        .unwrap();
    let second = publish::note(&author.app.data(), "not for you", Visibility::Public)
        .await
        .unwrap();
    let mut reply = NewPost::note("may I?", Visibility::Public);
    reply.in_reply_to = Some(second.post.ap_id.clone());
    let err = publish::publish(&reader.app.data(), reply)
        .await
        .expect_err("a blocked server cannot fetch the post");
    assert!(err.to_string().contains("blocked here"), "{err}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_followers_only_post_is_served_to_a_signed_follower_and_no_one_else() {
    let app = spawn_app().await;
    let follower = Remote::start("follower").await;
    let stranger = Remote::start("stranger").await;
    let res = follower
        .post_signed(&app.url("/inbox"), &follower.follow(&app.actor_url()))
        .await;
    assert!(res.status().is_success());
    let private = publish::note(&app.app.data(), "for my followers", Visibility::Private)
        .await
        .unwrap()
        .post
        .ap_id;
    let direct = publish::publish(
        &app.app.data(),
        NewPost::note("just between us", Visibility::Direct),
    )
    .await
    .unwrap()
    .post
    .ap_id;

    let (status, _) = get_json(&private).await;
    assert_eq!(status, 404, "unsigned readers do not see it");
    let res = stranger.get_signed(&private, false).await;
    assert_eq!(res.status(), 404, "nor does a signed non-follower");
    for rfc9421 in [false, true] {
        let res = follower.get_signed(&private, rfc9421).await;
        assert_eq!(res.status(), 200);
        assert_eq!(res.headers()["cache-control"], "private, no-store");
        let body: serde_json::Value = res.json().await.unwrap();
        assert!(body["content"]
            .as_str()
            .unwrap()
            .contains("for my followers"));
    }
    let res = follower.get_signed(&direct, false).await;
    assert_eq!(
        res.status(),
        404,
        "a direct post is for those it mentions only"
    );
}
