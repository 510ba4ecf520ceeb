//! The inbox path on its own, for arbitrary input: a perch instance without an HTTP server,
//! one known remote actor whose key is at hand (so that bodies can be signed properly and get
//! past the signature to the parse → verify → dispatch steps), no remote fetches
//! (`http_fetch_limit = 0`) and no rate limit. Shared by the proptest suite (tests/it/fuzz.rs)
//! and the cargo-fuzz targets (fuzz/), which include this file by path.

use perch::{
    app::Instance,
    apub::{
        inbox::{receive, IncomingRequest},
        signatures::RequestSigner,
        ACTIVITY_JSON,
    },
    db::{models::*, queries},
    error::Error,
};
use serde_json::{json, Value};

/// The known remote actor.
pub const ACTOR: &str = "http://remote.test/users/fuzz";
/// The instance's domain and inbox.
pub const DOMAIN: &str = "localhost:9";
pub const INBOX: &str = "http://localhost:9/inbox";

/// Words the inputs draw on (with [`KINDS`]: see [`word`]), so that generated JSON looks like
/// activities often enough.
pub const WORDS: &[&str] = &[
    "id",
    "type",
    "actor",
    "object",
    "to",
    "cc",
    "content",
    "attributedTo",
    "inReplyTo",
    "published",
    "updated",
    "url",
    "name",
    "summary",
    "sensitive",
    "tag",
    "href",
    "attachment",
    "mediaType",
    "Note",
    "Article",
    "Question",
    "Page",
    "Tombstone",
    "Person",
    "Mention",
    "Hashtag",
    "Image",
    "https://www.w3.org/ns/activitystreams#Public",
    ACTOR,
    "http://remote.test/users/fuzz/notes/1",
    "http://remote.test/users/fuzz/follows/1",
    "http://other.test/users/x",
    "http://localhost:9/users/me",
    "http://localhost:9/posts/1",
    "http://localhost:9/inbox",
    "<p>hello <a href=\"http://x.test\">@me</a></p>",
    "<script>alert(1)</script>",
    "2024-01-01T00:00:00Z",
    "",
];

/// The kinds of activity the structured inputs take.
pub const KINDS: &[&str] = &[
    "Create",
    "Update",
    "Delete",
    "Follow",
    "Accept",
    "Reject",
    "Undo",
    "Like",
    "EmojiReact",
    "Announce",
    "Move",
];

/// The `n`th of [`WORDS`] and [`KINDS`] (wrapping around).
pub fn word(n: usize) -> &'static str {
    let n = n % (WORDS.len() + KINDS.len());
    WORDS.get(n).unwrap_or_else(|| &KINDS[n - WORDS.len()])
}

pub struct InboxHarness {
    pub instance: Instance,
    signer: RequestSigner,
    _dir: tempfile::TempDir,
}

impl InboxHarness {
    pub async fn new() -> InboxHarness {
        let dir = tempfile::tempdir().expect("tempdir");
        let settings = super::database::loopback(
            dir.path(),
            &[
                ("server.domain", DOMAIN.into()),
                ("federation.http_fetch_limit", 0.into()),
                ("federation.inbox_rate_per_minute", 0.into()),
                ("federation.inbox_rate_per_address_per_minute", 0.into()),
            ],
        );
        let instance = Instance::open(settings).await.expect("instance");
        let keys = activitypub_federation::http_signatures::generate_actor_keypair().expect("keys");
        let key_id = format!("{ACTOR}#main-key");
        let signer = RequestSigner::from_pem(&key_id, &keys.private_key).expect("signer");
        let actor = NewActor {
            ap_id: ACTOR.into(),
            local: false,
            kind: "Person".into(),
            username: "fuzz".into(),
            domain: "remote.test".into(),
            name: None,
            summary: None,
            inbox: format!("{ACTOR}/inbox"),
            shared_inbox: None,
            outbox: None,
            followers_url: None,
            url: None,
            icon: None,
            public_key_id: key_id,
            public_key_pem: keys.public_key,
            private_key_pem: None,
            manually_approves_followers: false,
            published: None,
            // Never stale, so that it is never refetched (fetches are off).
            fetched_at: perch::db::now() + chrono::Duration::days(365 * 100),
        };
        instance
            .state()
            .db
            .run(move |c| queries::actors::upsert(c, &actor))
            .await
            .expect("the known actor");
        InboxHarness {
            instance,
            signer,
            _dir: dir,
        }
    }

    /// The inbox path for a POST with exactly these headers (names in lower case) and body.
    pub async fn raw(&self, headers: Vec<(String, String)>, body: &[u8]) -> Result<(), Error> {
        let request = IncomingRequest {
            method: "POST".into(),
            path_and_query: "/inbox".into(),
            headers,
        };
        receive(request, "127.0.0.1", body, &self.instance.data()).await
    }

    /// The inbox path for `body` signed properly, now, by the known actor.
    pub async fn signed(&self, body: &[u8]) -> Result<(), Error> {
        let url = url::Url::parse(INBOX).expect("url");
        let headers = self
            .signer
            .sign_post(&url, body, ACTIVITY_JSON, chrono::Utc::now())
            .into_iter()
            .map(|(n, v)| (n.to_owned(), v))
            .collect();
        self.raw(headers, body).await
    }
}

/// An activity of `kind` by the known actor, numbered `n`, about `object`, with `extra` fields.
pub fn activity(kind: &str, n: u64, object: Value, extra: Vec<(String, Value)>) -> Vec<u8> {
    let mut activity = json!({
        "@context": "https://www.w3.org/ns/activitystreams",
        "id": format!("{ACTOR}/activities/{n}"),
        "type": kind,
        "actor": ACTOR,
        "object": object,
        "to": ["https://www.w3.org/ns/activitystreams#Public"],
    });
    if let Value::Object(map) = &mut activity {
        for (k, v) in extra {
            if !matches!(k.as_str(), "id" | "actor") {
                map.insert(k, v);
            }
        }
    }
    serde_json::to_vec(&activity).expect("json")
}

/// What the inbox may answer arbitrary input with: acceptance, a 4xx with a reason, or a
/// failed fetch (fetches are off here). Never a 500: that would be our own fault.
pub fn is_clear(result: &Result<(), Error>) -> bool {
    match result {
        Ok(()) => true,
        Err(Error::Federation(_)) => true,
        Err(e) => {
            perch::routes::error::status(e).is_client_error() && !e.to_string().trim().is_empty()
        }
    }
}
