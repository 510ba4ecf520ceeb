//! perch against ActivityPub servers that others wrote, installed from the package registries
//! by `tests/run.sh` and run on loopback as child processes (`tests/interop/`): a Fedify server,
//! a bovine server, and the bovine server as a lazy verifier (202 at once, verified afterwards,
//! as snac2 and Pixelfed do). Each verifies signatures itself and records what it verified;
//! the tests assert on those records, never on a 2xx.

use crate::{
    comments::{page, stored},
    support::{eventually, follow_state, get_json, http, spawn_app, TestApp},
};
use perch::domain::visibility::Moderation;
use perch::{
    db::{models::*, queries::signature_formats},
    domain::Visibility,
    services::{follow, publish},
};
use serde_json::{json, Value};
use std::{
    io::{BufRead, BufReader},
    path::PathBuf,
    process::{Child, Command, Stdio},
    time::Duration,
};

#[derive(Clone, Copy, Debug)]
enum Software {
    Fedify,
    /// Fedify signing draft-cavage first.
    FedifyCavage,
    Bovine,
    LazyBovine,
}

/// One peer server, killed when dropped; its stderr is shown if the test fails.
struct Peer {
    child: Child,
    log: tempfile::NamedTempFile,
    base: String,
    actor: String,
    handle: String,
    shared_inbox: String,
}

fn interop_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/interop")
}

fn node() -> PathBuf {
    let modules = interop_dir().join("fedify/node_modules/@fedify/fedify");
    assert!(
        modules.exists(),
        "{} is missing: run `bash tests/run.sh`, which runs `npm ci` there",
        modules.display()
    );
    std::env::var_os("PERCH_NODE")
        .map(PathBuf::from)
        .unwrap_or_else(|| "node".into())
}

fn bovine_python() -> PathBuf {
    crate::support::venv_python("PERCH_BOVINE_PYTHON", "interop-venv", "bovine")
}

impl Peer {
    async fn start(software: Software) -> Peer {
        let dir = interop_dir();
        let mut command = match software {
            Software::Fedify | Software::FedifyCavage => {
                let mut c = Command::new(node());
                c.arg("server.mjs").current_dir(dir.join("fedify"));
                if matches!(software, Software::FedifyCavage) {
                    c.arg("--draft-cavage");
                }
                c
            }
            Software::Bovine | Software::LazyBovine => {
                let mut c = Command::new(bovine_python());
                c.arg(dir.join("bovine/server.py"));
                if matches!(software, Software::LazyBovine) {
                    c.arg("--lazy");
                }
                c
            }
        };
        let log = tempfile::NamedTempFile::new().unwrap();
        let mut child = command
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(log.reopen().unwrap())
            .spawn()
            .unwrap_or_else(|e| panic!("{software:?} does not start ({command:?}): {e}"));
        let stdout = child.stdout.take().unwrap();
        let first = tokio::task::spawn_blocking(move || {
            let mut line = String::new();
            BufReader::new(stdout).read_line(&mut line).map(|_| line)
        });
        let mut peer = Peer {
            child,
            log,
            base: String::new(),
            actor: String::new(),
            handle: String::new(),
            shared_inbox: String::new(),
        };
        let line = tokio::time::timeout(Duration::from_secs(60), first)
            .await
            .unwrap_or_else(|_| panic!("{software:?} printed no port within 60 s"))
            .unwrap()
            .unwrap();
        let ready: Value = serde_json::from_str(&line)
            .unwrap_or_else(|_| panic!("{software:?} printed {line:?}, not its port"));
        let field = |name: &str| ready[name].as_str().expect(name).to_owned();
        peer.base = format!("http://127.0.0.1:{}", ready["port"]);
        (peer.actor, peer.handle) = (field("actor"), field("handle"));
        peer.shared_inbox = field("shared_inbox");
        peer
    }

