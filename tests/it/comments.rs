//! Replies from the fediverse become comments under the post: threaded, edited and deleted
//! only by their authors, sanitised, moderated, and counted with likes and boosts.

use crate::support::{eventually, http, remote::Remote, seed, spawn_app, spawn_app_with, TestApp};
use perch::domain::visibility::Moderation;
use perch::{
    db::{
        models::*,
        queries::{notifications, objects},
    },
    domain::Visibility,
    services::{
        edit,
        moderation::{self, Action},
        publish::{self, NewPost},
    },
};
use serde_json::{json, Value};

pub(crate) async fn stored(at: &TestApp, ap_id: &str) -> Option<DbObject> {
    let id = ap_id.to_owned();
    at.query(move |c| objects::by_ap_id(c, &id)).await
}

async fn get_json(url: &str) -> Value {
    http()
        .get(url)
        .header("accept", "application/activity+json")
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap()
}

async fn reply_ids(post: &str) -> Vec<String> {
    let replies = get_json(&format!("{post}/replies")).await;
    replies["orderedItems"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_str().unwrap().to_owned())
        .collect()
}

fn reply_from(remote: &Remote, n: u32, parent: &str, content: &str) -> Value {
    let id = format!("{}/statuses/{n}", remote.actor_id);
    json!({
        "@context": "https://www.w3.org/ns/activitystreams",
        "id": format!("{id}/activity"),
        "type": "Create",
        "actor": remote.actor_id,
        "to": ["https://www.w3.org/ns/activitystreams#Public"],
        "object": {
            "id": id,
            "type": "Note",
            "attributedTo": remote.actor_id,
            "inReplyTo": parent,
            "content": content,
            "published": "2026-11-25T10:00:00Z",
            "to": ["https://www.w3.org/ns/activitystreams#Public"],
        }
    })
}

pub(crate) async fn page(url: &str) -> String {
    let res = http()
        .get(url)
        .header("accept", "text/html")
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
    res.text().await.unwrap()
}

