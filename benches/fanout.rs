//! Fan-out: how long from publishing a note until N follower instances on loopback have
//! verified and stored it, set against how fast this machine can make the RSA signatures that
//! every delivery needs.
//!
//! Run: `cargo bench --bench fanout` (release build; prints a table, asserts nothing).
//! Every follower is a real perch instance (own SQLite file, own HTTP server) in this process.
//! Each size runs twice: followers that verify RFC 9421 (and say so, so they are sent it) and
//! followers that verify only draft-cavage (`accept_rfc9421 = false`, as snac2 and most
//! servers), which must be sent draft-cavage from the first delivery.

use perch::{
    app::{spawn, RunningApp},
    apub::signatures::RequestSigner,
    config::Settings,
    db::{
        models::*,
        queries::{deliveries, follows, objects},
    },
    domain::Visibility,
    services::{follow, publish},
};
use std::time::{Duration, Instant};

const SIZES: [usize; 3] = [1, 10, 100];

async fn instance(dir: &std::path::Path, extra: &[(&str, toml::Value)]) -> RunningApp {
    let settings = Settings::loopback(dir, extra).expect("settings");
    spawn(settings).await.expect("spawn")
}

/// Single-thread RSA-2048 signatures per second, as the delivery worker makes them.
fn signing_rate() -> f64 {
    let keys = activitypub_federation::http_signatures::generate_actor_keypair().expect("keys");
    let signer = RequestSigner::from_pem("http://localhost/users/me#main-key", &keys.private_key)
        .expect("signer");
    let url = url::Url::parse("http://localhost:1/inbox").expect("url");
    let body = vec![b'x'; 1500];
    let n = 300;
    let start = Instant::now();
    for _ in 0..n {
        std::hint::black_box(signer.sign_post(
            &url,
            &body,
            "application/activity+json",
            chrono::Utc::now(),
        ));
    }
    n as f64 / start.elapsed().as_secs_f64()
}

fn peak_rss_mib() -> f64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmHWM:"))
                .and_then(|l| l.split_whitespace().nth(1)?.parse::<f64>().ok())
        })
        .map_or(0.0, |kib| kib / 1024.0)
}

async fn fanout(n: usize, sign_rate: f64, cavage_only: bool) {
    let root = tempfile::tempdir().expect("tempdir");
    let a = instance(
        &root.path().join("a"),
        &[("delivery.concurrency", 16.into())],
    )
    .await;
    let handle = format!("me@{}", a.state().settings.server.domain);
    let mut followers = Vec::with_capacity(n);
    for i in 0..n {
        let dir = root.path().join(format!("f{i}"));
        let f = instance(
            &dir,
            &[
                ("database.pool_size", 2.into()),
                ("federation.accept_rfc9421", (!cavage_only).into()),
            ],
        )
        .await;
        follow::follow(&f.data(), &handle).await.expect("follow");
        followers.push(f);
    }
    let deadline = Instant::now() + Duration::from_secs(120);
    loop {
        let accepted = a
            .state()
            .db
            .run(|c| follows::count(c, Direction::Incoming, FollowState::Accepted))
            .await
            .expect("count");
        if accepted as usize == n {
            break;
        }
        assert!(Instant::now() < deadline, "followers were not all accepted");
        tokio::time::sleep(Duration::from_millis(20)).await;
    }

    let start = Instant::now();
    let note = publish::note(
        &a.data(),
        "Fan-out benchmark note #perch",
        Visibility::Public,
    )
    .await
    .expect("publish");
    let activity = note.activity.id;
    // Done when every follower has verified the signature and stored the note (a 2xx alone
    // proves nothing).
    let mut pending: Vec<&RunningApp> = followers.iter().collect();
    while !pending.is_empty() {
        let mut left = Vec::with_capacity(pending.len());
        for f in pending {
            let id = note.post.ap_id.clone();
            let stored = f
                .state()
                .db
                .run(move |c| objects::by_ap_id(c, &id))
                .await
                .expect("query");
            if stored.is_none() {
                left.push(f);
            }
        }
        pending = left;
        assert!(
            Instant::now() < deadline,
            "not every follower stored the note"
        );
        if !pending.is_empty() {
            tokio::time::sleep(Duration::from_millis(2)).await;
        }
    }
    let elapsed = start.elapsed().as_secs_f64();
    let rows = a
        .state()
        .db
        .run(move |c| deliveries::for_activity(c, activity))
        .await
        .expect("rows");
    let delivered = rows
        .iter()
        .filter(|r| r.state == DeliveryState::Delivered)
        .count();
    let rate = n as f64 / elapsed;
    let kind = if cavage_only {
        "draft-cavage-only"
    } else {
        "RFC 9421"
    };
    println!(
        "{n:>4} {kind:>17} followers: {n}/{n} verified and stored in {:>8.1} ms ({delivered} rows delivered), {:>7.1} deliveries/s = {:>5.3} x the one-core signing limit",
        elapsed * 1000.0,
        rate,
        rate / sign_rate
    );
    a.stop().await;
    for f in followers {
        f.stop().await;
    }
}

fn main() {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .expect("runtime");
    let sign_rate = signing_rate();
    println!("RSA-2048 signing limit on this machine (one core): {sign_rate:.0} signatures/s");
    for n in SIZES {
        for cavage_only in [false, true] {
            runtime.block_on(fanout(n, sign_rate, cavage_only));
        }
    }
    println!(
        "peak RSS of this process (all instances together): {:.0} MiB",
        peak_rss_mib()
    );
}
