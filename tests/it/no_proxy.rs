//! perch is no one's signed proxy: a stranger cannot make it fetch a URL with the author's
//! signed GET and read the answer. The cheap checks (signature form, date, digest, the key on
//! the actor's own server, the request addressed to us) come before any fetch, and what a
//! fetch brings back is logged, never answered. Each test is the attack.

use crate::support::{
    remote::{post_signed_by, Remote},
    spawn_app, spawn_app_with,
};
use actix_web::{web, App, HttpRequest, HttpResponse, HttpServer};
use chrono::Utc;
use perch::apub::signatures::RequestSigner;
use serde_json::json;
use std::{
    net::TcpListener,
    sync::{
        atomic::{AtomicUsize, Ordering},
        Arc,
    },
};

const MARKER: &str = "followers-only-secret-7f3a";

/// A server the author's key can read: whatever is asked, it answers a private post holding
/// [`MARKER`] at that URL, and counts the requests.
struct Victim {
    base: String,
    hits: Arc<AtomicUsize>,
}

impl Victim {
    fn start() -> Victim {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let base = format!("http://localhost:{}", listener.local_addr().unwrap().port());
        let hits = Arc::new(AtomicUsize::new(0));
        let (counter, origin) = (hits.clone(), base.clone());
        let server = HttpServer::new(move || {
            let (counter, origin) = (counter.clone(), origin.clone());
            App::new().default_service(web::to(move |req: HttpRequest| {
                counter.fetch_add(1, Ordering::SeqCst);
                let id = format!("{origin}{}", req.path());
                async move {
                    HttpResponse::Ok()
                        .content_type("application/activity+json")
                        .json(json!({"id": id, "type": "Note", "content": MARKER}))
                }
            }))
        })
        .workers(1)
        .disable_signals()
        .listen(listener)
        .unwrap()
        .run();
        tokio::spawn(server);
        Victim { base, hits }
    }
    fn secret(&self) -> String {
        format!("{}/users/v/statuses/123", self.base)
    }
    fn hits(&self) -> usize {
        self.hits.load(Ordering::SeqCst)
    }
}

fn follow_by(actor: &str, target: &str) -> serde_json::Value {
    json!({"id": format!("{actor}#follow-{}", uuid::Uuid::new_v4()), "type": "Follow", "actor": actor, "object": target})
}

async fn status_and_text(res: reqwest::Response) -> (u16, String) {
    let status = res.status().as_u16();
    (status, res.text().await.unwrap())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_unsigned_post_naming_a_victim_as_its_actor_fetches_nothing() {
    let app = spawn_app().await;
    let victim = Victim::start();
    let res = crate::support::http()
        .post(app.url("/inbox"))
        .header("content-type", "application/activity+json")
        .json(&follow_by(&victim.secret(), &app.actor_url()))
        .send()
        .await
        .unwrap();
    let (status, text) = status_and_text(res).await;
    assert_eq!(status, 401, "{text}");
    assert!(!text.contains(MARKER));
    assert_eq!(victim.hits(), 0, "the victim saw no GET");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_made_up_signature_naming_a_victim_as_its_actor_fetches_nothing() {
    let app = spawn_app().await;
    let victim = Victim::start();
    let attacker = Remote::start("attacker").await;
    let res = post_signed_by(
        &attacker.signer,
        &app.url("/inbox"),
        &follow_by(&victim.secret(), &app.actor_url()),
    )
    .await;
    let (status, text) = status_and_text(res).await;
    assert_eq!(status, 401, "{text}");
    assert!(text.contains("not on the actor's server"), "{text}");
    assert_eq!(victim.hits(), 0, "the victim saw no GET");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_key_on_the_victims_server_is_fetched_but_what_comes_back_is_never_answered() {
    let app = spawn_app().await;
    let victim = Victim::start();
    let attacker = Remote::start("attacker").await;
    let secret = victim.secret();
    let forger =
        RequestSigner::from_pem(&format!("{secret}#key"), &attacker.private_key_pem).unwrap();
    let res = post_signed_by(
        &forger,
        &app.url("/inbox"),
        &follow_by(&secret, &app.actor_url()),
    )
    .await;
    let (status, text) = status_and_text(res).await;
    assert_eq!(status, 401, "{text}");
    assert!(!text.contains(MARKER), "the fetched body leaked: {text}");
    assert!(
        text.contains("cannot fetch the signing actor's key"),
        "{text}"
    );
    assert!(
        victim.hits() >= 1,
        "this one was fetched (the key is on the actor's server)"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn with_authorized_fetch_a_key_id_pointing_anywhere_gets_nothing_back() {
    let app = spawn_app_with(&[("federation.authorized_fetch", true.into())]).await;
    let victim = Victim::start();
    let attacker = Remote::start("attacker").await;
    let forger = RequestSigner::from_pem(
        &format!("{}#main-key", victim.secret()),
        &attacker.private_key_pem,
    )
    .unwrap();
    let res = attacker
        .get_signed_by(
            &forger,
            &format!("{}/outbox", app.actor_url()),
            false,
            Utc::now(),
        )
        .await;
    let (status, text) = status_and_text(res).await;
    assert_eq!(status, 401, "{text}");
    assert!(!text.contains(MARKER), "the fetched body leaked: {text}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_correctly_signed_request_for_another_host_is_refused() {
    let app = spawn_app().await;
    let remote = Remote::start("replayer").await;
    let body = remote.follow(&app.actor_url());
    let bytes = serde_json::to_vec(&body).unwrap();
    // Signed for (and so replayable from) another server's inbox at the same path.
    let port = app.domain().rsplit(':').next().unwrap().to_owned();
    let elsewhere = format!("http://other.localhost:{port}/inbox");
    let headers = remote.signer.sign_post(
        &url::Url::parse(&elsewhere).unwrap(),
        &bytes,
        "application/activity+json",
        Utc::now(),
    );
    let mut req = crate::support::http().post(app.url("/inbox")).body(bytes);
    for (name, value) in headers {
        req = req.header(name, value);
    }
    let (status, text) = status_and_text(req.send().await.unwrap()).await;
    assert_eq!(status, 401, "{text}");
    assert!(text.contains("addressed to another host"), "{text}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_reply_from_an_allowed_server_cannot_make_perch_fetch_a_blocked_one() {
    let app = spawn_app().await;
    let blocked = Victim::start();
    let host = blocked.base.trim_start_matches("http://").to_owned();
    perch::services::moderation::block(&app.app.data(), &host)
        .await
        .unwrap();
    let allowed = Remote::start("allowed").await;
    let reply = json!({
        "@context": "https://www.w3.org/ns/activitystreams",
        "id": format!("{}/create/1", allowed.actor_id),
        "type": "Create",
        "actor": allowed.actor_id,
        "object": {
            "id": format!("{}/objects/1", allowed.actor_id),
            "type": "Note",
            "attributedTo": allowed.actor_id,
            "content": "<p>a reply to a post on a blocked server</p>",
            "inReplyTo": blocked.secret(),
            "to": ["https://www.w3.org/ns/activitystreams#Public"],
        },
    });
    let res = allowed.post_signed(&app.url("/inbox"), &reply).await;
    assert!(res.status().is_success() || res.status().is_client_error());
    assert_eq!(blocked.hits(), 0, "the blocked server saw no GET");
}
