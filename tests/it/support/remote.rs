//! A remote actor played by the test itself: it serves its actor document (with a throwaway
//! key) on loopback, signs requests to perch as a Mastodon server would, and records what its
//! inbox receives, answering with statuses the test scripts.

use actix_web::{web, App, HttpRequest, HttpResponse, HttpServer};
use chrono::{DateTime, Utc};
use perch::apub::signatures::{IncomingRequest, IncomingSignature, RequestSigner};
use serde_json::{json, Value};
use std::{
    collections::VecDeque,
    net::TcpListener,
    sync::{Arc, Mutex},
};

/// One POST that reached the remote inbox.
#[derive(Debug, Clone)]
pub struct Received {
    pub status: u16,
    pub signature: Option<String>,
    /// Set when the request was signed the RFC 9421 way.
    pub signature_input: Option<String>,
    pub body: Value,
    /// The request as it came (headers in lower case), for verifying it afterwards.
    pub request: IncomingRequest,
    pub raw_body: Vec<u8>,
}

impl Received {
    /// Whether the request's signature verifies with `public_key_pem` and covers what a
    /// verifier requires (digest, date), as a server that verifies after answering would
    /// find out later. `accept_rfc9421: false` is a server that reads only draft-cavage.
    pub fn verifies(&self, public_key_pem: &str, base: &str, accept_rfc9421: bool) -> bool {
        let Ok(sig) = IncomingSignature::read(
            &self.request,
            Some(&self.raw_body),
            accept_rfc9421,
            Utc::now(),
        ) else {
            return false;
        };
        sig.verify(&self.request, base, public_key_pem).is_ok()
    }
}

/// Objects the remote serves at their ids (by path), as its own posts.
type Served = Arc<Mutex<std::collections::HashMap<String, Value>>>;

#[derive(Default)]
struct Inbox {
    received: Vec<Received>,
    script: VecDeque<u16>,
    fallback: Option<u16>,
    /// Answer 401 to RFC 9421 signatures, as a server that knows only draft-cavage does.
    cavage_only: bool,
    /// Answer with an `Accept-Signature` header asking for RFC 9421 (as Fedify negotiates).
    ask_for_rfc9421: bool,
}

pub struct Remote {
    pub actor_id: String,
    pub key_id: String,
    pub signer: RequestSigner,
    /// The actor's private key (PKCS#8 PEM), for tests that sign by hand.
    pub private_key_pem: String,
    /// The base URL, `http://localhost:PORT`.
    pub base: String,
    inbox: Arc<Mutex<Inbox>>,
    served: Served,
    /// The actor document it serves (tests may reshape it before perch first fetches it).
    doc: Arc<Mutex<Value>>,
}

