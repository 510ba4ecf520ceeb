//! Remote fetches stay within bounds: a body without end is cut off at the size cap, a
//! server that never answers (or answers a byte at a time) at the total timeout, at most
//! one redirect is followed and its target is checked again, and one request may cause only
//! so many fetches. The fetches are the real ones: perch fetching a post to reply to it.

use crate::support::{
    eventually,
    hostile::{Behaviour, Hostile},
    remote::Remote,
    spawn_app, spawn_app_with, TestApp,
};
use perch::{
    domain::Visibility,
    error::Error,
    services::publish::{self, NewPost},
};
use serde_json::json;
use std::time::{Duration, Instant};

/// Replies to `url`, which makes perch fetch it; the outcome and how long it took.
async fn reply_to(app: &TestApp, url: &str) -> (Result<(), Error>, Duration) {
    let mut reply = NewPost::note("a reply", Visibility::Public);
    reply.in_reply_to = Some(url.to_owned());
    let start = Instant::now();
    let result = publish::publish(&app.app.data(), reply).await.map(|_| ());
    (result, start.elapsed())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_body_without_end_is_cut_off_at_the_size_cap() {
    let app = spawn_app().await;
    let endless = Hostile::start(Behaviour::EndlessBody);
    let (result, took) = reply_to(&app, &endless.url("/notes/1")).await;
    let err = result.expect_err("refused");
    assert!(err.to_string().contains("body limit"), "{err}");
    assert!(took < Duration::from_secs(5), "cut off after {took:?}");
    // perch hung up: the server's writes fail, after what the socket buffers took.
    eventually("perch hangs up on the endless body", || async {
        (endless.hung_up() == 1).then_some(())
    })
    .await;
    let sent = endless.bytes_sent();
    assert!(sent < 64 << 20, "{sent} bytes sent before the hang-up");
    println!(
        "endless body: cut off after {took:?}; the server wrote {sent} bytes before the hang-up"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_server_that_never_answers_or_trickles_is_given_up_at_the_timeout() {
    let app = spawn_app_with(&[("federation.fetch_timeout_seconds", 1.into())]).await;
    for behaviour in [Behaviour::Silent, Behaviour::Trickle] {
        let server = Hostile::start(behaviour);
        let (result, took) = reply_to(&app, &server.url("/notes/1")).await;
        assert!(result.is_err());
        assert!(
            took >= Duration::from_millis(900) && took < Duration::from_secs(6),
            "gave up after {took:?}"
        );
        assert_eq!(server.connections(), 1);
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn one_redirect_is_followed_and_its_target_checked_again() {
    let app = spawn_app().await;
    // To an address literal: refused without a connection (ids must have a domain).
    let target = Hostile::start(Behaviour::EndlessBody);
    let literal = format!("http://127.0.0.1:{}/notes/1", target.port);
    let redirect = Hostile::start(Behaviour::Redirect(literal));
    let (result, _) = reply_to(&app, &redirect.url("/notes/1")).await;
    let err = result.expect_err("refused");
    assert!(err.to_string().contains("domain"), "{err}");
    assert_eq!((redirect.connections(), target.connections()), (1, 0));

    // Two redirects in a row: the second is not followed.
    let last = Hostile::start(Behaviour::EndlessBody);
    let second = Hostile::start(Behaviour::Redirect(last.url("/notes/1")));
    let first = Hostile::start(Behaviour::Redirect(second.url("/notes/1")));
    let (result, _) = reply_to(&app, &first.url("/notes/1")).await;
    assert!(result.is_err());
    assert_eq!(
        (
            first.connections(),
            second.connections(),
            last.connections()
        ),
        (1, 1, 0)
    );
}

/// Outside debug mode the federation client refuses loopback, whether the URL names it or
/// gives its address: this is what a redirect's target meets, since activitypub_federation
/// follows the one redirect it allows through this same client. (The first hop cannot be
/// reached on loopback outside debug mode for the same reason, so the client is tested
/// directly, as `net`'s own tests do.)
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn outside_debug_mode_loopback_redirect_targets_are_refused() {
    let target = Hostile::start(Behaviour::EndlessBody);
    let keys = activitypub_federation::http_signatures::generate_actor_keypair().unwrap();
    let signer = perch::apub::signatures::RequestSigner::from_pem(
        "https://a.example/u#k",
        &keys.private_key,
    )
    .unwrap();
    let http = perch::net::client(false, "perch-test", None).unwrap();
    let client =
        perch::apub::fetch_client::client(http, signer, false, perch::metrics::Metrics::new());
    for url in [
        format!("http://127.0.0.1:{}/notes/1", target.port),
        format!("http://[::ffff:127.0.0.1]:{}/notes/1", target.port),
        format!("http://localhost:{}/notes/1", target.port),
    ] {
        let err = client.get(&url).send().await.expect_err("refused");
        let text = format!("{err:?}");
        assert!(
            text.contains("not a public address") || text.contains("no public address"),
            "{url}: {text}"
        );
    }
    assert_eq!(target.connections(), 0);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn one_request_may_cause_only_so_many_fetches() {
    let alice = Remote::start("alice").await;
    let note = json!({
        "@context": "https://www.w3.org/ns/activitystreams",
        "id": format!("{}/statuses/1", alice.actor_id),
        "type": "Note",
        "attributedTo": alice.actor_id,
        "content": "<p>reply to me</p>",
        "published": "2026-11-25T10:00:00Z",
        "to": ["https://www.w3.org/ns/activitystreams#Public"],
    });
    alice.serve(&note);
    let url = note["id"].as_str().unwrap();
    // The note and its author: two fetches.
    let frugal = spawn_app_with(&[("federation.http_fetch_limit", 1.into())]).await;
    let (result, _) = reply_to(&frugal, url).await;
    let err = result.expect_err("over budget");
    assert!(err.to_string().contains("Request limit"), "{err}");
    let app = spawn_app().await;
    let (result, _) = reply_to(&app, url).await;
    result.expect("within budget");
}
