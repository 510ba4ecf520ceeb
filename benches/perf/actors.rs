//! Remote actors played by the harness: one loopback server serving the documents of many
//! actors (`/users/aN`, each with its own key id; a few RSA keys are shared among them, as
//! making a thousand keys would take minutes and verifying costs the same), and their
//! activities to perch's inbox, signed draft-cavage beforehand on every core so that the
//! burst itself costs the harness no signing.

use super::load::Post;
use actix_web::{web, App, HttpResponse, HttpServer};
use perch::apub::{signatures::RequestSigner, ACTIVITY_JSON};
use serde_json::{json, Value};
use std::{net::TcpListener, sync::Arc};

const PUBLIC: &str = "https://www.w3.org/ns/activitystreams#Public";

pub struct Actors {
    pub base: String,
    keys: Arc<Vec<(String, String)>>,
}

impl Actors {
    /// `count` actors on a new loopback server, sharing `keys` key pairs.
    pub fn start(count: usize, keys: usize) -> Actors {
        let keys: Arc<Vec<(String, String)>> = Arc::new(
            (0..keys.max(1))
                .map(|_| {
                    let k = activitypub_federation::http_signatures::generate_actor_keypair()
                        .expect("keys");
                    (k.private_key, k.public_key)
                })
                .collect(),
        );
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind");
        let port = listener.local_addr().expect("addr").port();
        let base = format!("http://localhost:{port}");
        let (b, k) = (base.clone(), keys.clone());
        let server = HttpServer::new(move || {
            let (base, keys) = (b.clone(), k.clone());
            App::new().route(
                "/users/{name}",
                web::get().to(move |name: web::Path<String>| {
                    let found = name
                        .strip_prefix('a')
                        .and_then(|n| n.parse::<usize>().ok())
                        .filter(|n| *n < count)
                        .map(|n| document(&base, n, &keys[n % keys.len()].1));
                    async move {
                        match found {
                            Some(doc) => HttpResponse::Ok().content_type(ACTIVITY_JSON).json(doc),
                            None => HttpResponse::NotFound().finish(),
                        }
                    }
                }),
            )
        })
        .workers(1)
        .disable_signals()
        .listen(listener)
        .expect("listen")
        .run();
        tokio::spawn(server);
        Actors { base, keys }
    }

    pub fn actor(&self, n: usize) -> String {
        format!("{}/users/a{n}", self.base)
    }

    /// A reply by actor `n` to `post` (an AP id), as a Mastodon server sends it.
    pub fn reply(&self, n: usize, post: &str, author: &str, seq: usize) -> Value {
        let actor = self.actor(n);
        let note = format!("{actor}/statuses/{seq}");
        json!({
            "@context": "https://www.w3.org/ns/activitystreams",
            "id": format!("{note}/activity"),
            "type": "Create",
            "actor": actor,
            "published": chrono::Utc::now().to_rfc3339(),
            "to": [PUBLIC],
            "cc": [author, format!("{actor}/followers")],
            "object": {
                "id": note,
                "type": "Note",
                "attributedTo": actor,
                "inReplyTo": post,
                "published": chrono::Utc::now().to_rfc3339(),
                "content": format!("<p>Reply {seq} from a{n}: a thoughtful comment on the post, with a <a href=\"https://example.com/{seq}\">link</a>.</p>"),
                "to": [PUBLIC],
                "cc": [author, format!("{actor}/followers")],
            },
        })
    }

    /// A like by actor `n` of `post`.
    pub fn like(&self, n: usize, post: &str) -> Value {
        let actor = self.actor(n);
        json!({
            "@context": "https://www.w3.org/ns/activitystreams",
            "id": format!("{actor}/likes/{}", uuid::Uuid::new_v4().simple()),
            "type": "Like",
            "actor": actor,
            "object": post,
        })
    }

    /// Each (actor, activity) signed by its actor for `inbox`, on every core.
    pub fn sign_all(&self, inbox: &str, activities: Vec<(usize, Value)>) -> Vec<Post> {
        let url = url::Url::parse(inbox).expect("inbox url");
        let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
        let chunk = activities.len().div_ceil(cores).max(1);
        std::thread::scope(|s| {
            let parts: Vec<_> = activities
                .chunks(chunk)
                .map(|part| {
                    let url = &url;
                    s.spawn(move || {
                        part.iter()
                            .map(|(n, activity)| {
                                let key_id = format!("{}#main-key", self.actor(*n));
                                let pem = &self.keys[n % self.keys.len()].0;
                                let signer = RequestSigner::from_pem(&key_id, pem).expect("signer");
                                let body = serde_json::to_vec(activity).expect("json");
                                let headers =
                                    signer.sign_post(url, &body, ACTIVITY_JSON, chrono::Utc::now());
                                Post {
                                    url: inbox.to_owned(),
                                    headers,
                                    body,
                                }
                            })
                            .collect::<Vec<_>>()
                    })
                })
                .collect();
            parts
                .into_iter()
                .flat_map(|p| p.join().expect("signing thread"))
                .collect()
        })
    }
}

/// Actor `n`'s document, Mastodon-shaped.
fn document(base: &str, n: usize, public_key_pem: &str) -> Value {
    let id = format!("{base}/users/a{n}");
    json!({
        "@context": ["https://www.w3.org/ns/activitystreams", "https://w3id.org/security/v1"],
        "type": "Person",
        "id": id,
        "preferredUsername": format!("a{n}"),
        "name": format!("Reader {n}"),
        "inbox": format!("{id}/inbox"),
        "outbox": format!("{id}/outbox"),
        "followers": format!("{id}/followers"),
        "publicKey": { "id": format!("{id}#main-key"), "owner": id, "publicKeyPem": public_key_pem },
    })
}
