//! One rule of who may read what, on every surface. Four posts (public, unlisted,
//! followers-only, direct to one account) and four comments under the public one (approved,
//! held, hidden, deleted), each carrying a code word; then every surface is read as an
//! anonymous reader, a follower, a mentioned account and the author, and each must show
//! exactly the words that reader may read.

use crate::{
    client::token_for,
    support::{eventually, get_json, http, remote::Remote, remote_follower, spawn_app_with},
};
use perch::{
    db::queries::{actors, objects},
    domain::Visibility,
    services::{
        moderation::{self, Action},
        publish,
    },
};
use serde_json::{json, Value};
use std::collections::BTreeSet;

const POSTS: [&str; 4] = [
    "alphapublic",
    "bravounlisted",
    "charlieprivate",
    "deltadirect",
];
const COMMENTS: [&str; 4] = ["echoapproved", "foxtrotheld", "golfhidden", "hoteldeleted"];

/// The code words in `text`.
fn words(text: &str) -> BTreeSet<&'static str> {
    POSTS
        .iter()
        .chain(&COMMENTS)
        .copied()
        .filter(|w| text.contains(w))
        .collect()
}

fn set(items: &[&'static str]) -> BTreeSet<&'static str> {
    items.iter().copied().collect()
}

async fn text_of(res: reqwest::Response) -> (u16, String) {
    let status = res.status().as_u16();
    (status, res.text().await.unwrap_or_default())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_surface_shows_each_reader_exactly_what_the_one_rule_allows() {
    let app = spawn_app_with(&[("comments.policy", "approve".into())]).await;
    let data = app.app.data();
    let follower = remote_follower(&app, "follower").await;
    let mentioned = Remote::start("mentioned").await;
    let token = token_for(&app, "read write").await;

    let mut posts = Vec::new();
    for (word, visibility) in POSTS.iter().zip([
        Visibility::Public,
        Visibility::Unlisted,
        Visibility::Private,
        Visibility::Direct,
    ]) {
        let text = format!("{word} says hello");
        posts.push(publish::note(&data, &text, visibility).await.unwrap().post);
    }
    let (public, direct) = (posts[0].clone(), posts[3].clone());

    // The mentioned account is known once it signs a fetch; then the direct post names it.
    let res = mentioned.get_signed(&direct.ap_id, false).await;
    assert_eq!(res.status(), 404, "not mentioned yet");
    let (direct_id, mentioned_ap) = (direct.id, mentioned.actor_id.clone());
    app.query(move |c| {
        let who = actors::by_ap_id(c, &mentioned_ap)?.expect("the signer is known");
        objects::set_mentions(c, direct_id, &[who.id])
    })
    .await;

    // Four comments from the follower, all held on arrival; then moderated.
    let mut comments = Vec::new();
    for (n, word) in COMMENTS.iter().enumerate() {
        let id = format!("{}/statuses/{n}", follower.actor_id);
        let create = json!({
            "@context": "https://www.w3.org/ns/activitystreams",
            "id": format!("{id}/activity"),
            "type": "Create",
            "actor": follower.actor_id,
            "to": ["https://www.w3.org/ns/activitystreams#Public"],
            "object": {
                "id": id, "type": "Note", "attributedTo": follower.actor_id,
                "inReplyTo": public.ap_id, "content": format!("<p>{word}</p>"),
                "published": "2026-11-25T10:00:00Z",
                "to": ["https://www.w3.org/ns/activitystreams#Public"],
            }
        });
        let res = follower.post_signed(&app.url("/inbox"), &create).await;
        assert_eq!(res.status(), 202, "{word}");
        let stored = eventually(word, || {
            let id = id.clone();
            app.query(move |c| objects::by_ap_id(c, &id))
        })
        .await;
        comments.push(stored.id);
    }
    let state = app.app.state();
    moderation::moderate(state, comments[0], Action::Approve)
        .await
        .unwrap();
    moderation::moderate(state, comments[2], Action::Hide)
        .await
        .unwrap();
    moderation::moderate(state, comments[3], Action::Approve)
        .await
        .unwrap();
    let deleted = comments[3];
    app.query(move |c| objects::mark_deleted(c, deleted)).await;

    let anonymous = set(&["alphapublic", "bravounlisted", "echoapproved"]);
    let as_follower = set(&[
        "alphapublic",
        "bravounlisted",
        "charlieprivate",
        "echoapproved",
    ]);
    let as_mentioned = set(&[
        "alphapublic",
        "bravounlisted",
        "deltadirect",
        "echoapproved",
    ]);
    let as_author = set(&[
        "alphapublic",
        "bravounlisted",
        "charlieprivate",
        "deltadirect",
        "echoapproved",
        "foxtrotheld",
    ]);
    let only_posts = |s: &BTreeSet<&'static str>| -> BTreeSet<&'static str> {
        s.iter().copied().filter(|w| POSTS.contains(w)).collect()
    };
    let only_comments = |s: &BTreeSet<&'static str>| -> BTreeSet<&'static str> {
        s.iter().copied().filter(|w| COMMENTS.contains(w)).collect()
    };

    // The web: the home page, the archive, each post's page (with its comments), the feeds.
    let mut seen = BTreeSet::new();
    for path in ["/", "/archive", "/feed.atom", "/feed.json"] {
        let (status, body) = text_of(app.get(path).await).await;
        assert_eq!(status, 200, "{path}");
        let found = words(&body);
        assert!(
            found.is_subset(&only_posts(&anonymous)),
            "{path}: {found:?}"
        );
        seen.extend(found);
    }
    assert_eq!(seen, only_posts(&anonymous), "the web lists");
    let mut seen = BTreeSet::new();
    for post in &posts {
        let res = app.get_as(&post.ap_id, "text/html").await;
        let (status, body) = text_of(res).await;
        if status == 200 {
            seen.extend(words(&body));
        } else {
            assert_eq!(status, 404, "{}", post.ap_id);
        }
    }
    assert_eq!(seen, anonymous, "the post pages");

    // ActivityPub: each post fetched unsigned, by the follower, by the mentioned account; the
    // replies collection; the outbox.
    for (reader, expected) in [
        (None, &anonymous),
        (Some(&follower), &as_follower),
        (Some(&mentioned), &as_mentioned),
    ] {
        let mut seen = BTreeSet::new();
        for post in &posts {
            let (status, body) = match reader {
                None => get_json(&post.ap_id).await,
                Some(r) => {
                    let res = r.get_signed(&post.ap_id, false).await;
                    let status = res.status().as_u16();
                    (status, res.json().await.unwrap_or(Value::Null))
                }
            };
            if status == 200 {
                seen.extend(words(&body["content"].to_string()));
            } else {
                assert_eq!(status, 404, "{}", post.ap_id);
            }
        }
        let replies = match reader {
            None => get_json(&format!("{}/replies", public.ap_id)).await.1,
            Some(r) => r
                .get_signed(&format!("{}/replies", public.ap_id), false)
                .await
                .json()
                .await
                .unwrap(),
        };
        let ids = replies["orderedItems"].to_string();
        let mut replied = BTreeSet::new();
        for (n, word) in COMMENTS.iter().enumerate() {
            if ids.contains(&format!("{}/statuses/{n}\"", follower.actor_id)) {
                replied.insert(*word);
            }
        }
        // The deleted comment keeps its place (its id), as on the web page its tombstone
        // does, so the thread keeps its shape; its words show nowhere.
        let mut shaped = only_comments(expected);
        shaped.insert("hoteldeleted");
        assert_eq!(
            replied,
            shaped,
            "replies as {:?}",
            reader.map(|r| &r.actor_id)
        );
        assert_eq!(
            seen,
            only_posts(expected),
            "objects as {:?}",
            reader.map(|r| &r.actor_id)
        );
    }
    let (_, outbox) = get_json(&app.url("/users/me/outbox?page=1")).await;
    assert_eq!(
        words(&outbox.to_string()),
        only_posts(&anonymous),
        "the outbox"
    );

    // The Mastodon API, without a token and as the author: each status, the thread, the
    // account's statuses, the public timeline, the counts.
    for (auth, expected) in [(None, &anonymous), (Some(&token), &as_author)] {
        let get = |path: String| {
            let mut req = http().get(app.url(&path));
            if let Some(t) = auth {
                req = req.bearer_auth(t);
            }
            async move {
                let res = req.send().await.unwrap();
                let status = res.status().as_u16();
                (status, res.json::<Value>().await.unwrap_or(Value::Null))
            }
        };
        let mut seen = BTreeSet::new();
        for id in posts.iter().map(|p| p.id).chain(comments.iter().copied()) {
            let (status, body) = get(format!("/api/v1/statuses/{id}")).await;
            if status == 200 {
                seen.extend(words(&body["content"].to_string()));
            } else {
                assert_eq!(status, 404, "status {id}");
            }
        }
        assert_eq!(&seen, expected, "statuses as author: {}", auth.is_some());
        let (_, context) = get(format!("/api/v1/statuses/{}/context", public.id)).await;
        assert_eq!(
            words(&context["descendants"].to_string()),
            only_comments(expected),
            "context"
        );
        let account = posts[0].actor_id;
        let (_, listed) = get(format!("/api/v1/accounts/{account}/statuses")).await;
        assert_eq!(
            words(&listed.to_string()),
            only_posts(expected),
            "account statuses"
        );
        let (_, timeline) = get("/api/v1/timelines/public".to_owned()).await;
        assert_eq!(
            words(&timeline.to_string()),
            set(&["alphapublic"]),
            "public timeline"
        );
        let (_, status) = get(format!("/api/v1/statuses/{}", public.id)).await;
        assert_eq!(status["replies_count"], 1, "replies anyone may read");
        let (_, me) = get(format!("/api/v1/accounts/{account}")).await;
        assert_eq!(me["statuses_count"], 2, "posts anyone may read");
        if auth.is_some() {
            // The author's home: their own posts (comments are in threads and notifications).
            let (_, home) = get("/api/v1/timelines/home".to_owned()).await;
            assert_eq!(
                words(&home.to_string()),
                only_posts(expected),
                "the author's home"
            );
        }
    }
}
