//! What a self-hoster watches: `/healthz` answers for the database and the delivery worker,
//! `/metrics` counts what perch did (requests, inbox activities, deliveries, fetches) and is
//! closed without its token, or open on a loopback listener of its own.

use crate::support::{database, eventually, http, remote_follower, spawn_app_with};
use perch::{app::Instance, services::health};

async fn scrape(url: &str, token: Option<&str>) -> (u16, String) {
    let mut req = http().get(url);
    if let Some(t) = token {
        req = req.bearer_auth(t);
    }
    let res = req.send().await.unwrap();
    (res.status().as_u16(), res.text().await.unwrap())
}

#[tokio::test]
async fn health_says_the_database_and_the_worker_are_fine() {
    let app = spawn_app_with(&[]).await;
    let res = app.get("/healthz").await;
    assert_eq!(res.status(), 200);
    assert_eq!(res.headers()["cache-control"], "no-store");
    let body: serde_json::Value = res.json().await.unwrap();
    assert_eq!(body["status"], "ok", "{body}");
    assert_eq!(body["database"], "ok");
    assert_eq!(body["queue"]["worker"], "running");
    assert_eq!(body["queue"]["due"], 0);
}

#[tokio::test]
async fn without_a_running_worker_perch_is_unhealthy() {
    // What a CLI command opens: the database, no worker.
    let dir = tempfile::tempdir().unwrap();
    let settings = database::loopback(dir.path(), &[]);
    let instance = Instance::open(settings).await.unwrap();
    let health = health::check(instance.state()).await;
    assert_eq!(health.queue.worker, "stopped");
    assert_eq!(health.database, "ok");
    assert!(!health.ok());
}

#[tokio::test]
async fn metrics_are_closed_without_their_token() {
    let closed = spawn_app_with(&[]).await;
    assert_eq!(scrape(&closed.url("/metrics"), None).await.0, 404);

    let app = spawn_app_with(&[("metrics.token", "s3cret-scrape".into())]).await;
    let (status, body) = scrape(&app.url("/metrics"), None).await;
    assert_eq!(status, 401, "{body}");
    assert_eq!(scrape(&app.url("/metrics"), Some("guess")).await.0, 401);
    let (status, body) = scrape(&app.url("/metrics"), Some("s3cret-scrape")).await;
    assert_eq!(status, 200);
    assert!(body.ends_with("# EOF\n"), "{body}");
    assert!(
        body.contains("perch_process_resident_memory_bytes "),
        "{body}"
    );
}

#[tokio::test]
async fn metrics_count_requests_inbox_activities_deliveries_and_fetches() {
    let app = spawn_app_with(&[("metrics.listen", "127.0.0.1:0".into())]).await;
    let port = app.app.metrics_port.expect("the metrics listener");
    let metrics = format!("http://127.0.0.1:{port}/metrics");
    // A page, a stranger's unsigned POST, and a follower whose Follow is accepted (perch
    // fetches its actor, and delivers the Accept).
    assert_eq!(app.get("/").await.status(), 200);
    let unsigned = http()
        .post(app.url("/inbox"))
        .header("content-type", "application/activity+json")
        .body(r#"{"type":"Like"}"#)
        .send()
        .await
        .unwrap();
    assert_eq!(unsigned.status(), 401);
    let _follower = remote_follower(&app, "counted").await;

    let body = eventually("the Accept's delivery is counted", || async {
        let (status, body) = scrape(&metrics, None).await;
        assert_eq!(status, 200, "the loopback listener asks no token");
        body.contains(r#"perch_deliveries{state="delivered"} 1"#)
            .then_some(body)
    })
    .await;
    for line in [
        r#"perch_http_requests_total{route="/",method="GET",status="200"} 1"#,
        r#"perch_http_requests_total{route="/inbox",method="POST",status="401"} 1"#,
        r#"perch_http_requests_total{route="/inbox",method="POST",status="202"} 1"#,
        r#"perch_inbox_activities_total{type="unread",result="unauthorized"} 1"#,
        r#"perch_inbox_activities_total{type="Follow",result="accepted"} 1"#,
        r#"perch_delivery_attempts_total{result="delivered"} 1"#,
        r#"perch_deliveries{state="pending"} 0"#,
        "perch_deliveries_due 0",
    ] {
        assert!(body.contains(line), "no `{line}` in\n{body}");
    }
    assert!(
        body.lines()
            .any(|l| l.starts_with(r#"perch_remote_fetches_total{result="ok"}"#)),
        "{body}"
    );
    assert!(
        !body.contains("/metrics"),
        "the listener's own scrapes are not counted"
    );
}

#[test]
fn with_log_format_json_every_log_line_is_a_json_object() {
    let dir = tempfile::tempdir().unwrap();
    let out = crate::cli::perch(dir.path(), "localhost:8080")
        .env("PERCH__LOG__FORMAT", "json")
        .arg("init")
        .output()
        .unwrap();
    assert!(out.status.success(), "{out:?}");
    let stderr = String::from_utf8_lossy(&out.stderr);
    let lines: Vec<serde_json::Value> = stderr
        .lines()
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("{e}: {l}")))
        .collect();
    assert!(
        lines.iter().any(|l| l["level"] == "INFO"
            && l["fields"]["message"]
                .as_str()
                .is_some_and(|m| m.contains("created the local actor"))),
        "{stderr}"
    );
}

#[tokio::test]
async fn a_wrong_database_url_stops_start_up_with_the_servers_own_words() {
    // A port nothing listens on: the connection is refused.
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let refused = format!("postgres://perch:secret@127.0.0.1:{port}/perch");
    let Err(err) = perch::db::Db::open(perch::db::Location::Postgres(refused), 1) else {
        panic!("opened a database on a closed port");
    };
    let said = err.to_string();
    assert!(said.contains("Connection refused"), "{said}");
    assert!(!said.contains("secret"), "the password is shown: {said}");

    // The suite's PostgreSQL, with a wrong password.
    if let Some(server) = database::server() {
        let (scheme_user, rest) = server.split_once('@').unwrap();
        let user = scheme_user.rsplit_once(':').map_or(scheme_user, |(u, _)| u);
        let wrong = format!("{user}:not-the-password@{rest}");
        let Err(err) = perch::db::Db::open(perch::db::Location::Postgres(wrong), 1) else {
            panic!("opened a database with a wrong password");
        };
        let said = err.to_string();
        assert!(said.contains("password authentication failed"), "{said}");
        assert!(
            !said.contains("not-the-password"),
            "the password is shown: {said}"
        );
    }
}
