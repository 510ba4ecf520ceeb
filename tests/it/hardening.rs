//! The rest of issue 10's list, each as the attack: a blocked domain's subdomains, the login
//! limit from one IPv6 /64 and through a proxy, NodeInfo's post count, and Markdown that tries
//! to run script on the author's pages.

use crate::support::{get_json, remote::Remote, spawn_app, spawn_app_with, TestApp};
use perch::{
    domain::Visibility,
    services::{moderation, publish, setup},
};
use serde_json::json;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_block_of_evil_test_refuses_a_evil_test() {
    let app = spawn_app().await;
    moderation::block(&app.app.data(), "evil.localhost")
        .await
        .unwrap();
    let remote = Remote::start("sub").await;
    // Claimed by an actor on a subdomain of the blocked one, with its key there too: the block
    // is checked before anything is fetched.
    let actor = "http://a.evil.localhost/users/sub";
    let signer = perch::apub::signatures::RequestSigner::from_pem(
        &format!("{actor}#main-key"),
        &remote.private_key_pem,
    )
    .unwrap();
    let follow = json!({
        "@context": "https://www.w3.org/ns/activitystreams",
        "id": format!("{actor}/follows/1"),
        "type": "Follow",
        "actor": actor,
        "object": app.actor_url(),
    });
    let res = crate::support::remote::post_signed_by(&signer, &app.url("/inbox"), &follow).await;
    assert_eq!(res.status(), 403);
    let text = res.text().await.unwrap();
    assert!(text.contains("blocked"), "{text}");
}

/// `count` wrong-password grants, each with the `X-Forwarded-For` that `forwarded(n)` gives:
/// their statuses.
async fn wrong_logins(
    app: &TestApp,
    count: usize,
    forwarded: impl Fn(usize) -> String,
) -> Vec<u16> {
    let client = reqwest::Client::new();
    let registered = crate::support::register_app(app, "limits").await;
    let mut statuses = Vec::new();
    for n in 0..count {
        let res = client
            .post(app.url("/oauth/token"))
            .header("X-Forwarded-For", forwarded(n))
            .form(&[
                ("grant_type", "password"),
                ("username", "me"),
                ("password", "wrong"),
                ("client_id", registered["client_id"].as_str().unwrap()),
                (
                    "client_secret",
                    registered["client_secret"].as_str().unwrap(),
                ),
            ])
            .send()
            .await
            .unwrap();
        statuses.push(res.status().as_u16());
    }
    statuses
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn twenty_logins_from_one_ipv6_64_share_a_bucket() {
    let app = spawn_app_with(&[("api.login_attempts", 10.into())]).await;
    setup::set_password(&app.app.state().db, "the right one").unwrap();
    // Behind the proxy on this host (trusted by default), from twenty addresses of one /64.
    let statuses = wrong_logins(&app, 20, |n| format!("2001:db8:1:2::{:x}", n + 1)).await;
    assert_eq!(&statuses[..10], &[400; 10], "{statuses:?}");
    assert!(statuses[10..].iter().all(|&s| s == 429), "{statuses:?}");
    // The next /64 has its own bucket.
    let other = wrong_logins(&app, 1, |_| "2001:db8:1:3::1".into()).await;
    assert_eq!(other, [400]);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn forwarded_for_from_a_peer_that_is_not_a_trusted_proxy_is_ignored() {
    let app = spawn_app_with(&[
        ("api.login_attempts", 10.into()),
        ("web.trusted_proxies", toml::Value::Array(vec![])),
    ])
    .await;
    setup::set_password(&app.app.state().db, "the right one").unwrap();
    // A new address claimed each time: all count for the peer.
    let statuses = wrong_logins(&app, 20, |n| format!("203.0.113.{}", n + 1)).await;
    assert_eq!(&statuses[..10], &[400; 10], "{statuses:?}");
    assert!(statuses[10..].iter().all(|&s| s == 429), "{statuses:?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_direct_or_followers_only_post_leaves_nodeinfo_local_posts_unchanged() {
    let app = spawn_app().await;
    let local_posts = || async {
        let (status, body) = get_json(&app.url("/nodeinfo/2.1")).await;
        assert_eq!(status, 200);
        body["usage"]["localPosts"].as_i64().unwrap()
    };
    let data = app.app.data();
    publish::note(&data, "for everyone", Visibility::Public)
        .await
        .unwrap();
    assert_eq!(local_posts().await, 1);
    publish::note(&data, "a secret", Visibility::Direct)
        .await
        .unwrap();
    publish::note(&data, "for followers", Visibility::Private)
        .await
        .unwrap();
    assert_eq!(local_posts().await, 1, "their existence is not published");
    publish::note(&data, "quietly public", Visibility::Unlisted)
        .await
        .unwrap();
    assert_eq!(local_posts().await, 2);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn script_in_the_authors_markdown_does_not_reach_the_page() {
    let app = spawn_app().await;
    let markdown = "# A post with tricks\n\n\
        Hello <script>alert(1)</script> <b onclick=\"alert(2)\">bold</b> \
        [click](javascript:alert(3)) <a href=\"javascript:alert(4)\">raw</a>.\n\n\
        ## What stays\n\n\
        | a | b |\n|---|---|\n| 1 | 2 |\n\n\
        ```rust\nfn main() {}\n```\n\n\
        ![a cat](https://cdn.example/cat.png) [home](https://example.org/) [mail](mailto:me@example.org)\n";
    let article = publish::article(&app.app.data(), markdown, Visibility::Public)
        .await
        .unwrap();
    let page = app
        .get_as(&article.post.ap_id, "text/html")
        .await
        .text()
        .await
        .unwrap();
    let body = &page[page.find("A post with tricks").unwrap_or(0)..];
    for bad in ["<script", "onclick", "javascript:"] {
        assert!(!body.contains(bad), "{bad} reached the page: {body}");
    }
    for kept in [
        "<h2>What stays</h2>",
        "<table>",
        "<code class=\"language-rust\">",
        "<img src=\"https://cdn.example/cat.png\" alt=\"a cat\">",
        "href=\"https://example.org/\"",
        "href=\"mailto:me@example.org\"",
        "<b>bold</b>",
    ] {
        assert!(body.contains(kept), "{kept} is missing: {body}");
    }
}
