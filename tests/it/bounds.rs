//! What the network can make perch store and send is bounded: activities perch does not act
//! on are not stored, big bodies are stored as their size, old bodies and finished deliveries
//! are swept; repeated Follows get one Accept and one notification; an actor whose inbox is
//! on another server (a victim's) is refused, so nothing is sent there; and the rows waiting
//! for one server are capped.

use crate::support::{
    remote::{self, Remote},
    remote_follower, spawn_app, spawn_app_with, TestApp,
};
use diesel::prelude::*;
use perch::{
    apub::signatures::RequestSigner,
    db::{
        self,
        queries::{activities, deliveries, notifications as notes},
    },
    domain::Visibility,
    services::{housekeeping, publish},
};
use serde_json::json;
use std::time::Duration;

async fn notifications_of(app: &TestApp, what: &'static str) -> i64 {
    app.query(move |c| {
        use perch::db::schema::notifications::dsl::*;
        Ok(notifications
            .filter(kind.eq(what))
            .count()
            .get_result::<i64>(c)?)
    })
    .await
}

fn padding(bytes: usize) -> String {
    "x".repeat(bytes)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_padded_unknown_activity_stores_nothing_and_a_padded_like_stores_its_size_alone() {
    let app = spawn_app().await;
    let remote = Remote::start("padder").await;
    let unknown = json!({
        "@context": "https://www.w3.org/ns/activitystreams",
        "id": format!("{}/adds/1", remote.actor_id),
        "type": "Add",
        "actor": remote.actor_id,
        "object": format!("{}/things/1", remote.actor_id),
        "padding": padding(500 * 1024),
    });
    let res = remote.post_signed(&app.url("/inbox"), &unknown).await;
    assert_eq!(res.status(), 202);
    let id = unknown["id"].as_str().unwrap().to_owned();
    let stored = app.query(move |c| activities::by_ap_id(c, &id)).await;
    assert!(stored.is_none(), "an activity perch ignores is not stored");

    let note = publish::note(&app.app.data(), "like me", Visibility::Public)
        .await
        .unwrap();
    let like = json!({
        "@context": "https://www.w3.org/ns/activitystreams",
        "id": format!("{}/likes/1", remote.actor_id),
        "type": "Like",
        "actor": remote.actor_id,
        "object": note.post.ap_id,
        "padding": padding(500 * 1024),
    });
    let res = remote.post_signed(&app.url("/inbox"), &like).await;
    assert_eq!(res.status(), 202);
    let id = like["id"].as_str().unwrap().to_owned();
    let stored = app
        .query(move |c| activities::by_ap_id(c, &id))
        .await
        .expect("a Like perch acted on keeps its row, for replay detection");
    assert!(
        stored.data.len() < 100 && stored.data.contains("omitted_bytes"),
        "{}",
        stored.data
    );
    // A replay is still recognised: no second reaction.
    let res = remote.post_signed(&app.url("/inbox"), &like).await;
    assert_eq!(res.status(), 202);
    let favourites = notifications_of(&app, notes::FAVOURITE).await;
    assert_eq!(favourites, 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn old_received_bodies_and_finished_deliveries_are_swept() {
    let app = spawn_app_with(&[
        ("retention.received_activity_days", 30.into()),
        ("retention.finished_delivery_days", 7.into()),
    ])
    .await;
    let remote = remote_follower(&app, "old").await;
    // The follower has the Accept; the worker records so a moment later.
    crate::support::eventually("the Accept's delivery is recorded", || async {
        app.query(|c| {
            use perch::db::schema::deliveries::dsl::*;
            Ok(deliveries
                .filter(state.eq(perch::db::models::DeliveryState::Delivered))
                .count()
                .get_result::<i64>(c)?)
        })
        .await
        .eq(&1)
        .then_some(())
    })
    .await;
    let follow_id = app
        .query(|c| {
            use perch::db::schema::activities::dsl::*;
            Ok(activities
                .filter(local.eq(false).and(kind.eq("Follow")))
                .select(ap_id)
                .first::<String>(c)?)
        })
        .await;
    // Ten days on: the delivery of the Accept is old, the Follow's body not yet.
    let age = |days: i64| db::now() - chrono::Duration::days(days);
    app.query(move |c| {
        use perch::db::schema::{activities::dsl as a, deliveries::dsl as d};
        diesel::update(d::deliveries)
            .set(d::updated_at.eq(age(10)))
            .execute(c)?;
        diesel::update(a::activities.filter(a::local.eq(false)))
            .set(a::created_at.eq(age(10)))
            .execute(c)?;
        Ok(())
    })
    .await;
    let swept = housekeeping::sweep(app.app.state()).await.unwrap();
    assert_eq!((swept.deliveries, swept.activity_bodies), (1, 0));
    // Forty days on: the Follow's body goes, its row stays.
    app.query(move |c| {
        use perch::db::schema::activities::dsl as a;
        diesel::update(a::activities.filter(a::local.eq(false)))
            .set(a::created_at.eq(age(40)))
            .execute(c)?;
        Ok(())
    })
    .await;
    let swept = housekeeping::sweep(app.app.state()).await.unwrap();
    assert_eq!(swept.activity_bodies, 1);
    let row = app
        .query(move |c| activities::by_ap_id(c, &follow_id))
        .await
        .expect("the row stays");
    assert_eq!(row.data, activities::EXPIRED_BODY);
    drop(remote);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn fifty_follows_with_distinct_ids_get_one_accept_and_one_notification() {
    let app = spawn_app().await;
    let remote = remote_follower(&app, "repeater").await;
    for _ in 0..50 {
        let res = remote
            .post_signed(&app.url("/inbox"), &remote.follow(&app.actor_url()))
            .await;
        assert_eq!(res.status(), 202);
    }
    let accepts = app
        .query(|c| {
            use perch::db::schema::activities::dsl::*;
            Ok(activities
                .filter(local.eq(true).and(kind.eq("Accept")))
                .count()
                .get_result::<i64>(c)?)
        })
        .await;
    assert_eq!(accepts, 1, "one Accept queued");
    tokio::time::sleep(Duration::from_millis(500)).await;
    let got = remote
        .received()
        .iter()
        .filter(|r| r.body["type"] == "Accept")
        .count();
    assert_eq!(got, 1, "one Accept received");
    let follows = notifications_of(&app, notes::FOLLOW).await;
    assert_eq!(follows, 1, "one notification");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_follow_naming_a_victims_url_as_its_inbox_is_refused_and_sends_nothing() {
    let app = spawn_app().await;
    let victim = Remote::start("victim").await;
    victim.answer_always(Some(503));
    let mallory = Remote::start("mallory").await;
    // A second actor of Mallory's, whose document names the victim's URL as its inbox.
    let actor_id = mallory.actor_id.replace("/users/", "/actors/");
    let key_id = format!("{actor_id}#main-key");
    let mut doc = mallory.document();
    doc["id"] = json!(actor_id);
    doc["inbox"] = json!(format!("{}/inbox", victim.actor_id));
    doc["publicKey"]["id"] = json!(key_id);
    doc["publicKey"]["owner"] = json!(actor_id);
    mallory.serve(&doc);
    let signer = RequestSigner::from_pem(&key_id, &mallory.private_key_pem).unwrap();
    let follow = json!({
        "@context": "https://www.w3.org/ns/activitystreams",
        "id": format!("{actor_id}/follows/1"),
        "type": "Follow",
        "actor": actor_id,
        "object": app.actor_url(),
    });
    // The actor document is refused before anything is queued: its inbox is not on its own
    // server. (Were it let through, the worker would make one POST there, not a retry
    // schedule: a failure at a server where perch knows no actor is final.)
    let res = remote::post_signed_by(&signer, &app.url("/inbox"), &follow).await;
    assert_eq!(res.status(), 401);
    let text = res.text().await.unwrap();
    assert!(text.contains("inbox"), "{text}");
    tokio::time::sleep(Duration::from_secs(1)).await;
    assert_eq!(victim.received().len(), 0, "no POST reached the victim");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_rows_waiting_for_one_server_are_capped_and_a_failing_server_gets_one_at_a_time() {
    let app = spawn_app_with(&[("delivery.max_waiting_per_host", 3.into())]).await;
    let remote = remote_follower(&app, "down").await;
    remote.answer_always(Some(503));
    let mut ids = Vec::new();
    for n in 0..6 {
        let note = publish::note(&app.app.data(), &format!("note {n}"), Visibility::Public)
            .await
            .unwrap();
        ids.push(note.activity.id);
    }
    // Let the server fail for a while: its rows are retried one at a time, not six at once.
    tokio::time::sleep(Duration::from_secs(3)).await;
    let posts = remote
        .received()
        .iter()
        .filter(|r| r.body["type"] == "Create")
        .count();
    let attempts: i32 = app
        .query(|c| {
            use perch::db::schema::deliveries::dsl::*;
            Ok(deliveries.select(attempts).load::<i32>(c)?)
        })
        .await
        .iter()
        .sum();
    println!("a failing server with 6 rows: {posts} POSTs in 3 s ({attempts} attempts)");
    assert!(
        posts <= 6 + 6,
        "{posts} POSTs in 3 s: the failing server's retries are shared"
    );
    assert!(attempts >= 6, "each row was tried: {attempts}");

    let swept = housekeeping::sweep(app.app.state()).await.unwrap();
    assert_eq!(swept.over_cap, 3);
    let waiting = app.query(|c| Ok(deliveries::waiting(c)?.len())).await;
    assert_eq!(waiting, 3);
}
