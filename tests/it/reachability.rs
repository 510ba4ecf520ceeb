//! Servers that stop answering: after the retry horizon (seconds here) a server is marked
//! unreachable and its deliveries are parked, not tried and not lost, until it answers again:
//! when it sends us an activity, or when a probe goes through.

use crate::{
    cli::{ok, perch},
    support::{add_follower, eventually, remote_follower, sink::Sink, spawn_app_with, TestApp},
};
use perch::{
    db::{
        models::*,
        queries::{deliveries, hosts},
    },
    domain::Visibility,
    services::publish,
};
use serde_json::json;

/// The horizon: a server failing this long is unreachable.
const HORIZON_SECONDS: f64 = 1.5;

fn hours(seconds: f64) -> toml::Value {
    (seconds / 3600.0).into()
}

/// The one delivery row of `activity`, once `wanted` holds for it.
async fn row_when(
    app: &TestApp,
    activity: i64,
    what: &str,
    wanted: impl Fn(&DbDelivery) -> bool,
) -> DbDelivery {
    eventually(what, || async {
        let rows = app
            .query(move |c| deliveries::for_activity(c, activity))
            .await;
        rows.into_iter().next().filter(|r| wanted(r))
    })
    .await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_server_answering_503_is_parked_until_it_sends_us_an_activity() {
    let app = spawn_app_with(&[
        ("delivery.give_up_after_hours", hours(HORIZON_SECONDS)),
        ("delivery.unreachable_probe_hours", 1.0.into()),
    ])
    .await;
    let remote = remote_follower(&app, "down").await;
    let server = url::Url::parse(&remote.actor_id).unwrap();
    let server = perch::domain::Host::name_of(&server);

    remote.answer_always(Some(503));
    let first = publish::note(&app.app.data(), "while you were down", Visibility::Public)
        .await
        .unwrap();
    let row = row_when(&app, first.activity.id, "the server is marked", |r| {
        r.state == DeliveryState::Parked
    })
    .await;
    assert!(row.attempts >= 2, "retried before giving up: {row:?}");
    let s = server.clone();
    let host = app.query(move |c| hosts::get(c, &s)).await.unwrap();
    assert!(host.unreachable_since.is_some(), "{host:?}");

    // A note published now is parked without a try.
    let second = publish::note(&app.app.data(), "still down?", Visibility::Public)
        .await
        .unwrap();
    let row = row_when(
        &app,
        second.activity.id,
        "the new delivery is parked",
        |r| r.state == DeliveryState::Parked,
    )
    .await;
    assert_eq!(row.attempts, 0, "not attempted");
    assert!(remote.received_for("Create", &second.post.ap_id).is_empty());

    // `perch deliveries` shows the inbox held and the server unreachable.
    let queue = ok(perch(app.dir.path(), &app.domain())
        .arg("deliveries")
        .output()
        .unwrap());
    let inbox = format!("{}/inbox", remote.actor_id);
    assert!(
        queue
            .lines()
            .any(|l| l.starts_with("unreachable") && l.contains(&inbox)),
        "{queue}"
    );
    assert!(
        queue.contains(&format!("server {server} unreachable since")),
        "{queue}"
    );

    // The server is back and says so by delivering a Like: both notes go out, once each.
    remote.answer_always(None);
    let like = json!({
        "@context": "https://www.w3.org/ns/activitystreams",
        "id": format!("{}/likes/1", remote.actor_id),
        "type": "Like",
        "actor": remote.actor_id,
        "object": first.post.ap_id,
    });
    assert_eq!(
        remote.post_signed(&app.url("/inbox"), &like).await.status(),
        202
    );
    for published in [&first, &second] {
        row_when(
            &app,
            published.activity.id,
            "delivered after the return",
            |r| r.state == DeliveryState::Delivered,
        )
        .await;
    }
    let s = server.clone();
    assert!(app.query(move |c| hosts::get(c, &s)).await.is_none());
    let accepted = |id: &str| {
        remote
            .received_for("Create", id)
            .iter()
            .filter(|r| r.status == 202)
            .count()
    };
    assert_eq!(accepted(&first.post.ap_id), 1);
    assert_eq!(accepted(&second.post.ap_id), 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_closed_port_is_parked_and_a_probe_finds_it_back() {
    let app = spawn_app_with(&[
        ("delivery.give_up_after_hours", hours(HORIZON_SECONDS)),
        ("delivery.unreachable_probe_hours", hours(0.5)),
    ])
    .await;
    // A port nothing listens on: connections are refused.
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let inbox = format!("http://127.0.0.1:{port}/users/gone/inbox");
    let actor = format!("http://127.0.0.1:{port}/users/gone");
    app.query(move |c| add_follower(c, &actor, &inbox)).await;

    let note = publish::note(&app.app.data(), "anyone there?", Visibility::Public)
        .await
        .unwrap();
    let row = row_when(&app, note.activity.id, "the closed port is marked", |r| {
        r.state == DeliveryState::Parked
    })
    .await;
    assert!(
        row.last_error.as_deref().unwrap_or("").contains("onnect"),
        "{row:?}"
    );
    let server = format!("127.0.0.1:{port}");
    let s = server.clone();
    let host = app.query(move |c| hosts::get(c, &s)).await.unwrap();
    assert!(host.unreachable_since.is_some() && host.next_probe_at.is_some());

    // Probes keep it parked while the port stays closed…
    let tried = row.attempts;
    row_when(&app, note.activity.id, "a failed probe", |r| {
        r.state == DeliveryState::Parked && r.attempts > tried
    })
    .await;

    // …and the first probe after the server starts delivers the note.
    let sink = Sink::on(std::net::TcpListener::bind(("127.0.0.1", port)).unwrap());
    row_when(&app, note.activity.id, "the probe delivers", |r| {
        r.state == DeliveryState::Delivered
    })
    .await;
    assert_eq!(sink.counts().get("/users/gone/inbox"), Some(&1));
    assert!(app.query(move |c| hosts::get(c, &server)).await.is_none());
}
