//! The `perch` binary as a self-hoster uses it: `perch serve` in one process, `perch post
//! note` and friends in others, a follower instance receiving what the CLI published.

use crate::support::{database, eventually, seed, spawn_app};
use perch::db::{models::*, queries::objects};
use std::{
    io::{BufRead, BufReader, Write},
    process::{Child, Command, Output, Stdio},
};

/// `perch` with the config of one test instance, given by environment variables.
pub(crate) fn perch(dir: &std::path::Path, domain: &str) -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_perch"));
    cmd.env_clear()
        .env("PERCH__FEDERATION__DEBUG", "true")
        .env("PERCH__SERVER__DATA_DIR", dir)
        .env("PERCH__SERVER__DOMAIN", domain)
        .env("PERCH__SERVER__BIND", "127.0.0.1:0")
        .env("PERCH__SERVER__WORKERS", "1")
        .env("PERCH__DELIVERY__POLL_INTERVAL_MS", "50")
        .env("RUST_LOG", "info");
    if let Some(url) = crate::support::database::url_for(dir) {
        cmd.env("PERCH__DATABASE__URL", url);
    }
    cmd
}

pub(crate) fn ok(output: Output) -> String {
    let stdout = String::from_utf8_lossy(&output.stdout).into_owned();
    assert!(
        output.status.success(),
        "perch failed: {stdout}\n{}",
        String::from_utf8_lossy(&output.stderr)
    );
    stdout
}

/// A `perch serve` child process, killed when dropped.
pub(crate) struct Served(Child);

impl Served {
    /// `kill -9`: SIGKILL, no shutdown of any kind (std's `Child::kill` on Unix).
    pub(crate) fn kill_9(mut self) {
        self.0.kill().expect("kill -9");
        self.0.wait().expect("reaped");
    }
}