async fn reply(from: &TestApp, parent: &str, text: &str) -> DbObject {
    let mut new = NewPost::note(text, Visibility::Public);
    new.in_reply_to = Some(parent.to_owned());
    publish::publish(&from.app.data(), new).await.unwrap().post
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_reply_from_another_instance_becomes_a_threaded_comment() {
    let a = spawn_app().await;
    let b = spawn_app().await;
    let article = publish::article(&a.app.data(), seed::ARTICLE, Visibility::Public)
        .await
        .unwrap()
        .post;

    let first = reply(
        &b,
        &article.ap_id,
        "Great notes! The replication defaults bit us too.",
    )
    .await;
    let c1 = eventually("A stores B's reply as a comment", || {
        stored(&a, &first.ap_id)
    })
    .await;
    assert_eq!(
        (c1.thread_root_id, c1.parent_id),
        (Some(article.id), Some(article.id))
    );
    assert_eq!(c1.moderation.as_deref(), Some(Moderation::Visible.as_str()));
    assert_eq!(
        reply_ids(&article.ap_id).await,
        std::slice::from_ref(&first.ap_id)
    );
    let object = get_json(&article.ap_id).await;
    assert_eq!(object["replies"]["totalItems"], 1);

    // B answers its own comment: the answer nests under it at A.
    let second = reply(&b, &first.ap_id, "And the tooling gap is real.").await;
    let c2 = eventually("A stores the nested reply", || stored(&a, &second.ap_id)).await;
    assert_eq!(
        (c2.thread_root_id, c2.parent_id),
        (Some(article.id), Some(c1.id))
    );
    assert_eq!(
        reply_ids(&article.ap_id).await,
        std::slice::from_ref(&first.ap_id),
        "direct replies only"
    );
    // The article's page shows both, the answer nested under the comment it answers.
    let html = page(&article.ap_id).await;
    let at_first = html
        .find(&format!("id=\"comment-{}\"", c1.id))
        .expect("first shown");
    let at_second = html
        .find(&format!("id=\"comment-{}\"", c2.id))
        .expect("second shown");
    assert!(at_first < at_second);
    assert!(
        html[at_first..at_second].contains("<ol class=\"thread\">"),
        "nested"
    );
    assert!(html.contains("Great notes! The replication defaults bit us too."));
    assert!(html.contains(&format!("@me@{}", b.domain())));
    assert!(html.contains("Comments (2)"));

    // B edits: A shows the new text and keeps the old one as a version.
    edit::edit(
        &b.app.data(),
        &first.ap_id,
        "Great notes! Replication defaults bit us too (edited).",
        false,
    )
    .await
    .unwrap();
    eventually("A has the edited text", || async {
        stored(&a, &first.ap_id)
            .await
            .filter(|c| c.content.contains("(edited)"))
    })
    .await;
    let versions = a.query(move |c| objects::versions(c, c1.id)).await;
    assert_eq!(versions.len(), 1);

    // B deletes the first comment: a tombstone keeps the thread's shape.
    edit::delete(&b.app.data(), &first.ap_id).await.unwrap();
    let gone = eventually("A tombstones the comment", || async {
        stored(&a, &first.ap_id).await.filter(|c| c.is_deleted())
    })
    .await;
    assert!(gone.content.is_empty());
    let child = stored(&a, &second.ap_id).await.expect("the answer stays");
    assert_eq!(child.parent_id, Some(c1.id));
    let html = page(&article.ap_id).await;
    assert!(html.contains("This comment was deleted."));
    assert!(html.contains("And the tooling gap is real."));
    assert!(
        !html.contains("(edited)</p>")
            && !html.contains("Replication defaults bit us too (edited)")
    );

    let kinds: Vec<String> = a
        .query(|c| notifications::recent(c, 50))
        .await
        .into_iter()
        .map(|n| n.kind)
        .collect();
    assert_eq!(
        kinds.iter().filter(|k| *k == "mention").count(),
        2,
        "{kinds:?}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn only_a_comments_author_may_edit_or_delete_it() {
    let a = spawn_app().await;
    let post = publish::note(&a.app.data(), seed::NOTE_COMMENTS, Visibility::Public)
        .await
        .unwrap()
        .post;
    let alice = Remote::start("alice").await;
    let mallory = Remote::start("mallory").await;
    let res = alice
        .post_signed(
            &a.url("/inbox"),
            &reply_from(&alice, 1, &post.ap_id, "<p>Mine.</p>"),
        )
        .await;
    assert_eq!(res.status(), 202);
    let comment_id = format!("{}/statuses/1", alice.actor_id);
    eventually("A stores alice's comment", || stored(&a, &comment_id)).await;

    let forged_update = json!({
        "id": format!("{}/updates/1", mallory.actor_id),
        "type": "Update",
        "actor": mallory.actor_id,
        "object": {"id": comment_id, "type": "Note", "attributedTo": alice.actor_id, "content": "<p>pwned</p>", "inReplyTo": post.ap_id},
    });
    let res = mallory.post_signed(&a.url("/inbox"), &forged_update).await;
    assert_eq!(res.status(), 403);
    let forged_delete = json!({
        "id": format!("{}/deletes/1", mallory.actor_id),
        "type": "Delete",
        "actor": mallory.actor_id,
        "object": comment_id,
    });
    let res = mallory.post_signed(&a.url("/inbox"), &forged_delete).await;
    assert_eq!(res.status(), 403);
    let kept = stored(&a, &comment_id).await.expect("still there");
    assert_eq!(kept.content, "<p>Mine.</p>");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn hostile_comment_html_is_stored_with_nothing_executable() {
    let a = spawn_app().await;
    let post = publish::note(&a.app.data(), seed::NOTE_COMMENTS, Visibility::Public)
        .await
        .unwrap()
        .post;
    let eve = Remote::start("eve").await;
    let corpus = [
        "<p>hi<script>alert(1)</script></p>",
        "<img src=x onerror=alert(1)>",
        "<a href=\"javascript:alert(1)\">click</a>",
        "<a href=\"jav&#x09;ascript:alert(1)\">tab</a>",
        "<style>*{display:none}</style><p>styled</p>",
        "<iframe src=\"https://evil.example\"></iframe>",
        "<svg><g onload=\"alert(1)\"></g></svg>",
        "<p onmouseover=\"alert(1)\">hover</p>",
        "<a href=\"data:text/html,<script>alert(1)</script>\">data</a>",
        "<p>unclosed <em>tags <a href=\"https://ok.example\">",
        "&lt;script&gt;alert(1)&lt;/script&gt;",
        "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>",
    ];
    for (n, html) in corpus.iter().enumerate() {
        let res = eve
            .post_signed(
                &a.url("/inbox"),
                &reply_from(&eve, n as u32 + 1, &post.ap_id, html),
            )
            .await;
        assert_eq!(res.status(), 202, "{html}");
    }
    let thread = a.query(move |c| objects::thread(c, post.id)).await;
    assert_eq!(thread.len(), corpus.len());
    let html = page(&post.ap_id).await.to_ascii_lowercase();
    assert!(
        html.contains("styled") && html.contains("hover"),
        "the harmless text stays"
    );
    for bad in [
        "<script",
        "onerror",
        "onload",
        "onmouseover",
        "javascript:",
        "<iframe",
        "<svg",
        "<style",
    ] {
        assert!(!html.contains(bad), "the page shows {bad}");
    }
    for comment in thread {
        let lower = comment.content.to_ascii_lowercase();
        for bad in [
            "<script",
            "onerror",
            "onload",
            "onmouseover",
            "javascript:",
            "data:",
            "<style",
            "<iframe",
            "<svg",
            "<img",
        ] {
            assert!(!lower.contains(bad), "{} kept {bad}", comment.content);
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn held_comments_wait_for_approval_and_blocked_servers_are_refused() {
    let a = spawn_app_with(&[("comments.policy", "approve".into())]).await;
    let post = publish::note(&a.app.data(), seed::NOTE_COMMENTS, Visibility::Public)
        .await
        .unwrap()
        .post;
    let bob = Remote::start("bob").await;
    bob.post_signed(
        &a.url("/inbox"),
        &reply_from(&bob, 1, &post.ap_id, "<p>First!</p>"),
    )
    .await;
    let comment_id = format!("{}/statuses/1", bob.actor_id);
    let held = eventually("the comment is stored", || stored(&a, &comment_id)).await;
    assert_eq!(held.moderation.as_deref(), Some(Moderation::Held.as_str()));
    assert!(
        reply_ids(&post.ap_id).await.is_empty(),
        "a held comment is not listed"
    );
    let pending = moderation::list(a.app.state(), true).await.unwrap();
    assert_eq!(pending.len(), 1);

    moderation::moderate(a.app.state(), held.id, Action::Approve)
        .await
        .unwrap();
    assert_eq!(
        reply_ids(&post.ap_id).await,
        std::slice::from_ref(&comment_id)
    );
    moderation::moderate(a.app.state(), held.id, Action::Hide)
        .await
        .unwrap();
    assert!(reply_ids(&post.ap_id).await.is_empty());
    moderation::moderate(a.app.state(), held.id, Action::Unhide)
        .await
        .unwrap();

    // Blocking bob's server refuses what it sends next and hides what it sent before.
    let host = url::Url::parse(&bob.actor_id).unwrap();
    let domain = format!("{}:{}", host.host_str().unwrap(), host.port().unwrap());
    moderation::block(&a.app.data(), &domain).await.unwrap();
    let res = bob
        .post_signed(
            &a.url("/inbox"),
            &reply_from(&bob, 2, &post.ap_id, "<p>Again</p>"),
        )
        .await;
    assert_eq!(res.status(), 403);
    assert!(stored(&a, &format!("{}/statuses/2", bob.actor_id))
        .await
        .is_none());
    assert!(
        reply_ids(&post.ap_id).await.is_empty(),
        "the earlier comment is hidden"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn likes_and_boosts_are_counted_once_and_undone() {
    let a = spawn_app().await;
    let post = publish::note(&a.app.data(), seed::NOTE_MENTION, Visibility::Public)
        .await
        .unwrap()
        .post;
    let fan = Remote::start("fan").await;
    let like = |n: u32| json!({"id": format!("{}/likes/{n}", fan.actor_id), "type": "Like", "actor": fan.actor_id, "object": post.ap_id});
    for n in [1, 2] {
        let res = fan.post_signed(&a.url("/inbox"), &like(n)).await;
        assert_eq!(res.status(), 202);
    }
    let boost = json!({
        "id": format!("{}/boosts/1", fan.actor_id), "type": "Announce", "actor": fan.actor_id,
        "object": post.ap_id, "to": ["https://www.w3.org/ns/activitystreams#Public"],
    });
    fan.post_signed(&a.url("/inbox"), &boost).await;
    let object = get_json(&post.ap_id).await;
    assert_eq!(
        object["likes"]["totalItems"], 1,
        "the same Like twice counts once"
    );
    assert_eq!(object["shares"]["totalItems"], 1);

    let undo = json!({"id": format!("{}/undo/1", fan.actor_id), "type": "Undo", "actor": fan.actor_id, "object": like(1)});
    let res = fan.post_signed(&a.url("/inbox"), &undo).await;
    assert_eq!(res.status(), 202);
    let object = get_json(&post.ap_id).await;
    assert_eq!(object["likes"]["totalItems"], 0);
    assert_eq!(object["shares"]["totalItems"], 1);
    let kinds: Vec<String> = a
        .query(|c| notifications::recent(c, 50))
        .await
        .into_iter()
        .map(|n| n.kind)
        .collect();
    assert_eq!(kinds, ["reblog"], "the like's notification went with it");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_reply_to_an_unseen_comment_fetches_the_comment_first() {
    let a = spawn_app().await;
    let post = publish::note(&a.app.data(), seed::NOTE_COMMENTS, Visibility::Public)
        .await
        .unwrap()
        .post;
    let alice = Remote::start("alice").await;
    let bob = Remote::start("bob").await;
    // Alice's comment never reached perch; her server still has it.
    let first = reply_from(&alice, 1, &post.ap_id, "<p>Comments are the best part.</p>");
    alice.serve(&first["object"]);
    // Bob answers Alice, and only that reaches perch.
    let second = reply_from(
        &bob,
        1,
        first["object"]["id"].as_str().unwrap(),
        "<p>Agreed!</p>",
    );
    let res = bob.post_signed(&a.url("/inbox"), &second).await;
    assert_eq!(res.status(), 202);

    let parent = stored(&a, first["object"]["id"].as_str().unwrap())
        .await
        .expect("the parent was fetched and stored");
    let child = stored(&a, second["object"]["id"].as_str().unwrap())
        .await
        .expect("the reply is stored");
    assert_eq!(parent.thread_root_id, Some(post.id));
    assert_eq!(child.parent_id, Some(parent.id));
    assert_eq!(child.thread_root_id, Some(post.id));

    // A reply whose ancestors are out of reach (deeper than the bound) is not a comment.
    let shallow = spawn_app_with(&[("comments.max_fetch_depth", 0.into())]).await;
    let post2 = publish::note(&shallow.app.data(), "another", Visibility::Public)
        .await
        .unwrap()
        .post;
    let first2 = reply_from(&alice, 2, &post2.ap_id, "<p>hi</p>");
    alice.serve(&first2["object"]);
    let second2 = reply_from(
        &bob,
        2,
        first2["object"]["id"].as_str().unwrap(),
        "<p>yo</p>",
    );
    bob.post_signed(&shallow.url("/inbox"), &second2).await;
    assert!(stored(&shallow, second2["object"]["id"].as_str().unwrap())
        .await
        .is_none());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_mention_without_a_reply_is_kept_as_a_notification() {
    let a = spawn_app().await;
    let carol = Remote::start("carol").await;
    let id = format!("{}/statuses/9", carol.actor_id);
    let create = json!({
        "id": format!("{id}/activity"),
        "type": "Create",
        "actor": carol.actor_id,
        "object": {
            "id": id,
            "type": "Note",
            "attributedTo": carol.actor_id,
            "content": "<p>Have you read <span class=\"h-card\"><a href=\"#\">@me</a></span>'s Kafka notes?</p>",
            "to": ["https://www.w3.org/ns/activitystreams#Public"],
            "cc": [a.actor_url()],
            "tag": [{"type": "Mention", "href": a.actor_url(), "name": format!("@{}", a.handle())}],
        }
    });
    let res = carol.post_signed(&a.url("/inbox"), &create).await;
    assert_eq!(res.status(), 202);
    let kept = stored(&a, &id).await.expect("the mentioning post is kept");
    assert_eq!(kept.thread_root_id, None, "not a comment");
    let recent = a.query(|c| notifications::recent(c, 10)).await;
    assert_eq!(recent.len(), 1);
    assert_eq!(
        (recent[0].kind.as_str(), recent[0].object_id),
        ("mention", Some(kept.id))
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_followers_only_reply_is_not_shown_to_the_public() {
    let a = spawn_app().await;
    let post = publish::note(&a.app.data(), seed::NOTE_COMMENTS, Visibility::Public)
        .await
        .unwrap()
        .post;
    let dana = Remote::start("dana").await;
    let mut private = reply_from(&dana, 1, &post.ap_id, "<p>Just between us.</p>");
    let followers = json!([format!("{}/followers", dana.actor_id), a.actor_url()]);
    private["to"] = followers.clone();
    private["object"]["to"] = followers;
    dana.post_signed(&a.url("/inbox"), &private).await;
    let public = reply_from(&dana, 2, &post.ap_id, "<p>Out loud.</p>");
    dana.post_signed(&a.url("/inbox"), &public).await;
    let kept = stored(&a, &format!("{}/statuses/1", dana.actor_id))
        .await
        .expect("kept");
    assert_eq!(kept.visibility, "private");
    assert_eq!(
        reply_ids(&post.ap_id).await,
        [format!("{}/statuses/2", dana.actor_id)]
    );
    let html = page(&post.ap_id).await;
    assert!(html.contains("Out loud.") && !html.contains("Just between us."));
}
