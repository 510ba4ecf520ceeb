//! Starting real perch instances for tests, and waiting on what they do.

pub mod database;
pub mod followers;
pub mod hostile;
pub mod inbox_harness;
pub mod process;
pub mod remote;
pub mod seed;
pub mod sink;

pub use followers::add_follower;

use perch::{app::RunningApp, config::Settings, db::Conn, error::Result};
use std::{future::Future, time::Duration};

/// A perch instance on 127.0.0.1:PORT, known as localhost:PORT, with its own database
/// ([`database`]).
pub struct TestApp {
    pub app: RunningApp,
    pub dir: tempfile::TempDir,
}

impl TestApp {
    pub fn domain(&self) -> String {
        self.app.state().settings.server.domain.clone()
    }
    /// `me@localhost:PORT`
    pub fn handle(&self) -> String {
        format!(
            "{}@{}",
            self.app.state().settings.actor.username,
            self.domain()
        )
    }
    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.app.base_url())
    }
    pub fn actor_url(&self) -> String {
        self.app.state().urls.actor().to_string()
    }
    /// GETs `target` (a path on this instance, or a full URL such as an object's id) with
    /// [`http`]'s client: no Accept header, redirects not followed.
    pub async fn get(&self, target: &str) -> reqwest::Response {
        self.get_accepting(target, None).await
    }
    /// [`TestApp::get`] with `Accept: accept`.
    pub async fn get_as(&self, target: &str, accept: &str) -> reqwest::Response {
        self.get_accepting(target, Some(accept)).await
    }
    /// [`TestApp::get`], and the body read as JSON (whatever the status).
    pub async fn get_json(&self, target: &str) -> serde_json::Value {
        self.get(target).await.json().await.unwrap()
    }
    async fn get_accepting(&self, target: &str, accept: Option<&str>) -> reqwest::Response {
        let url = if target.starts_with('/') {
            self.url(target)
        } else {
            target.to_owned()
        };
        let mut req = http().get(url);
        if let Some(accept) = accept {
            req = req.header("accept", accept);
        }
        req.send().await.unwrap()
    }
    /// Runs a query on this instance's database. It stands in for a change perch would make
    /// itself, so readers that keep what they read (the page cache) are told of it, as they are
    /// of perch's own writes.
    pub async fn query<T, F>(&self, f: F) -> T
    where
        T: Send + 'static,
        F: FnOnce(&mut Conn) -> Result<T> + Send + 'static,
    {
        let done = self.app.state().db.run(f).await.expect("query");
        perch::db::changes::changed();
        done
    }
    /// Stops the server and starts it again on the same port and database.
    pub async fn restart(self) -> TestApp {
        let TestApp { app, dir } = self;
        let port = app.port;
        app.stop().await;
        let app = perch::app::spawn(settings(
            dir.path(),
            &format!("127.0.0.1:{port}"),
            &format!("localhost:{port}"),
            &[],
        ))
        .await
        .expect("restart");
        TestApp { app, dir }
    }
}

fn settings(
    dir: &std::path::Path,
    bind: &str,
    domain: &str,
    extra: &[(&str, toml::Value)],
) -> Settings {
    let mut all: Vec<(&str, toml::Value)> = vec![
        ("server.bind", bind.into()),
        ("server.domain", domain.into()),
    ];
    all.extend(extra.iter().cloned());
    database::loopback(dir, &all)
}

/// Starts an instance with the test defaults and `extra` config keys on top.
pub async fn spawn_app_with(extra: &[(&str, toml::Value)]) -> TestApp {
    log_when_asked();
    let dir = tempfile::tempdir().expect("tempdir");
    let app = perch::app::spawn(settings(dir.path(), "127.0.0.1:0", "localhost:0", extra))
        .await
        .expect("spawn");
    TestApp { app, dir }
}

/// With `RUST_LOG` set, the instances' logs go to the test's output (`--nocapture` shows them).
fn log_when_asked() {
    if std::env::var_os("RUST_LOG").is_some() {
        let _ = tracing_subscriber::fmt()
            .with_env_filter(tracing_subscriber::EnvFilter::from_default_env())
            .with_test_writer()
            .try_init();
    }
}

pub async fn spawn_app() -> TestApp {
    spawn_app_with(&[]).await
}