impl Drop for Served {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// Starts `perch serve` on `port` (0: a free one), known as localhost:PORT, with `env` on top
/// of the test config, and reads the port it reports.
pub(crate) fn serve(dir: &std::path::Path, port: u16, env: &[(&str, &str)]) -> (Served, u16) {
    let mut cmd = perch(dir, &format!("localhost:{port}"));
    cmd.env("PERCH__SERVER__BIND", format!("127.0.0.1:{port}"))
        .envs(env.iter().copied())
        .arg("serve")
        .stderr(Stdio::piped());
    let mut child = cmd.spawn().expect("spawn perch serve");
    let stderr = child.stderr.take().expect("stderr");
    let served = Served(child);
    let mut lines = BufReader::new(stderr).lines();
    let port = loop {
        let line = lines
            .next()
            .expect("perch serve ended early")
            .expect("line");
        if let Some(rest) = line.split(" serving http://localhost:").nth(1) {
            break rest
                .split('/')
                .next()
                .expect("port")
                .parse()
                .expect("port number");
        }
    };
    // Keep draining the log so the child never blocks on a full pipe.
    std::thread::spawn(move || for _ in lines {});
    (served, port)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_note_posted_from_the_command_line_reaches_a_follower_instance() {
    let dir = tempfile::tempdir().unwrap();
    let (_server, port) = serve(dir.path(), 0, &[]);
    let domain = format!("localhost:{port}");
    let cli = |args: &[&str]| ok(perch(dir.path(), &domain).args(args).output().unwrap());

    let ready = cli(&["init"]);
    assert!(
        ready.contains(&format!("http://{domain}/users/me")),
        "{ready}"
    );

    let b = spawn_app().await;
    perch::services::follow::follow(&b.app.data(), &format!("@me@{domain}"))
        .await
        .unwrap();
    let followers = eventually("the server accepts B", || async {
        let out = cli(&["followers"]);
        out.contains(&format!("follower\t@{}", b.handle()))
            .then_some(out)
    })
    .await;
    assert!(!followers.contains("pending"), "{followers}");

    let out = cli(&["post", "note", seed::NOTE_COMMENTS]);
    assert!(out.contains("delivered to 1 of 1 inboxes"), "{out}");
    let url = out
        .lines()
        .find_map(|l| l.strip_prefix("published "))
        .expect("the post's URL")
        .to_owned();
    let b = &b;
    let stored = eventually("B stores the note", || {
        let url = url.clone();
        async move { b.query(move |c| objects::by_ap_id(c, &url)).await }
    })
    .await;
    assert!(stored.content.contains("got a useful comment. 🤔"));

    let queue = cli(&["deliveries"]);
    assert!(
        queue
            .lines()
            .any(|l| l.starts_with(DeliveryState::Delivered.as_str())
                && l.contains(&b.url("/inbox"))),
        "{queue}"
    );
    // B's actor advertises RFC 9421, so B is signed to that way; everyone else draft-cavage.
    assert!(
        queue.contains(&format!(
            "signatures to {}: rfc9421 (advertised",
            b.domain()
        )),
        "{queue}"
    );
    assert!(
        queue.contains("signatures to every other server: cavage"),
        "{queue}"
    );

    // A consistent copy while the server runs, and a check of the live database and keys.
    let copy = dir.path().join("backups/perch-copy.db");
    if database::on_postgres() {
        let refused = perch(dir.path(), &domain)
            .args(["backup", copy.to_str().unwrap()])
            .output()
            .unwrap();
        let said = String::from_utf8_lossy(&refused.stderr);
        assert!(
            !refused.status.success() && said.contains("pg_dump"),
            "{said}"
        );
        let report = cli(&["check"]);
        assert!(report.contains("database: PostgreSQL"), "{report}");
        assert!(report.contains("actor keys: ok"), "{report}");
        set_and_check_password(dir.path(), &domain);
        return;
    }
    let out = cli(&["backup", copy.to_str().unwrap()]);
    assert!(out.starts_with("backed up to"), "{out}");
    let backup = perch::db::Db::open(&copy, 1).unwrap();
    let url2 = url.clone();
    let in_copy = backup
        .run(move |c| objects::by_ap_id(c, &url2))
        .await
        .unwrap();
    assert!(in_copy.is_some(), "the copy has the note");
    let report = cli(&["check"]);
    for line in [
        "database integrity: ok",
        "foreign keys: ok",
        "actor keys: ok",
    ] {
        assert!(report.contains(line), "{report}");
    }
    let again = perch(dir.path(), &domain)
        .args(["backup", copy.to_str().unwrap()])
        .output()
        .unwrap();
    assert!(
        !again.status.success(),
        "an existing file is never overwritten"
    );
    set_and_check_password(dir.path(), &domain);
}

fn set_and_check_password(dir: &std::path::Path, domain: &str) {
    let mut passwd = perch(dir, domain)
        .arg("passwd")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    passwd
        .stdin
        .take()
        .unwrap()
        .write_all(b"correct horse battery\n")
        .unwrap();
    assert!(ok(passwd.wait_with_output().unwrap()).contains("password set"));
    let db = perch::db::Db::open(database::location(dir), 1).unwrap();
    assert!(perch::services::setup::check_password(&db, "correct horse battery").unwrap());
    assert!(!perch::services::setup::check_password(&db, "wrong").unwrap());
}

#[test]
fn help_explains_each_command_and_bad_config_names_the_key() {
    let out = Command::new(env!("CARGO_BIN_EXE_perch"))
        .arg("--help")
        .output()
        .unwrap();
    let help = String::from_utf8_lossy(&out.stdout);
    for cmd in [
        "serve",
        "init",
        "passwd",
        "migrate",
        "post",
        "follow",
        "unfollow",
        "followers",
        "deliveries",
    ] {
        assert!(help.contains(cmd), "{cmd} missing from:\n{help}");
    }
    let dir = tempfile::tempdir().unwrap();
    let out = perch(dir.path(), "localhost:8080")
        .env("PERCH__ACTOR__LOCKED", "maybe")
        .arg("init")
        .output()
        .unwrap();
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("actor.locked"), "{err}");
    assert!(
        !dir.path().join("perch.db").exists(),
        "nothing is created on a bad config"
    );
}
