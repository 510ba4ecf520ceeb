//! The inbox takes only what is signed by the actor it claims to come from, recently, over
//! the very body it carries. Requests are signed by the test's own remote actor.

use crate::support::{
    remote::{post_signed_by, send, Remote},
    spawn_app, TestApp,
};
use chrono::{Duration, Utc};
use perch::{
    apub::signatures::RequestSigner,
    db::{
        models::{Direction, FollowState},
        queries::follows,
    },
};
use serde_json::Value;

async fn nothing_stored(app: &TestApp) {
    let followers = app
        .query(|c| follows::count(c, Direction::Incoming, FollowState::Accepted))
        .await;
    let pending = app
        .query(|c| follows::count(c, Direction::Incoming, FollowState::Pending))
        .await;
    assert_eq!(
        (followers, pending),
        (0, 0),
        "a refused request stored nothing"
    );
}

async fn refused(res: reqwest::Response, reason: &str) {
    let status = res.status();
    let text = res.text().await.unwrap();
    assert_eq!(status, 401, "{text}");
    assert!(text.contains(reason), "expected {reason:?} in {text:?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_properly_signed_follow_is_accepted() {
    let app = spawn_app().await;
    let remote = Remote::start("alice").await;
    let res = remote
        .post_signed(&app.url("/inbox"), &remote.follow(&app.actor_url()))
        .await;
    assert_eq!(res.status(), 202);
    let n = app
        .query(|c| follows::count(c, Direction::Incoming, FollowState::Accepted))
        .await;
    assert_eq!(n, 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn unsigned_forged_altered_and_stale_requests_get_401_and_store_nothing() {
    let app = spawn_app().await;
    let remote = Remote::start("mallory").await;
    let inbox = app.url("/users/me/inbox");
    let follow = remote.follow(&app.actor_url());
    let body = serde_json::to_vec(&follow).unwrap();
    let url = url::Url::parse(&inbox).unwrap();

    // No signature at all.
    let mut headers = remote
        .signer
        .sign_post(&url, &body, "application/activity+json", Utc::now());
    headers.retain(|(n, _)| *n != "signature");
    refused(
        send(&inbox, body.clone(), headers).await,
        "no Signature header",
    )
    .await;

    // Signed by a key that is not the actor's (same keyId, another key).
    let other = activitypub_federation::http_signatures::generate_actor_keypair().unwrap();
    let forger =
        perch::apub::signatures::RequestSigner::from_pem(&remote.key_id, &other.private_key)
            .unwrap();
    let headers = forger.sign_post(&url, &body, "application/activity+json", Utc::now());
    refused(send(&inbox, body.clone(), headers).await, "does not verify").await;

    // The body changed after signing: the Digest no longer matches…
    let headers = remote
        .signer
        .sign_post(&url, &body, "application/activity+json", Utc::now());
    let mut changed: Value = follow.clone();
    changed["object"] = Value::String(format!("{}x", app.actor_url()));
    let changed = serde_json::to_vec(&changed).unwrap();
    refused(
        send(&inbox, changed.clone(), headers.clone()).await,
        "Digest does not match",
    )
    .await;
    // …and with the Digest recomputed, the signature no longer holds.
    let mut redigested = headers;
    for (n, v) in redigested.iter_mut() {
        if *n == "digest" {
            *v = perch::apub::signatures::digest_header(&changed);
        }
    }
    refused(send(&inbox, changed, redigested).await, "does not verify").await;

    // A Date two days old.
    let res = remote
        .post_signed_at(&inbox, &follow, Utc::now() - Duration::days(2))
        .await;
    refused(res, "more than 12 hours old").await;

    nothing_stored(&app).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_sender_whose_clock_is_hours_behind_still_gets_through() {
    let app = spawn_app().await;
    let remote = Remote::start("slowclock").await;
    let res = remote
        .post_signed_at(
            &app.url("/inbox"),
            &remote.follow(&app.actor_url()),
            Utc::now() - Duration::hours(11),
        )
        .await;
    assert_eq!(res.status(), 202);
    let res = remote
        .post_signed_at(
            &app.url("/inbox"),
            &remote.follow(&app.actor_url()),
            Utc::now() + Duration::hours(2),
        )
        .await;
    refused(res, "in the future").await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn bad_input_gets_a_clear_error_not_a_crash() {
    let app = spawn_app().await;
    let remote = Remote::start("clumsy").await;
    let inbox = app.url("/inbox");
    let url = url::Url::parse(&inbox).unwrap();
    let post = |body: Vec<u8>| {
        let headers = remote
            .signer
            .sign_post(&url, &body, "application/activity+json", Utc::now());
        send(&inbox, body, headers)
    };
    let res = post(b"{not json".to_vec()).await;
    assert_eq!(res.status(), 400);
    assert!(res.text().await.unwrap().contains("not JSON"));
    let res = post(br#"{"type":"Follow"}"#.to_vec()).await;
    assert_eq!(res.status(), 400);
    let deep = format!("{}{}", "[".repeat(10_000), "]".repeat(10_000));
    let res = post(deep.into_bytes()).await;
    assert_eq!(res.status(), 400);
    let huge = vec![b' '; 2 << 20];
    let res = post(huge).await;
    assert_eq!(res.status(), 413);
    // An activity type perch does not act on is acknowledged.
    let res = remote
        .post_signed(
            &inbox,
            &serde_json::json!({"id": format!("{}/x/1", remote.actor_id), "type": "Move", "actor": remote.actor_id, "object": remote.actor_id}),
        )
        .await;
    assert_eq!(res.status(), 202);
    // A Follow missing its object names what is wrong.
    let res = remote
        .post_signed(&inbox, &serde_json::json!({"id": format!("{}/x/2", remote.actor_id), "type": "Follow", "actor": remote.actor_id}))
        .await;
    assert_eq!(res.status(), 400);
    assert!(res.text().await.unwrap().contains("object"));
    // A deleted account announcing its own Delete cannot be fetched any more; when it never
    // followed or wrote here, that is acknowledged without a fetch.
    let gone = "http://localhost:9/users/gone";
    let res = remote
        .post_signed(&inbox, &serde_json::json!({"id": format!("{gone}#delete"), "type": "Delete", "actor": gone, "object": gone}))
        .await;
    assert_eq!(res.status(), 202);
    // Any other activity claiming an actor on another server than its key is refused, with
    // nothing fetched.
    let follow = serde_json::json!({"id": format!("{gone}/follow"), "type": "Follow", "actor": gone, "object": app.actor_url()});
    let res = remote.post_signed(&inbox, &follow).await;
    refused(res, "not on the actor's server").await;
    // With its key on its own server, which does not answer now, the sender is told to try
    // again later (503), not that its signature is bad.
    let signer =
        RequestSigner::from_pem(&format!("{gone}#main-key"), &remote.private_key_pem).unwrap();
    let res = post_signed_by(&signer, &inbox, &follow).await;
    assert_eq!(res.status(), 503);
    assert_eq!(res.headers()["retry-after"], "60");
    let text = res.text().await.unwrap();
    assert!(text.contains("cannot be fetched now"), "{text}");
    nothing_stored(&app).await;
}

/// A draft-cavage `Signature` over exactly `covered` (name, value) lines, signed by hand with
/// `remote`'s key, so that a test can leave out what perch requires.
fn signed_by_hand(remote: &Remote, covered: &[(&str, String)]) -> String {
    use base64::Engine;
    use rsa::{
        pkcs1v15::SigningKey, pkcs8::DecodePrivateKey, sha2::Sha256, signature::SignatureEncoding,
        signature::Signer,
    };
    let text: Vec<String> = covered.iter().map(|(n, v)| format!("{n}: {v}")).collect();
    let key = SigningKey::<Sha256>::new(
        rsa::PrivateKey::from_pkcs8_pem(&remote.private_key_pem).unwrap(),
    );
    let signature = key.sign(text.join("\n").as_bytes()).to_vec();
    let names: Vec<&str> = covered.iter().map(|(n, _)| *n).collect();
    format!(
        r#"keyId="{}",algorithm="rsa-sha256",headers="{}",signature="{}""#,
        remote.key_id,
        names.join(" "),
        base64::engine::general_purpose::STANDARD.encode(signature)
    )
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn what_the_signature_must_cover_date_and_digest_rules_and_the_key_owner() {
    let app = spawn_app().await;
    let mallory = Remote::start("mallory").await;
    let alice = Remote::start("alice").await;
    let inbox = app.url("/users/me/inbox");
    let url = url::Url::parse(&inbox).unwrap();
    let follow = mallory.follow(&app.actor_url());
    let body = serde_json::to_vec(&follow).unwrap();
    let host = perch::domain::Host::name_of(&url);
    let date = perch::apub::signatures::http_date(Utc::now());
    let digest = perch::apub::signatures::digest_header(&body);
    let target = ("(request-target)", format!("post {}", url.path()));

    // The Digest header left out (the signature still names it).
    let mut headers =
        mallory
            .signer
            .sign_post(&url, &body, "application/activity+json", Utc::now());
    headers.retain(|(n, _)| *n != "digest");
    let res = send(&inbox, body.clone(), headers).await;
    assert_eq!(res.status(), 401, "{}", res.text().await.unwrap());

    // Dated 13 hours ago, and 2 hours ahead.
    for when in [
        Utc::now() - Duration::hours(13),
        Utc::now() + Duration::hours(2),
    ] {
        let res = mallory.post_signed_at(&inbox, &follow, when).await;
        assert_eq!(res.status(), 401, "{}", res.text().await.unwrap());
    }

    // `host` not signed, then `(request-target)` not signed.
    for covered in [
        vec![
            target.clone(),
            ("date", date.clone()),
            ("digest", digest.clone()),
        ],
        vec![
            ("host", host.clone()),
            ("date", date.clone()),
            ("digest", digest.clone()),
        ],
    ] {
        let headers = vec![
            ("date", date.clone()),
            ("digest", digest.clone()),
            ("content-type", "application/activity+json".to_owned()),
            ("signature", signed_by_hand(&mallory, &covered)),
        ];
        let res = send(&inbox, body.clone(), headers).await;
        let status = res.status();
        let text = res.text().await.unwrap();
        assert_eq!(status, 401, "{text}");
        assert!(
            text.contains("not signed") || text.contains("cover"),
            "{text}"
        );
    }

    // Mallory's key on an activity that claims to be Alice's.
    let claimed = alice.follow(&app.actor_url());
    let res = mallory.post_signed(&inbox, &claimed).await;
    assert_eq!(res.status(), 401, "{}", res.text().await.unwrap());

    nothing_stored(&app).await;
    let sent = app
        .query(|c| {
            use diesel::prelude::*;
            use perch::db::schema::deliveries::dsl as d;
            Ok(d::deliveries.count().get_result::<i64>(c)?)
        })
        .await;
    assert_eq!(sent, 0, "a refused request sends nothing");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_actor_cannot_speak_for_an_object_on_another_server() {
    let app = spawn_app().await;
    let mallory = Remote::start("mallory").await;
    let alice = Remote::start("alice").await;
    // Alice's real post, served by her server…
    let original = serde_json::json!({
        "@context": "https://www.w3.org/ns/activitystreams",
        "id": format!("{}/notes/1", alice.actor_id),
        "type": "Note",
        "attributedTo": alice.actor_id,
        "content": "<p>The real words</p>",
        "to": ["https://www.w3.org/ns/activitystreams#Public"],
    });
    alice.serve(&original);
    // …and Mallory's Create of a changed copy under Alice's id, mentioning the author.
    let mut forged = original.clone();
    forged["attributedTo"] = Value::String(mallory.actor_id.clone());
    forged["content"] = Value::String("<p>Forged, @me</p>".into());
    forged["tag"] = serde_json::json!([{ "type": "Mention", "href": app.actor_url() }]);
    let create = serde_json::json!({
        "@context": "https://www.w3.org/ns/activitystreams",
        "id": format!("{}/creates/1", mallory.actor_id),
        "type": "Create",
        "actor": mallory.actor_id,
        "object": forged,
    });
    let res = mallory.post_signed(&app.url("/inbox"), &create).await;
    let status = res.status();
    let text = res.text().await.unwrap();
    assert_eq!(status, 403, "{text}");
    assert!(text.contains("another server"), "{text}");
    let id = original["id"].as_str().unwrap().to_owned();
    let stored = app
        .query(move |c| perch::db::queries::objects::by_ap_id(c, &id))
        .await;
    assert!(stored.is_none(), "nothing of the forged post is kept");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_sender_whose_server_answers_5xx_for_its_key_is_told_to_retry() {
    use actix_web::{web, App, HttpResponse, HttpServer};
    let app = spawn_app().await;
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    let server = HttpServer::new(|| {
        App::new().default_service(web::to(|| async {
            HttpResponse::ServiceUnavailable().body("<html>maintenance</html>")
        }))
    })
    .workers(1)
    .disable_signals()
    .listen(listener)
    .unwrap()
    .run();
    tokio::spawn(server);
    let remote = Remote::start("unlucky").await;
    let actor = format!("http://localhost:{port}/users/unlucky");
    let signer =
        RequestSigner::from_pem(&format!("{actor}#main-key"), &remote.private_key_pem).unwrap();
    let follow = serde_json::json!({"id": format!("{actor}/follow/1"), "type": "Follow", "actor": actor, "object": app.actor_url()});
    let res = post_signed_by(&signer, &app.url("/inbox"), &follow).await;
    assert_eq!(res.status(), 503);
    assert!(res.headers().contains_key("retry-after"));
    let text = res.text().await.unwrap();
    assert!(!text.contains("maintenance"), "{text}");
    nothing_stored(&app).await;
}
