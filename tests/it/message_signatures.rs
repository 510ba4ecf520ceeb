//! RFC 9421 HTTP Message Signatures on the inbox: taken with the same guarantees as
//! draft-cavage ones (method, target and digest covered; recent; the key is the actor's).

use crate::support::{
    remote::{send, Remote},
    spawn_app, spawn_app_with, TestApp,
};
use chrono::{Duration, Utc};
use perch::apub::signatures::{content_digest_header, http_date, RequestSigner, SignedHeaders};
use perch::db::{
    models::{Direction, FollowState},
    queries::follows,
};

async fn followers(app: &TestApp) -> (i64, i64) {
    let accepted = app
        .query(|c| follows::count(c, Direction::Incoming, FollowState::Accepted))
        .await;
    let pending = app
        .query(|c| follows::count(c, Direction::Incoming, FollowState::Pending))
        .await;
    (accepted, pending)
}

async fn refused(res: reqwest::Response, reason: &str) {
    let status = res.status();
    let text = res.text().await.unwrap();
    assert_eq!(status, 401, "{text}");
    assert!(text.contains(reason), "expected {reason:?} in {text:?}");
}

/// The headers of a POST of `body` signed over `components`, created at `created`.
fn signed(
    signer: &RequestSigner,
    inbox: &str,
    body: &[u8],
    components: &[&str],
    created: chrono::DateTime<Utc>,
) -> SignedHeaders {
    let headers = vec![
        ("date", http_date(created)),
        ("content-digest", content_digest_header(body)),
        ("content-type", "application/activity+json".to_owned()),
    ];
    let url = url::Url::parse(inbox).unwrap();
    signer.sign_rfc9421("POST", &url, components, headers, created)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_follow_signed_the_rfc_9421_way_is_accepted() {
    let app = spawn_app().await;
    let remote = Remote::start("modern").await;
    let res = remote
        .post_rfc9421(
            &app.url("/users/me/inbox"),
            &remote.follow(&app.actor_url()),
        )
        .await;
    assert_eq!(res.status(), 202, "{}", res.text().await.unwrap());
    assert_eq!(followers(&app).await, (1, 0));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn forged_rfc_9421_requests_get_401_and_store_nothing() {
    let app = spawn_app().await;
    let remote = Remote::start("mallory").await;
    let inbox = app.url("/inbox");
    let follow = remote.follow(&app.actor_url());
    let body = serde_json::to_vec(&follow).unwrap();
    let all = ["@method", "@target-uri", "content-digest"];
    let now = Utc::now();
    let post = |headers: SignedHeaders, body: &[u8]| send(&inbox, body.to_vec(), headers);

    // What must be covered: the method, the target and the body's digest.
    let h = signed(
        &remote.signer,
        &inbox,
        &body,
        &["@target-uri", "content-digest"],
        now,
    );
    refused(post(h, &body).await, "does not cover `@method`").await;
    let h = signed(
        &remote.signer,
        &inbox,
        &body,
        &["@method", "content-digest"],
        now,
    );
    refused(post(h, &body).await, "does not cover `@target-uri`").await;
    let h = signed(
        &remote.signer,
        &inbox,
        &body,
        &["@method", "@target-uri"],
        now,
    );
    refused(post(h, &body).await, "does not cover `content-digest`").await;
    // `@path` alone leaves out which server it was meant for.
    let h = signed(
        &remote.signer,
        &inbox,
        &body,
        &["@method", "@path", "content-digest"],
        now,
    );
    refused(post(h, &body).await, "does not cover `@target-uri`").await;

    // The body changed after signing.
    let h = signed(&remote.signer, &inbox, &body, &all, now);
    let mut changed = follow.clone();
    changed["object"] = format!("{}x", app.actor_url()).into();
    refused(
        post(h, &serde_json::to_vec(&changed).unwrap()).await,
        "Digest does not match",
    )
    .await;

    // Too old, or from too far in the future.
    let h = signed(
        &remote.signer,
        &inbox,
        &body,
        &all,
        now - Duration::hours(13),
    );
    refused(post(h, &body).await, "more than 12 hours old").await;
    let h = signed(
        &remote.signer,
        &inbox,
        &body,
        &all,
        now + Duration::hours(2),
    );
    refused(post(h, &body).await, "in the future").await;

    // Signed by another key under the actor's key id.
    let other = activitypub_federation::http_signatures::generate_actor_keypair().unwrap();
    let forger = RequestSigner::from_pem(&remote.key_id, &other.private_key).unwrap();
    let h = signed(&forger, &inbox, &body, &all, now);
    refused(post(h, &body).await, "does not verify").await;

    // Signed for another server: the target differs from the one it reached.
    let elsewhere = inbox.replace("localhost", "127.0.0.1");
    let h = signed(&remote.signer, &elsewhere, &body, &all, now);
    refused(post(h, &body).await, "does not verify").await;

    // Another actor's key, for an activity that claims to be by this one.
    let bob = Remote::start("bob").await;
    let h = signed(&bob.signer, &inbox, &body, &all, now);
    refused(post(h, &body).await, "not on the actor's server").await;

    assert_eq!(
        followers(&app).await,
        (0, 0),
        "a refused request stored nothing"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_server_that_reads_only_draft_cavage_refuses_rfc_9421() {
    let app = spawn_app_with(&[("federation.accept_rfc9421", false.into())]).await;
    let remote = Remote::start("early").await;
    let res = remote
        .post_rfc9421(&app.url("/inbox"), &remote.follow(&app.actor_url()))
        .await;
    refused(res, "malformed Signature header").await;
    let res = remote
        .post_signed(&app.url("/inbox"), &remote.follow(&app.actor_url()))
        .await;
    assert_eq!(res.status(), 202);
}
