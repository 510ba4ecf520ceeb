//! The author's app: Mastodon.py (the real client library, from PyPI, in the venv that
//! `tests/run.sh` makes under target/) drives the client API of one perch while a second perch
//! follows, comments and receives. Plus the login rate limit, checked over plain HTTP.

use crate::support::{spawn_app_with, TestApp};
use perch::services::setup;
use std::{path::PathBuf, time::Duration};

fn python() -> PathBuf {
    crate::support::venv_python("PERCH_PYTHON", "pyvenv", "Mastodon.py")
}

/// A token of the author's with `scopes`, as `perch token create` makes them.
pub(crate) async fn token_for(app: &TestApp, scopes: &'static str) -> String {
    app.app
        .state()
        .db
        .run(move |c| {
            let scopes = perch::domain::scopes::Scopes::parse(scopes)?;
            perch::services::auth::issue_token(c, None, &scopes, true)
        })
        .await
        .unwrap()
        .1
}

fn set_password(app: &TestApp, password: &str) {
    setup::set_password(&app.app.state().db, password).expect("password");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn mastodon_py_logs_in_posts_edits_moderates_and_federates() {
    let a = spawn_app_with(&[("comments.policy", "approve".into())]).await;
    let b = spawn_app_with(&[]).await;
    set_password(&a, "correct horse battery staple");
    set_password(&b, "another good password");
    let mut command = std::process::Command::new(python());
    command
        .arg(PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/client/mastodon_py.py"))
        .env("PERCH_A", a.app.base_url())
        .env("PERCH_B", b.app.base_url())
        .env("PERCH_A_PASSWORD", "correct horse battery staple")
        .env("PERCH_B_PASSWORD", "another good password")
        .env("PERCH_NOTE", crate::support::seed::NOTE_COMMENTS)
        .env("PERCH_ARTICLE", crate::support::seed::ARTICLE);
    let run = tokio::task::spawn_blocking(move || command.output());
    let output = tokio::time::timeout(Duration::from_secs(240), run)
        .await
        .expect("the Mastodon.py suite finished in time")
        .unwrap()
        .expect("python runs");
    let stdout = String::from_utf8_lossy(&output.stdout);
    let stderr = String::from_utf8_lossy(&output.stderr);
    println!("{stdout}");
    eprintln!("{stderr}");
    assert!(
        output.status.success(),
        "the Mastodon.py suite failed:\n{stdout}\n{stderr}"
    );
    assert!(stdout.contains("all steps passed"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn twenty_wrong_passwords_are_rate_limited_and_the_right_one_works_after_the_window() {
    let app = spawn_app_with(&[
        ("api.login_attempts", 5.into()),
        ("api.limit_window_seconds", 20.into()),
    ])
    .await;
    set_password(&app, "the right one");
    let client = reqwest::Client::new();
    let registered = crate::support::register_app(&app, "limits").await;
    let login = |password: &'static str| {
        let client = client.clone();
        let url = app.url("/oauth/token");
        let form = vec![
            ("grant_type", "password".to_owned()),
            ("username", "me".to_owned()),
            ("password", password.to_owned()),
            (
                "client_id",
                registered["client_id"].as_str().unwrap().to_owned(),
            ),
            (
                "client_secret",
                registered["client_secret"].as_str().unwrap().to_owned(),
            ),
        ];
        // Behind a reverse proxy on this host: whatever the client claims comes first in
        // X-Forwarded-For (and in Forwarded), and the proxy appends the address it saw.
        let claimed = uuid::Uuid::new_v4().to_string();
        async move {
            client
                .post(url)
                .header("X-Forwarded-For", format!("{claimed}, 203.0.113.7"))
                .header("Forwarded", format!("for={claimed}"))
                .form(&form)
                .send()
                .await
                .unwrap()
        }
    };
    let mut statuses = Vec::new();
    for _ in 0..20 {
        statuses.push(login("wrong").await.status().as_u16());
    }
    assert_eq!(&statuses[..5], &[400; 5], "wrong passwords are refused");
    assert!(statuses[5..].iter().all(|&s| s == 429), "{statuses:?}");
    let limited = login("the right one").await;
    assert_eq!(limited.status(), 429, "the right password waits too");
    // Five attempts in twenty seconds: one comes back every four.
    let wait: u64 = limited.headers()["Retry-After"]
        .to_str()
        .unwrap()
        .parse()
        .unwrap();
    assert!((1..=4).contains(&wait), "Retry-After: {wait}");
    tokio::time::sleep(Duration::from_millis(wait * 1000 + 100)).await;
    let ok = login("the right one").await;
    assert_eq!(ok.status(), 200);
    let body: serde_json::Value = ok.json().await.unwrap();
    assert_eq!(body["token_type"], "Bearer");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_token_from_perch_token_create_works_within_its_scopes_only() {
    let app = crate::support::spawn_app().await;
    let out = crate::cli::perch(app.dir.path(), &app.domain())
        .args(["token", "create", "--scopes", "read"])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let token = String::from_utf8(out.stdout).unwrap().trim().to_owned();
    assert!(token.len() >= 40);
    let client = reqwest::Client::new();
    let me = client
        .get(app.url("/api/v1/accounts/verify_credentials"))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap();
    assert_eq!(me.status(), 200);
    let posted = client
        .post(app.url("/api/v1/statuses"))
        .bearer_auth(&token)
        .form(&[("status", "not with a read token")])
        .send()
        .await
        .unwrap();
    assert_eq!(posted.status(), 403);
    let body: serde_json::Value = posted.json().await.unwrap();
    assert_eq!(
        body["error"],
        "This action is outside the authorized scopes"
    );
    let stored: String = app
        .query(|c| {
            use diesel::prelude::*;
            use perch::db::schema::oauth_tokens::dsl as t;
            Ok(t::oauth_tokens.select(t::token_hash).first(c)?)
        })
        .await;
    assert_ne!(stored, token, "only the hash is stored");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_profile_edited_from_an_app_outlives_a_restart_and_is_in_the_actor_document() {
    let app = crate::support::spawn_app().await;
    let token = token_for(&app, "read write").await;
    let res = reqwest::Client::new()
        .patch(app.url("/api/v1/accounts/update_credentials"))
        .bearer_auth(&token)
        .json(&serde_json::json!({
            "display_name": "Mira",
            "note": "Streams and queues.",
            "locked": true,
            "fields_attributes": [{ "name": "Blog", "value": "https://example.org/" }],
        }))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200, "{}", res.text().await.unwrap());
    let app = app.restart().await;
    let (_, actor) = crate::support::get_json(&app.actor_url()).await;
    assert_eq!(actor["name"], "Mira");
    assert_eq!(actor["summary"], "<p>Streams and queues.</p>");
    assert_eq!(actor["manuallyApprovesFollowers"], true);
    assert_eq!(actor["attachment"][0]["name"], "Blog");
    assert!(actor["attachment"][0]["value"]
        .as_str()
        .unwrap()
        .contains(r#"href="https://example.org/""#));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_upload_over_the_media_limit_gets_413_naming_the_limit() {
    let app = spawn_app_with(&[("media.max_bytes", 4096.into())]).await;
    let token = token_for(&app, "write").await;
    let mut body =
        b"--perch\r\nContent-Disposition: form-data; name=\"file\"; filename=\"big.png\"\r\n\
                     Content-Type: image/png\r\n\r\n"
            .to_vec();
    body.extend(vec![0u8; 200_000]);
    body.extend(b"\r\n--perch--\r\n");
    let res = reqwest::Client::new()
        .post(app.url("/api/v2/media"))
        .bearer_auth(&token)
        .header("Content-Type", "multipart/form-data; boundary=perch")
        .body(body)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 413);
    let body: serde_json::Value = res.json().await.unwrap();
    assert_eq!(body["error"], "too large: the limit is 4096 bytes");
}
