//! The delivery queue: retries a failing inbox until it takes the activity, once; and keeps
//! what is queued across a restart.

use crate::support::{eventually, remote_follower, seed, sink::Sink, spawn_app};
use perch::{
    db::{
        models::*,
        queries::{deliveries, follows},
    },
    domain::Visibility,
    services::publish,
};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_inbox_that_fails_twice_gets_the_delivery_exactly_once() {
    let app = spawn_app().await;
    let remote = remote_follower(&app, "flaky").await;

    remote.script(&[500, 500]);
    let note = publish::note(&app.app.data(), seed::NOTE_MENTION, Visibility::Public)
        .await
        .unwrap();
    let object_id = note.post.ap_id.clone();
    let row = eventually("the delivery is done", || async {
        let rows = app
            .query(move |c| deliveries::for_activity(c, note.activity.id))
            .await;
        rows.into_iter()
            .next()
            .filter(|r| r.state != DeliveryState::Pending)
    })
    .await;
    assert_eq!(
        (row.state, row.attempts, row.last_status),
        (DeliveryState::Delivered, 3, Some(202))
    );
    // Give a wrongly repeated send the chance to show before counting.
    tokio::time::sleep(std::time::Duration::from_millis(500)).await;
    let got: Vec<u16> = remote
        .received_for("Create", &object_id)
        .iter()
        .map(|r| r.status)
        .collect();
    assert_eq!(
        got,
        [500, 500, 202],
        "two failures, then exactly one accepted delivery"
    );
    assert!(remote
        .received_for("Create", &object_id)
        .iter()
        .all(|r| r.signature.is_some()));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_refusing_inbox_is_not_retried_and_a_dead_one_is_given_up() {
    let app = spawn_app().await;
    let remote = remote_follower(&app, "refuser").await;
    // Refused (it is signed draft-cavage: nothing says this server verifies RFC 9421).
    remote.script(&[403]);
    let note = publish::note(&app.app.data(), "refused", Visibility::Public)
        .await
        .unwrap();
    let row = eventually("the delivery is final", || async {
        let rows = app
            .query(move |c| deliveries::for_activity(c, note.activity.id))
            .await;
        rows.into_iter()
            .next()
            .filter(|r| r.state != DeliveryState::Pending)
    })
    .await;
    assert_eq!(
        (row.state, row.attempts, row.last_status),
        (DeliveryState::Dead, 1, Some(403))
    );
    let knocks: Vec<(bool, u16)> = remote
        .received_for("Create", &note.post.ap_id)
        .iter()
        .map(|r| (r.signature_input.is_some(), r.status))
        .collect();
    assert_eq!(knocks, [(false, 403)], "one POST, never retried");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn pending_deliveries_survive_a_restart() {
    let app = spawn_app().await;
    let remote = remote_follower(&app, "patient").await;
    assert_eq!(
        app.query(|c| follows::count(c, Direction::Incoming, FollowState::Accepted))
            .await,
        1
    );

    // The follower's server is down (503) while the note is published…
    remote.answer_always(Some(503));
    let note = publish::note(&app.app.data(), seed::NOTE_COMMENTS, Visibility::Public)
        .await
        .unwrap();
    let activity = note.activity.id;
    eventually("a first attempt has failed", || async {
        let rows = app
            .query(move |c| deliveries::for_activity(c, activity))
            .await;
        rows.into_iter()
            .next()
            .filter(|r| r.attempts >= 1 && r.state == DeliveryState::Pending)
    })
    .await;

    // …perch stops, the follower comes back, perch starts again on the same database.
    let app = app.restart().await;
    let tries_before = remote.received_for("Create", &note.post.ap_id).len();
    remote.answer_always(None);
    let row = eventually("the queued delivery goes out after the restart", || async {
        let rows = app
            .query(move |c| deliveries::for_activity(c, activity))
            .await;
        rows.into_iter()
            .next()
            .filter(|r| r.state == DeliveryState::Delivered)
    })
    .await;
    assert!(row.attempts as usize > tries_before.saturating_sub(1));
    let accepted = remote
        .received_for("Create", &note.post.ap_id)
        .iter()
        .filter(|r| r.status == 202)
        .count();
    assert_eq!(accepted, 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sends_in_flight_at_a_restart_go_out_right_after_it() {
    // A slow inbox server: the sends are still waiting for its answer when perch stops.
    let sink = Sink::start();
    sink.delay(std::time::Duration::from_secs(30));
    let app = spawn_app().await;
    let paths = app
        .query({
            let inboxes: Vec<String> = (0..3).map(|n| sink.url(&format!("/f{n}/inbox"))).collect();
            move |c| {
                for inbox in &inboxes {
                    crate::support::add_follower(c, &inbox.replace("/inbox", ""), inbox)?;
                }
                Ok(inboxes)
            }
        })
        .await;
    let note = publish::note(&app.app.data(), "slow readers", Visibility::Public)
        .await
        .unwrap();
    let activity = note.activity.id;
    eventually("every send is in flight", || async {
        (sink.total() == paths.len()).then_some(())
    })
    .await;

    // A graceful stop frees their leases (each lasts 25 s at the default 10 s timeout, longer
    // than this test waits), so the restarted perch sends them again at once.
    let app = app.restart().await;
    sink.delay(std::time::Duration::ZERO);
    eventually("every delivery is done after the restart", || async {
        let rows = app
            .query(move |c| deliveries::for_activity(c, activity))
            .await;
        rows.iter()
            .all(|r| r.state == DeliveryState::Delivered)
            .then_some(())
    })
    .await;
}
