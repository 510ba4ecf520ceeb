//! The delivery queue on each database, worked by one `perch serve` process and by two: one
//! note to 2,000 followers whose inboxes are on a counting loopback sink, from publishing until
//! every delivery is recorded as done. Every delivery is signed (each inbox its own signature);
//! the sink checks nothing, so this measures the queue, the signing and the database, not a
//! receiver.
//!
//! Run: `bash benches/queue.sh` (a throwaway PostgreSQL as the tests start one, then this);
//! `cargo bench --bench queue` alone measures SQLite only, or PostgreSQL too when
//! `PERCH_TEST_POSTGRES_URL` names a server. Prints one line per run, as a ratio to SQLite with
//! one process in the same run; asserts nothing.

#[allow(dead_code)]
#[path = "../tests/it/support/database.rs"]
mod database;
#[allow(dead_code)]
#[path = "../tests/it/support/followers.rs"]
mod followers;
#[allow(dead_code)]
#[path = "../tests/it/support/process.rs"]
mod process;
#[allow(dead_code)]
#[path = "../tests/it/support/sink.rs"]
mod sink;

use perch::{
    app::Instance,
    db::{models::DeliveryState, queries::deliveries},
    domain::Visibility,
    services::publish,
};
use std::time::{Duration, Instant};

const INBOXES: usize = 2000;

/// Deliveries per second with `processes` servers on one new database.
async fn deliveries_per_second(processes: usize) -> f64 {
    let sink = sink::Sink::start();
    let dir = tempfile::tempdir().expect("tempdir");
    let (first, port) = process::serve(dir.path(), 0, &[]);
    let domain = format!("localhost:{port}");
    let mut servers = vec![first];
    for _ in 1..processes {
        servers.push(process::serve(dir.path(), 0, &[("PERCH__SERVER__DOMAIN", &domain)]).0);
    }
    let settings = database::loopback(dir.path(), &[("server.domain", domain.as_str().into())]);
    let here = Instance::open(settings).await.expect("open");
    followers::followers_on(&here, &sink, INBOXES).await;
    let start = Instant::now();
    let note = publish::note(&here.data(), "Queue benchmark note", Visibility::Public)
        .await
        .expect("publish");
    let activity = note.activity.id;
    let deadline = start + Duration::from_secs(600);
    loop {
        let rows = here
            .state()
            .db
            .run(move |c| deliveries::for_activity(c, activity))
            .await
            .expect("rows");
        if rows.iter().all(|r| r.state == DeliveryState::Delivered) {
            break;
        }
        assert!(Instant::now() < deadline, "the fan-out did not finish");
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    let rate = INBOXES as f64 / start.elapsed().as_secs_f64();
    drop(servers);
    rate
}

fn main() {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .expect("runtime");
    // SQLite first: the instances' databases follow PERCH_TEST_POSTGRES_URL, read at each start.
    let postgres = database::server();
    std::env::remove_var("PERCH_TEST_POSTGRES_URL");
    let mut runs = vec![("SQLite", 1), ("SQLite", 2)];
    if postgres.is_some() {
        runs.extend([("PostgreSQL", 1), ("PostgreSQL", 2)]);
    }
    let mut base = None;
    for (name, processes) in runs {
        if name == "PostgreSQL" {
            if let Some(url) = &postgres {
                std::env::set_var("PERCH_TEST_POSTGRES_URL", url);
            }
        }
        let rate = runtime.block_on(deliveries_per_second(processes));
        let base = *base.get_or_insert(rate);
        println!(
            "{name:>10}, {processes} process{}: {INBOXES} deliveries, {rate:>7.1}/s = {:.2} x SQLite with one process",
            if processes == 1 { "  " } else { "es" },
            rate / base
        );
    }
    if postgres.is_none() {
        println!("(no PostgreSQL: set PERCH_TEST_POSTGRES_URL, or run bash benches/queue.sh)");
    }
}
