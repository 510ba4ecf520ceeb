//! The `perch` binary as a self-hoster uses it: `perch serve` in one process, `perch post
//! note` and friends in others, a follower instance receiving what the CLI published.

use crate::support::{database, eventually, seed, spawn_app};
use perch::db::{models::*, queries::objects};
use std::{
    io::Write,
    process::{Command, Stdio},
};

pub(crate) use crate::support::process::{ok, perch, serve};

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
