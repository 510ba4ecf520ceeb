//! `bash benches/perf.sh` (or `cargo bench --bench perf`): fan-out, inbox, reads, memory and
//! storage of a release `perch serve` on loopback, each figure beside its limit measured in
//! the same run (see mod.rs). `PERCH_BENCH_SIZE=tiny` runs the test's sizes; the full run
//! takes some 15 minutes, 10 of them the mixed load (`PERCH_BENCH_SOAK_SECS` shortens it).
//! `PERCH_BENCH_KEEP=1` keeps the main instance's data directory, to profile a route on it.
//! Prints the table; asserts nothing.

#[allow(dead_code)]
#[path = "../../tests/it/support/database.rs"]
mod database;
#[allow(dead_code)]
#[path = "../../tests/it/support/followers.rs"]
mod followers;
#[allow(dead_code)]
#[path = "../../tests/it/support/process.rs"]
mod process;
#[allow(dead_code)]
#[path = "../../tests/it/support/sink.rs"]
mod sink;
/// The test helpers the harness uses, where the test crate has them.
mod support {
    pub(crate) use super::{database, followers, process};
}
#[path = "mod.rs"]
mod perf;

use std::time::Duration;

fn main() {
    let mut sizes = match std::env::var("PERCH_BENCH_SIZE").as_deref() {
        Ok("tiny") => perf::Sizes::tiny(),
        _ => perf::Sizes::full(),
    };
    if let Some(secs) = std::env::var("PERCH_BENCH_SOAK_SECS")
        .ok()
        .and_then(|s| s.parse().ok())
    {
        sizes.soak_for = Duration::from_secs(secs);
    }
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .expect("runtime");
    let report = runtime.block_on(perf::run(&sizes));
    for line in report.lines() {
        println!("{line}");
    }
}
