//! The rest of issue 10's list, each as the attack: a blocked domain's subdomains, the login
//! limit from one IPv6 /64 and through a proxy, NodeInfo's post count, and Markdown that tries
//! to run script on the author's pages.

use crate::support::{remote::Remote, spawn_app};
use perch::services::moderation;
use serde_json::json;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_block_of_evil_test_refuses_a_evil_test() {
    let app = spawn_app().await;
    moderation::block(&app.app.data(), "evil.localhost")
        .await
        .unwrap();
    let remote = Remote::start("sub").await;
    // Signed by a loopback key, claimed by an actor on a subdomain of the blocked one: the
    // block is checked before anything is fetched.
    let actor = "http://a.evil.localhost/users/sub";
    let follow = json!({
        "@context": "https://www.w3.org/ns/activitystreams",
        "id": format!("{actor}/follows/1"),
        "type": "Follow",
        "actor": actor,
        "object": app.actor_url(),
    });
    let res = remote.post_signed(&app.url("/inbox"), &follow).await;
    assert_eq!(res.status(), 403);
    let text = res.text().await.unwrap();
    assert!(text.contains("blocked"), "{text}");
}