/// A remote actor (played by the test) that follows `app`, once its Accept has arrived.
pub async fn remote_follower(app: &TestApp, name: &str) -> remote::Remote {
    let remote = remote::Remote::start(name).await;
    let res = remote
        .post_signed(&app.url("/inbox"), &remote.follow(&app.actor_url()))
        .await;
    assert_eq!(res.status(), 202);
    eventually("the Accept reaches the follower", || async {
        (remote.received().iter().any(|r| r.body["type"] == "Accept")).then_some(())
    })
    .await;
    remote
}

/// Polls `check` until it gives `Some`, for at most 20 s.
pub async fn eventually<T, F, Fut>(what: &str, mut check: F) -> T
where
    F: FnMut() -> Fut,
    Fut: Future<Output = Option<T>>,
{
    let deadline = tokio::time::Instant::now() + Duration::from_secs(20);
    loop {
        if let Some(v) = check().await {
            return v;
        }
        if tokio::time::Instant::now() > deadline {
            panic!("timed out waiting for: {what}");
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

/// The value of the counter `series` (its name and labels, as `/metrics` writes them) in the
/// metrics at `url`, read with `token` if one is given; 0 when it is not there yet.
pub async fn counter(url: &str, token: Option<&str>, series: &str) -> u64 {
    let mut req = http().get(url);
    if let Some(token) = token {
        req = req.bearer_auth(token);
    }
    let text = req.send().await.unwrap().text().await.unwrap();
    let prefix = format!("{series} ");
    text.lines()
        .find_map(|l| l.strip_prefix(prefix.as_str()))
        .map_or(0, |n| n.trim().parse().unwrap())
}

/// An HTTP client for talking to instances as a remote server or a browser would.
pub fn http() -> reqwest::Client {
    reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .expect("client")
}

/// `follower` follows `author`, and waits until the follow is accepted.
pub async fn following(follower: &TestApp, author: &TestApp) {
    perch::services::follow::follow(&follower.app.data(), &author.handle())
        .await
        .unwrap();
    let id = author.actor_url();
    eventually("the follow is accepted", || {
        let id = id.clone();
        async move {
            follower
                .query(move |c| {
                    let Some(a) = perch::db::queries::actors::by_ap_id(c, &id)? else {
                        return Ok(None);
                    };
                    perch::db::queries::follows::get(
                        c,
                        a.id,
                        perch::db::models::Direction::Outgoing,
                    )
                })
                .await
                .filter(|f| f.state == perch::db::models::FollowState::Accepted)
        }
    })
    .await;
}

/// The Python of the venv `tests/run.sh` makes at `target/{venv}` (or `$var`), with `what`
/// installed; fails loudly when it is missing.
pub fn venv_python(var: &str, venv: &str, what: &str) -> std::path::PathBuf {
    let path = std::env::var_os(var)
        .map(std::path::PathBuf::from)
        .unwrap_or_else(|| {
            std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
                .join(format!("target/{venv}/bin/python"))
        });
    assert!(
        path.exists(),
        "{} is missing: run `bash tests/run.sh`, which creates the venv with {what}",
        path.display()
    );
    path
}

/// The state of the follow between `at` and the actor `ap_id` (`direction` from `at`'s side).
pub async fn follow_state(
    at: &TestApp,
    ap_id: &str,
    direction: perch::db::models::Direction,
) -> Option<perch::db::models::FollowState> {
    let id = ap_id.to_owned();
    at.query(move |c| {
        let Some(actor) = perch::db::queries::actors::by_ap_id(c, &id)? else {
            return Ok(None);
        };
        Ok(perch::db::queries::follows::get(c, actor.id, direction)?.map(|f| f.state))
    })
    .await
}

/// Registers an out-of-band app named `name` through the client API: its JSON.
pub async fn register_app(app: &TestApp, name: &str) -> serde_json::Value {
    http()
        .post(app.url("/api/v1/apps"))
        .form(&[
            ("client_name", name),
            ("redirect_uris", "urn:ietf:wg:oauth:2.0:oob"),
        ])
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap()
}

/// GETs `url` as ActivityPub JSON: the status and the body (`null` if not JSON).
pub async fn get_json(url: &str) -> (u16, serde_json::Value) {
    let res = http()
        .get(url)
        .header("accept", "application/activity+json")
        .send()
        .await
        .unwrap();
    let status = res.status().as_u16();
    (status, res.json().await.unwrap_or(serde_json::Value::Null))
}
