//! Replies as Mastodon, GoToSocial, Misskey, Pleroma (Akkoma), Lemmy, PeerTube, Friendica,
//! Hubzilla, WordPress, Ghost and Bridgy Fed send them (tests/fixtures/<software>/
//! create_reply.json, see their README): each parses, and each becomes a comment under the
//! post it answers, with its content warning and attachments.

use crate::support::{eventually, remote::Remote, seed, spawn_app, TestApp};
use perch::{
    apub::inbox::InboxActivity,
    db::queries::{media, objects},
    domain::Visibility,
    services::publish,
};
use serde_json::Value;

const SOFTWARE: [&str; 11] = [
    "mastodon",
    "gotosocial",
    "misskey",
    "pleroma",
    "lemmy",
    "peertube",
    "friendica",
    "hubzilla",
    "wordpress",
    "ghost",
    "bridgy-fed",
];

fn fixture_file(software: &str, name: &str) -> Option<String> {
    let path = format!(
        "{}/tests/fixtures/{software}/{name}",
        env!("CARGO_MANIFEST_DIR")
    );
    std::fs::read_to_string(&path).ok()
}

fn fixture(software: &str) -> String {
    fixture_file(software, "create_reply.json")
        .unwrap_or_else(|| panic!("{software}/create_reply.json is missing"))
}

/// The fixture with its placeholders filled in for `remote` answering `parent` on `app`.
fn filled(software: &str, remote: &Remote, app: &TestApp, parent: &str) -> Value {
    fill(software, &fixture(software), remote, app, parent)
}

/// The server's actor document (`actor.json`), when there is one, becomes `remote`'s, with
/// the remote's own key (the fixture's keys cannot sign).
fn dress_actor(software: &str, remote: &Remote, app: &TestApp) -> Option<Value> {
    let text = fixture_file(software, "actor.json")?;
    let actor = fill(software, &text, remote, app, "");
    remote.edit_actor(|doc| {
        for (k, v) in actor.as_object().expect("an actor object") {
            if k != "publicKey" {
                doc[k] = v.clone();
            }
        }
        if actor.get("preferredUsername").is_none() {
            doc.as_object_mut()
                .expect("object")
                .remove("preferredUsername");
        }
    });
    Some(actor)
}

fn fill(software: &str, text: &str, remote: &Remote, app: &TestApp, parent: &str) -> Value {
    let base = remote.actor_id.rsplit_once("/users/").expect("actor id").0;
    let path = remote
        .actor_id
        .strip_prefix(&format!("{base}/"))
        .expect("path");
    let text = text
        .replace("REMOTE/ACTOR_PATH", &remote.actor_id)
        .replace("ACTOR_PATH", path)
        .replace("REMOTE", base)
        .replace("PARENT", parent)
        .replace("PERCH_ACTOR", &app.actor_url())
        .replace("PERCH_HOST", &app.domain());
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{software}: {e}"))
}

#[test]
fn every_fixture_parses_as_a_create_of_a_note() {
    for software in SOFTWARE {
        let value: Value =
            serde_json::from_str(&fixture(software).replace("REMOTE", "https://remote.example"))
                .unwrap_or_else(|e| panic!("{software}: {e}"));
        let parsed = InboxActivity::parse(value).unwrap_or_else(|e| panic!("{software}: {e}"));
        assert!(
            matches!(parsed, InboxActivity::Create(_)),
            "{software}: {parsed:?}"
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn replies_from_eleven_kinds_of_server_become_comments() {
    let app = &spawn_app().await;
    let article = publish::article(&app.app.data(), seed::ARTICLE, Visibility::Public)
        .await
        .unwrap()
        .post;
    for software in SOFTWARE {
        let remote = Remote::start(&format!("{software}_fan")).await;
        let actor = dress_actor(software, &remote, app);
        let create = filled(software, &remote, app, &article.ap_id);
        let object_id = create["object"]["id"].as_str().unwrap().to_owned();
        let res = remote.post_signed(&app.url("/inbox"), &create).await;
        let status = res.status();
        assert_eq!(status, 202, "{software}: {}", res.text().await.unwrap());
        let id = object_id.clone();
        let comment = eventually(software, || {
            let id = id.clone();
            async move { app.query(move |c| objects::by_ap_id(c, &id)).await }
        })
        .await;
        assert_eq!(comment.thread_root_id, Some(article.id), "{software}");
        assert!(!comment.content.is_empty(), "{software}");
        assert!(!comment.content.contains("<script"), "{software}");
        let note = &create["object"];
        let warned = note["summary"].as_str().is_some_and(|s| !s.is_empty());
        assert_eq!(
            comment.summary.as_deref().is_some_and(|s| !s.is_empty()),
            warned,
            "{software}"
        );
        let attached = match &note["attachment"] {
            Value::Array(a) => a.len(),
            Value::Object(_) => 1,
            _ => 0,
        };
        let stored = app.query(move |c| media::for_object(c, comment.id)).await;
        assert_eq!(stored.len(), attached, "{software}");
        if let Some(first) = stored.first() {
            assert!(
                first.description.is_some(),
                "{software}: the alt text is kept"
            );
        }
        if let Some(actor) = actor {
            let id = remote.actor_id.clone();
            let row = app
                .query(move |c| perch::db::queries::actors::by_ap_id(c, &id))
                .await
                .unwrap();
            assert_eq!(
                Some(row.username.as_str()),
                actor["preferredUsername"].as_str(),
                "{software}"
            );
            assert!(row.icon.is_some(), "{software}: the avatar is kept");
            if let Some(url) = &row.url {
                assert!(url.starts_with(&remote.base()), "{software}: {url}");
            }
        }
    }
    let thread = app.query(move |c| objects::thread(c, article.id)).await;
    assert_eq!(thread.len(), SOFTWARE.len());
}