impl Remote {
    pub async fn start(username: &str) -> Remote {
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind");
        let port = listener.local_addr().expect("addr").port();
        let base = format!("http://localhost:{port}");
        let actor_id = format!("{base}/users/{username}");
        let key_id = format!("{actor_id}#main-key");
        let keys = activitypub_federation::http_signatures::generate_actor_keypair().expect("keys");
        let signer = RequestSigner::from_pem(&key_id, &keys.private_key).expect("signer");
        let doc = json!({
            "@context": ["https://www.w3.org/ns/activitystreams", "https://w3id.org/security/v1"],
            "type": "Person",
            "id": actor_id,
            "preferredUsername": username,
            "name": format!("Remote {username}"),
            "inbox": format!("{actor_id}/inbox"),
            "outbox": format!("{actor_id}/outbox"),
            "followers": format!("{actor_id}/followers"),
            "publicKey": { "id": key_id, "owner": actor_id, "publicKeyPem": keys.public_key },
        });
        let inbox = Arc::new(Mutex::new(Inbox::default()));
        let served: Served = Arc::default();
        let doc = Arc::new(Mutex::new(doc));
        let (doc2, inbox2, served2) = (doc.clone(), inbox.clone(), served.clone());
        let server = HttpServer::new(move || {
            let doc = doc2.clone();
            let inbox = inbox2.clone();
            let served = served2.clone();
            App::new()
                .default_service(web::to(move |req: HttpRequest| {
                    let found = served.lock().expect("lock").get(req.path()).cloned();
                    async move {
                        match found {
                            Some(v) => HttpResponse::Ok()
                                .content_type("application/activity+json")
                                .json(v),
                            None => HttpResponse::NotFound().finish(),
                        }
                    }
                }))
                .route(
                    "/users/{name}",
                    web::get().to(move || {
                        let doc = doc.lock().expect("lock").clone();
                        async move {
                            HttpResponse::Ok()
                                .content_type("application/activity+json")
                                .json(doc)
                        }
                    }),
                )
                .route(
                    "/users/{name}/inbox",
                    web::post().to(move |req: HttpRequest, body: web::Bytes| {
                        let inbox = inbox.clone();
                        async move {
                            let mut inbox = inbox.lock().expect("lock");
                            let header = |name: &str| {
                                req.headers()
                                    .get(name)
                                    .and_then(|v| v.to_str().ok())
                                    .map(str::to_owned)
                            };
                            let signature_input = header("signature-input");
                            let status = if signature_input.is_some() && inbox.cavage_only {
                                401
                            } else {
                                inbox.script.pop_front().or(inbox.fallback).unwrap_or(202)
                            };
                            inbox.received.push(Received {
                                status,
                                signature: header("signature"),
                                signature_input,
                                body: serde_json::from_slice(&body).unwrap_or(Value::Null),
                                request: perch::routes::federation::incoming(&req),
                                raw_body: body.to_vec(),
                            });
                            let mut res = HttpResponse::build(
                                actix_web::http::StatusCode::from_u16(status).expect("status"),
                            );
                            if inbox.ask_for_rfc9421 {
                                res.insert_header((
                                    "accept-signature",
                                    r#"sig1=("@method" "@target-uri" "content-digest")"#,
                                ));
                            }
                            res.finish()
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
        Remote {
            actor_id,
            key_id,
            signer,
            private_key_pem: keys.private_key.clone(),
            base,
            inbox,
            served,
            doc,
        }
    }

    /// Changes the actor document it serves (before perch has fetched it, or refetches it).
    pub fn edit_actor(&self, edit: impl FnOnce(&mut Value)) {
        edit(&mut self.doc.lock().expect("lock"));
    }

    /// The base URL of this remote server, `http://localhost:PORT`.
    pub fn base(&self) -> String {
        self.actor_id
            .rsplit_once("/users/")
            .expect("actor id")
            .0
            .to_owned()
    }

    /// Serves `body` as JSON at `path` (any query), as a WebFinger answer or another document.
    pub fn serve_at(&self, path: &str, body: &Value) {
        self.served
            .lock()
            .expect("lock")
            .insert(path.to_owned(), body.clone());
    }

    /// The actor document it serves (a test may serve a changed copy at the same id).
    pub fn document(&self) -> Value {
        self.doc.lock().expect("lock").clone()
    }

    /// Serves `object` at its own id, as the remote's post.
    pub fn serve(&self, object: &Value) {
        let id = object["id"].as_str().expect("an id");
        let path = url::Url::parse(id).expect("a URL").path().to_owned();
        self.serve_at(&path, object);
    }

    /// The next answers of the inbox, in order.
    pub fn script(&self, statuses: &[u16]) {
        self.inbox.lock().expect("lock").script.extend(statuses);
    }

    /// The answer once the script has run out (202 unless set).
    pub fn answer_always(&self, status: Option<u16>) {
        self.inbox.lock().expect("lock").fallback = status;
    }

    /// From now on, answer with `Accept-Signature`, asking for RFC 9421 signatures.
    pub fn ask_for_rfc9421(&self) {
        self.inbox.lock().expect("lock").ask_for_rfc9421 = true;
    }

    /// The actor document says (FEP-844e) that this server implements RFC 9421; call it
    /// before perch first fetches the actor.
    pub fn advertise_rfc9421(&self) {
        self.doc.lock().expect("lock")["generator"] = json!({
            "type": "Application",
            "implements": [{"href": "https://datatracker.ietf.org/doc/html/rfc9421"}],
        });
    }

    /// From now on, answer 401 to RFC 9421 signatures (draft-cavage ones are taken).
    pub fn accept_only_cavage(&self) {
        self.inbox.lock().expect("lock").cavage_only = true;
    }

    pub fn received(&self) -> Vec<Received> {
        self.inbox.lock().expect("lock").received.clone()
    }

    /// What reached the inbox for the activity of this type and object id.
    pub fn received_for(&self, kind: &str, object_id: &str) -> Vec<Received> {
        self.received()
            .into_iter()
            .filter(|r| {
                r.body["type"] == kind
                    && (r.body["object"] == object_id || r.body["object"]["id"] == object_id)
            })
            .collect()
    }

    /// A Follow of `target` by this actor.
    pub fn follow(&self, target: &str) -> Value {
        json!({
            "@context": "https://www.w3.org/ns/activitystreams",
            "id": format!("{}/follows/{}", self.actor_id, uuid::Uuid::new_v4()),
            "type": "Follow",
            "actor": self.actor_id,
            "object": target,
        })
    }

    /// POSTs `body` to `inbox`, signed by this actor's key at `date`.
    pub async fn post_signed_at(
        &self,
        inbox: &str,
        body: &Value,
        date: DateTime<Utc>,
    ) -> reqwest::Response {
        let bytes = serde_json::to_vec(body).expect("json");
        let headers = self.signer.sign_post(
            &url::Url::parse(inbox).expect("url"),
            &bytes,
            "application/activity+json",
            date,
        );
        send(inbox, bytes, headers).await
    }

    pub async fn post_signed(&self, inbox: &str, body: &Value) -> reqwest::Response {
        self.post_signed_at(inbox, body, Utc::now()).await
    }

    /// POSTs `body` to `inbox` signed the RFC 9421 way, as Mastodon 4.5 does.
    pub async fn post_rfc9421(&self, inbox: &str, body: &Value) -> reqwest::Response {
        let bytes = serde_json::to_vec(body).expect("json");
        let headers = self.signer.sign_post_rfc9421(
            &url::Url::parse(inbox).expect("url"),
            &bytes,
            "application/activity+json",
            Utc::now(),
        );
        send(inbox, bytes, headers).await
    }
}

impl Remote {
    /// GETs `url` as ActivityPub JSON, signed by this actor (the RFC 9421 way or draft-cavage).
    pub async fn get_signed(&self, url: &str, rfc9421: bool) -> reqwest::Response {
        self.get_signed_by(&self.signer, url, rfc9421, Utc::now())
            .await
    }

    /// GETs `url` signed by `signer` at `date`.
    pub async fn get_signed_by(
        &self,
        signer: &RequestSigner,
        url: &str,
        rfc9421: bool,
        date: DateTime<Utc>,
    ) -> reqwest::Response {
        let parsed = url::Url::parse(url).expect("url");
        let headers = if rfc9421 {
            signer.sign_get_rfc9421(&parsed, date)
        } else {
            signer.sign_get(&parsed, date)
        };
        let mut req = super::http()
            .get(url)
            .header("accept", "application/activity+json");
        for (name, value) in headers {
            if name != "host" {
                req = req.header(name, value);
            }
        }
        req.send().await.expect("send")
    }
}

/// POSTs `body` to `inbox`, signed draft-cavage now by `signer` (any key under any key id:
/// for tests that sign as someone the remote is not).
pub async fn post_signed_by(
    signer: &RequestSigner,
    inbox: &str,
    body: &Value,
) -> reqwest::Response {
    let bytes = serde_json::to_vec(body).expect("json");
    let url = url::Url::parse(inbox).expect("url");
    let headers = signer.sign_post(&url, &bytes, "application/activity+json", Utc::now());
    send(inbox, bytes, headers).await
}

/// POSTs raw bytes with the given headers (the Host header is reqwest's own).
pub async fn send(
    url: &str,
    body: Vec<u8>,
    headers: Vec<(&'static str, String)>,
) -> reqwest::Response {
    let mut req = super::http().post(url).body(body);
    for (name, value) in headers {
        if name != "host" {
            req = req.header(name, value);
        }
    }
    req.send().await.expect("send")
}