    /// Runs one of the harness's commands (tests/interop/*/server.*: follow, unfollow, post,
    /// update, delete, like) and gives its answer.
    async fn call(&self, name: &str, body: Value) -> Value {
        let res = http()
            .post(format!("{}/_test/{name}", self.base))
            .json(&body)
            .timeout(Duration::from_secs(60))
            .send()
            .await
            .unwrap();
        let status = res.status();
        let text = res.text().await.unwrap();
        assert!(status.is_success(), "the peer's {name} failed: {text}");
        serde_json::from_str(&text).unwrap()
    }

    /// What the peer recorded: every inbox POST with whether it verified it, its followers.
    async fn status(&self) -> Value {
        let res = http()
            .get(format!("{}/_test/status", self.base))
            .send()
            .await
            .unwrap();
        res.json().await.unwrap()
    }

    /// Waits until the peer has verified an activity matching `wanted` and gives its record.
    /// On timeout, fails with every matching record (unverified ones say how they were signed).
    async fn verified(&self, what: &str, wanted: impl Fn(&Value) -> bool) -> Value {
        let deadline = tokio::time::Instant::now() + Duration::from_secs(30);
        loop {
            let status = self.status().await;
            let matching: Vec<Value> = status["received"]
                .as_array()
                .unwrap()
                .iter()
                .filter(|r| wanted(r))
                .cloned()
                .collect();
            if let Some(ok) = matching.iter().find(|r| r["verified"] == true) {
                return ok.clone();
            }
            if tokio::time::Instant::now() > deadline {
                panic!("the peer never verified {what}; what it recorded of it: {matching:#?}");
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }

    /// POSTs an unsigned Like "from" `actor` to the peer's shared inbox and checks that the
    /// peer records it as not verified. Gives the peer's answer.
    async fn refuses_unsigned(&self, actor: &str) -> u16 {
        let id = format!("{actor}/likes/forged");
        let like = json!({ "@context": "https://www.w3.org/ns/activitystreams", "id": id,
            "type": "Like", "actor": actor, "object": self.actor });
        let res = http()
            .post(&self.shared_inbox)
            .header("content-type", "application/activity+json")
            .body(like.to_string())
            .send()
            .await
            .unwrap();
        let answered = res.status().as_u16();
        let record = eventually("the peer records the unsigned POST", || async {
            let status = self.status().await;
            let received = status["received"].as_array().unwrap().clone();
            received.into_iter().find(|r| r["id"] == id.as_str())
        })
        .await;
        assert_eq!(record["verified"], false, "{record:#}");
        answered
    }

    async fn followers(&self) -> Vec<String> {
        serde_json::from_value(self.status().await["followers"].clone()).unwrap()
    }
}

impl Drop for Peer {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
        if std::thread::panicking() {
            let log = std::fs::read_to_string(self.log.path()).unwrap_or_default();
            eprintln!("--- the peer's stderr ---\n{log}");
        }
    }
}

/// The uris of the statuses on perch's home timeline, through the client API.
async fn home_timeline(perch: &TestApp, token: &str) -> Vec<String> {
    let statuses: Vec<Value> = http()
        .get(perch.url("/api/v1/timelines/home"))
        .bearer_auth(token)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    statuses
        .iter()
        .filter_map(|s| s["uri"].as_str().map(str::to_owned))
        .collect()
}

/// The whole round with a peer, in order (FEDERATION.md, "Servers perch was tried against");
/// each step waits on what the peer or perch recorded. Returns the signature formats the peer verified perch's POSTs in, and its status.
async fn federate_with(software: Software) -> (Vec<String>, Value) {
    let perch = spawn_app().await;
    let peer = Peer::start(software).await;
    let me = perch.actor_url();
    let data = perch.app.data();
    let from_perch = |kind: &'static str| {
        let me = me.clone();
        move |r: &Value| r["type"] == kind && r["actor"] == me.as_str()
    };

