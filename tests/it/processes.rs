//! Two `perch serve` processes on one database share the delivery queue: a fan-out to 1,000
//! inboxes is sent by both, one of them is killed with SIGKILL halfway, and the other finishes
//! the work, its leases included once they expire. Every inbox gets the note; only what was in
//! flight in the killed process can reach an inbox twice. Runs on SQLite, and on PostgreSQL
//! when the suite does.

use crate::{
    cli::serve,
    crash::every_inbox_has_it,
    support::{database, eventually, followers::followers_on, sink::Sink},
};
use perch::{app::Instance, db, domain::Visibility, services::publish};
use std::time::Duration;

const FOLLOWERS: usize = 1000;
const TOKEN: &str = "two-processes";

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_processes_share_one_queue_and_a_sigkill_loses_nothing() {
    let sink = Sink::start();
    sink.delay(Duration::from_millis(10));
    let dir = tempfile::tempdir().unwrap();
    // Short attempts, so that the killed process's leases expire within the test.
    let env = [
        ("PERCH__DELIVERY__TIMEOUT_SECONDS", "2"),
        ("PERCH__METRICS__TOKEN", TOKEN),
    ];
    let (first, port) = serve(dir.path(), 0, &env);
    // The second process is the same server behind the same name, on a port of its own.
    let domain = format!("localhost:{port}");
    let mut second_env = env.to_vec();
    second_env.push(("PERCH__SERVER__DOMAIN", &domain));
    let (_second, second_port) = serve(dir.path(), 0, &second_env);

    let settings = database::loopback(dir.path(), &[("server.domain", domain.as_str().into())]);
    let here = Instance::open(settings).await.unwrap();
    let paths = followers_on(&here, &sink, FOLLOWERS).await;
    let note = publish::note(&here.data(), "Two of us now", Visibility::Public)
        .await
        .unwrap();
    let activity = note.activity.id;

    eventually("both processes deliver", || async {
        let a = delivered_by(port).await;
        let b = delivered_by(second_port).await;
        (a > 0 && b > 0 && sink.total() >= FOLLOWERS / 4).then_some(())
    })
    .await;
    let by_first = delivered_by(port).await;
    first.kill_9();
    tokio::time::sleep(Duration::from_millis(100)).await;
    let sent_before = sink.total();
    assert!(
        sent_before < FOLLOWERS,
        "the fan-out had ended before the kill; the test proves nothing (slow the sink down)"
    );

    let duplicates = every_inbox_has_it(&here, &sink, &paths, activity).await;
    println!(
        "two processes: the first had sent {by_first} when it was killed ({sent_before} of \
         {FOLLOWERS} sent by both); the second finished; {duplicates} duplicates"
    );
}

/// Deliveries the process on `port` has made, from its own metrics.
async fn delivered_by(port: u16) -> u64 {
    crate::support::counter(
        &format!("http://127.0.0.1:{port}/metrics"),
        Some(TOKEN),
        r#"perch_delivery_attempts_total{result="delivered"}"#,
    )
    .await
}

#[tokio::test]
async fn a_scheduled_job_runs_in_one_process_at_a_time() {
    let dir = tempfile::tempdir().unwrap();
    let at = database::location(dir.path());
    let (one, other) = (db::Db::open(&at, 1).unwrap(), db::Db::open(&at, 1).unwrap());
    let held = one.try_job_lock(db::Job::Sweep).unwrap();
    assert!(held.is_some());
    let second = other.try_job_lock(db::Job::Sweep).unwrap();
    if database::on_postgres() {
        assert!(second.is_none(), "two processes sweep at once");
        drop(held);
        assert!(other.try_job_lock(db::Job::Sweep).unwrap().is_some());
    } else {
        // SQLite's sweeps are idempotent writes under the file's lock: nothing to exclude.
        assert!(second.is_some());
    }
}
