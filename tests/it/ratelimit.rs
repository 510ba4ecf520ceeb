//! The inbox takes at most `federation.inbox_rate_per_minute` POSTs from one server; more get
//! 429 with Retry-After and change nothing, while other servers still get through.

use crate::support::{remote::Remote, spawn_app_with};
use perch::db::{models::*, queries::follows};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_server_over_its_inbox_rate_gets_429_and_others_still_get_through() {
    let app = spawn_app_with(&[("federation.inbox_rate_per_minute", 3.into())]).await;
    let busy = Remote::start("busy").await;
    for _ in 0..3 {
        let res = busy
            .post_signed(&app.url("/inbox"), &busy.follow(&app.actor_url()))
            .await;
        assert_eq!(res.status(), 202);
    }
    // The fourth is refused before it is looked at, whichever inbox it goes to.
    let follow = busy.follow(&app.actor_url());
    let res = busy.post_signed(&app.url("/users/me/inbox"), &follow).await;
    assert_eq!(res.status(), 429);
    let wait: u64 = res.headers()["retry-after"]
        .to_str()
        .unwrap()
        .parse()
        .unwrap();
    assert_eq!(wait, 20, "one POST comes back every 60 s / 3");
    assert!(res.text().await.unwrap().contains("too many requests"));
    let id = follow["id"].as_str().unwrap().to_owned();
    let stored = app
        .query(move |c| perch::db::queries::activities::by_ap_id(c, &id))
        .await;
    assert!(stored.is_none(), "nothing stored");

    // Another server has its own allowance.
    let newcomer = Remote::start("newcomer").await;
    let res = newcomer
        .post_signed(&app.url("/inbox"), &newcomer.follow(&app.actor_url()))
        .await;
    assert_eq!(res.status(), 202);
    assert_eq!(
        app.query(|c| follows::count(c, Direction::Incoming, FollowState::Accepted))
            .await,
        2
    );
}