    // First, that its records mean something: an unsigned POST claiming to be perch's is
    // recorded as not verified (and, but for the lazy verifier, refused).
    let answered = peer.refuses_unsigned(&me).await;
    let lazy = matches!(software, Software::LazyBovine);
    assert_eq!(answered, if lazy { 202 } else { 401 });

    // The peer follows perch, and verifies perch's Accept.
    peer.call("follow", json!({ "actor": me })).await;
    peer.verified("perch's Accept of its Follow", from_perch("Accept"))
        .await;
    eventually("perch lists the peer as a follower", || async {
        (follow_state(&perch, &peer.actor, Direction::Incoming).await
            == Some(FollowState::Accepted))
        .then_some(())
    })
    .await;

    // A note and an article reach it, verified.
    let note = publish::note(
        &data,
        "Hello, independent servers! #interop",
        Visibility::Public,
    )
    .await
    .unwrap()
    .post;
    let created = from_perch("Create");
    let record = peer
        .verified("the Create of perch's note", |r| {
            created(r) && r["object"]["id"] == note.ap_id.as_str()
        })
        .await;
    assert_eq!(record["object"]["type"], "Note");
    assert!(record["object"]["content"]
        .as_str()
        .unwrap()
        .contains("Hello, independent servers!"));
    let article = publish::article(&data, crate::support::seed::ARTICLE, Visibility::Public)
        .await
        .unwrap()
        .post;
    let record = peer
        .verified("the Create of perch's article", |r| {
            created(r) && r["object"]["id"] == article.ap_id.as_str()
        })
        .await;
    let object = &record["object"];
    assert_eq!(object["type"], "Article", "{object:#}");
    assert_eq!(object["name"], "Notes from the First Kafka Summit");
    assert!(object["summary"]
        .as_str()
        .unwrap()
        .starts_with("I learned a lot at the first Kafka Summit"));
    assert_eq!(object["url"], article.ap_id.as_str());

    // Its reply becomes a comment on the note's page; its Like is counted.
    let reply = peer
        .call(
            "post",
            json!({ "to": me, "in_reply_to": note.ap_id, "content": "<p>Greetings from the peer.</p>" }),
        )
        .await;
    let reply_id = reply["object"].as_str().unwrap().to_owned();
    let comment = eventually("perch stores the reply as a comment", || {
        stored(&perch, &reply_id)
    })
    .await;
    assert_eq!(comment.parent_id, Some(note.id));
    assert_eq!(
        comment.moderation.as_deref(),
        Some(Moderation::Visible.as_str())
    );
    assert!(page(&note.ap_id).await.contains("Greetings from the peer."));
    peer.call("like", json!({ "to": me, "object": note.ap_id }))
        .await;
    eventually("perch counts the Like", || async {
        let (_, object) = get_json(&note.ap_id).await;
        (object["likes"]["totalItems"] == 1).then_some(())
    })
    .await;

    // Its edit and its Delete of the reply are honoured.
    peer.call(
        "update",
        json!({ "to": me, "id": reply_id, "in_reply_to": note.ap_id, "content": "<p>Greetings, edited.</p>" }),
    )
    .await;
    eventually("perch shows the edited comment", || async {
        stored(&perch, &reply_id)
            .await
            .filter(|c| c.content.contains("Greetings, edited."))
    })
    .await;
    peer.call("delete", json!({ "to": me, "id": reply_id }))
        .await;
    eventually("perch drops the deleted comment", || async {
        stored(&perch, &reply_id)
            .await
            .is_none_or(|c| c.is_deleted())
            .then_some(())
    })
    .await;
    assert!(!page(&note.ap_id).await.contains("Greetings, edited."));

