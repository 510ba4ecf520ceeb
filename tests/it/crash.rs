//! `kill -9` of the real `perch serve` in the middle of a fan-out to 1,000 inboxes, then a
//! restart on the same database: once the dead process's leases expire, every inbox gets the
//! activity at least once. The duplicates,
//! POSTs that reached an inbox while the process died before it could record them, are
//! counted and printed; there can be no more of them than deliveries in flight.

use crate::{
    cli::serve,
    support::{database, eventually, followers::followers_on, sink::Sink},
};
use perch::{
    app::Instance,
    db::{models::DeliveryState, queries::deliveries},
    domain::Visibility,
    services::publish,
};
use std::time::Duration;

const FOLLOWERS: usize = 1000;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn kill_9_during_a_fan_out_to_1000_inboxes_loses_no_delivery() {
    // One server plays every follower's inbox; a little slow, so that the kill lands mid-way.
    let sink = Sink::start();
    sink.delay(Duration::from_millis(10));
    let dir = tempfile::tempdir().unwrap();
    // Short attempts: the killed process's leases expire, and its rows are claimed again,
    // within the test.
    let env = [("PERCH__DELIVERY__TIMEOUT_SECONDS", "2")];
    let (server, port) = serve(dir.path(), 0, &env);

    // Followers and the note go into the live database from here (`perch post` would make
    // the first attempts itself; here the server's worker does all of them).
    let domain = format!("localhost:{port}");
    let settings = database::loopback(dir.path(), &[("server.domain", domain.as_str().into())]);
    let here = Instance::open(settings).await.unwrap();
    let paths = followers_on(&here, &sink, FOLLOWERS).await;
    let note = publish::note(&here.data(), "Is anyone still there?", Visibility::Public)
        .await
        .unwrap();
    let activity = note.activity.id;

    eventually("the fan-out is under way", || async {
        (sink.total() >= FOLLOWERS / 5).then_some(())
    })
    .await;
    server.kill_9();
    tokio::time::sleep(Duration::from_millis(100)).await;
    let sent_before = sink.total();
    let recorded_before = delivered(&here, activity).await;
    assert!(
        sent_before < FOLLOWERS,
        "the fan-out had ended before the kill; the test proves nothing (slow the sink down)"
    );

    let (_server, _) = serve(dir.path(), port, &env);
    let duplicates = every_inbox_has_it(&here, &sink, &paths, activity).await;
    println!(
        "kill -9 after {sent_before} of {FOLLOWERS} inboxes had the note ({recorded_before} \
         recorded); after the restart every inbox has it; {duplicates} duplicates"
    );
}

/// Waits until every inbox of `paths` has had the activity and every delivery is recorded;
/// checks that no inbox had it more than twice, and no more than the deliveries one process
/// has in flight twice at all. The number of duplicates.
pub(crate) async fn every_inbox_has_it(
    here: &Instance,
    sink: &Sink,
    paths: &[String],
    activity: i64,
) -> usize {
    let counts = eventually("every inbox has the note", || async {
        let counts = sink.counts();
        paths
            .iter()
            .all(|p| counts.get(p).is_some_and(|&n| n >= 1))
            .then_some(counts)
    })
    .await;
    eventually("every delivery is recorded", || async {
        (delivered(here, activity).await == paths.len()).then_some(())
    })
    .await;
    let total: usize = counts.values().sum();
    let duplicates = total - paths.len();
    assert_eq!(counts.len(), paths.len(), "only the followers' inboxes");
    assert!(counts.values().all(|&n| n <= 2), "{counts:?}");
    let concurrency = here.state().settings.delivery.concurrency;
    assert!(
        duplicates <= concurrency,
        "only deliveries in flight at the kill are repeated: {duplicates} > {concurrency}"
    );
    duplicates
}

/// How many of the activity's deliveries are recorded as done.
pub(crate) async fn delivered(here: &Instance, activity: i64) -> usize {
    let rows = here
        .state()
        .db
        .run(move |c| deliveries::for_activity(c, activity))
        .await
        .unwrap();
    rows.iter()
        .filter(|r| r.state == DeliveryState::Delivered)
        .count()
}
