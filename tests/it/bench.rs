//! The performance harness (benches/perf, `bash benches/perf.sh`) at tiny sizes, so that it
//! cannot rot: every step runs against a real `perch serve`, and what it counts must add up
//! (the times themselves are the benchmark's, and asserted on nowhere).

#[allow(dead_code)]
#[path = "../../benches/perf/mod.rs"]
mod perf;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_benchmark_runs_every_step_and_its_counts_add_up() {
    let report = perf::run(&perf::Sizes::tiny()).await;
    let table = report.lines().join("\n");
    println!("{table}");
    assert!(
        report.limits.sign_per_s > 0.0 && report.limits.verify_per_s > 0.0,
        "{table}"
    );
    assert_eq!(report.fanouts.len(), 2, "{table}");
    for f in &report.fanouts {
        assert_eq!(
            f.verified, f.inboxes,
            "every inbox verified the note:\n{table}"
        );
        assert_eq!(f.refused, 0, "no delivery failed to verify:\n{table}");
        assert!(f.peak_rss_mib > 0.0, "{table}");
    }
    for b in &report.bursts {
        assert_eq!(b.accepted, b.sent, "every activity accepted:\n{table}");
        assert!(b.page.requests > 0 && b.page.errors == 0, "{table}");
    }
    assert_eq!(
        report.comments_listed, report.replies_sent,
        "every reply is a comment:\n{table}"
    );
    assert_eq!(report.reads.len(), 11, "{table}");
    for (name, r) in &report.reads {
        assert!(
            r.requests > 0 && r.errors == 0,
            "{name} answered 200:\n{table}"
        );
    }
    assert!(
        report.memory.idle_mib > 1.0 && report.memory.soak_end_mib > 1.0,
        "{table}"
    );
    assert!(report.storage.per_follower > 0.0, "{table}");
}