    // perch follows it; the peer verifies the Follow, and its posts reach the home timeline.
    follow::follow(&data, &peer.handle).await.unwrap();
    peer.verified("perch's Follow", from_perch("Follow")).await;
    eventually("perch's Follow is accepted", || async {
        (follow_state(&perch, &peer.actor, Direction::Outgoing).await
            == Some(FollowState::Accepted))
        .then_some(())
    })
    .await;
    let post = peer
        .call(
            "post",
            json!({ "content": "<p>A post for my followers.</p>" }),
        )
        .await;
    let post_id = post["object"].as_str().unwrap().to_owned();
    let token = crate::client::token_for(&perch, "read").await;
    eventually("the peer's post is on perch's home timeline", || async {
        home_timeline(&perch, &token)
            .await
            .contains(&post_id)
            .then_some(())
    })
    .await;

    // Unfollowing, both ways.
    assert!(follow::unfollow(&data, &peer.handle).await.unwrap());
    peer.verified("perch's Undo of its Follow", from_perch("Undo"))
        .await;
    eventually("the peer drops perch from its followers", || async {
        (!peer.followers().await.contains(&me)).then_some(())
    })
    .await;
    peer.call("unfollow", json!({ "actor": me })).await;
    eventually("perch drops the peer from its followers", || async {
        follow_state(&perch, &peer.actor, Direction::Incoming)
            .await
            .is_none()
            .then_some(())
    })
    .await;

    let status = peer.status().await;
    let server = peer.handle.split('@').nth(1).unwrap().to_owned();
    let remembered = perch
        .query(move |c| signature_formats::get(c, &server))
        .await;
    println!(
        "{software:?}: perch remembers {remembered:?}; the peer recorded {:#}",
        status["received"]
    );
    let mut formats: Vec<String> = status["received"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|r| r["verified"] == true && r["actor"] == me.as_str())
        .map(|r| r["signature"].as_str().unwrap_or_default().to_owned())
        .collect();
    formats.sort();
    formats.dedup();
    (formats, status)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn fedify_follows_comments_likes_edits_deletes_and_is_followed() {
    let (formats, status) = federate_with(Software::Fedify).await;
    // Fedify's own POSTs are signed RFC 9421 and verify at perch: that is evidence, so perch
    // signs what it sends Fedify the same way, and Fedify verifies it.
    assert_eq!(formats, ["rfc9421"]);
    // Fedify knocks with RFC 9421 first and remembers the format a server took: perch
    // verified Fedify's RFC 9421 signatures (a refusal would have left draft-cavage here).
    assert_eq!(remembered_by_fedify(&status), ["rfc9421"], "{status:#}");
}

/// Without RFC 9421 from Fedify, perch has no evidence and signs draft-cavage, which Fedify
/// verifies as well; and perch verifies Fedify's draft-cavage.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn fedify_signing_draft_cavage_gets_draft_cavage() {
    let (formats, status) = federate_with(Software::FedifyCavage).await;
    assert_eq!(formats, ["draft-cavage"]);
    let remembered = remembered_by_fedify(&status);
    assert_eq!(
        remembered,
        ["draft-cavage-http-signatures-12"],
        "{status:#}"
    );
}

/// The signature format Fedify remembers for perch (the one perch took from it).
fn remembered_by_fedify(status: &Value) -> Vec<String> {
    let specs = status["outgoing_spec"].as_object().unwrap();
    specs
        .values()
        .map(|v| v.as_str().unwrap().to_owned())
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn bovine_follows_comments_likes_edits_deletes_and_is_followed() {
    let (formats, _) = federate_with(Software::Bovine).await;
    assert_eq!(formats, ["draft-cavage"], "bovine verifies draft-cavage");
}

/// A peer that answers 202 before it verifies: the answer says nothing about the signature, so
/// only a sender that signs in the format such servers verify (draft-cavage) without being told
/// gets through. (Before perch signed draft-cavage by default, it took the 202 to its RFC 9421
/// knock as success and none of its deliveries verified here.)
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_lazy_verifier_verifies_everything_perch_sends() {
    let (formats, _) = federate_with(Software::LazyBovine).await;
    assert_eq!(formats, ["draft-cavage"]);
}
