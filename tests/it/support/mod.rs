//! Starting real perch instances for tests, and waiting on what they do.

pub mod hostile;
pub mod remote;
pub mod seed;

use perch::{app::RunningApp, config::Settings, db::Conn, error::Result};
use std::{future::Future, time::Duration};

/// A perch instance on 127.0.0.1:PORT, known as localhost:PORT, with its own SQLite file.
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
    /// Runs a query on this instance's database.
    pub async fn query<T, F>(&self, f: F) -> T
    where
        T: Send + 'static,
        F: FnOnce(&mut Conn) -> Result<T> + Send + 'static,
    {
        self.app.state().db.run(f).await.expect("query")
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
    Settings::loopback(dir, &all).expect("test settings")
}

/// Starts an instance with the test defaults and `extra` config keys on top.
pub async fn spawn_app_with(extra: &[(&str, toml::Value)]) -> TestApp {
    let dir = tempfile::tempdir().expect("tempdir");
    let app = perch::app::spawn(settings(dir.path(), "127.0.0.1:0", "localhost:0", extra))
        .await
        .expect("spawn");
    TestApp { app, dir }
}

pub async fn spawn_app() -> TestApp {
    spawn_app_with(&[]).await
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
                    perch::db::queries::follows::get(c, a.id, perch::db::models::OUTGOING)
                })
                .await
                .filter(|f| f.state == perch::db::models::ACCEPTED)
        }
    })
    .await;
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
