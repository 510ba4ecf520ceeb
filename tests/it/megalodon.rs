//! App detection: megalodon (the client library behind several Mastodon apps) reads NodeInfo
//! to decide which API a server speaks. Its real `detector()` (from npm, installed by
//! `tests/run.sh` under tests/interop/megalodon/) must say `mastodon` of perch.

use crate::support::spawn_app;
use std::{path::PathBuf, time::Duration};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn megalodons_detector_says_perch_speaks_the_mastodon_api() {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/interop/megalodon");
    assert!(
        dir.join("node_modules/megalodon").exists(),
        "{} has no node_modules: run `bash tests/run.sh`, which installs megalodon there",
        dir.display()
    );
    let app = spawn_app().await;
    let node = std::env::var_os("PERCH_NODE").unwrap_or_else(|| "node".into());
    let mut command = std::process::Command::new(node);
    command
        .current_dir(&dir)
        .arg("detect.mjs")
        .arg(app.app.base_url());
    let run = tokio::task::spawn_blocking(move || command.output());
    let output = tokio::time::timeout(Duration::from_secs(60), run)
        .await
        .expect("the detector finished in time")
        .unwrap()
        .expect("node runs");
    let stdout = String::from_utf8_lossy(&output.stdout);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(output.status.success(), "{stdout}\n{stderr}");
    assert_eq!(stdout.trim(), "mastodon", "{stderr}");
}
