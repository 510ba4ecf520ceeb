//! One run of the harness: the machine's limits; fan-outs of one note to F followers over I
//! shared inboxes (each on a new perch); then, on the main perch, the storage per note and per
//! follower, an inbox burst of replies and of likes with the article page read throughout,
//! reads of every public route against the static one, and a stretch of mixed load to see
//! whether memory grows.

use super::{
    actors::Actors,
    figures::{Burst, Fanout, Memory, Report, Storage},
    limits, load,
    probe::{self, Peak},
    sink::VerifyingSink,
};
use crate::support::{database, followers, process};
use perch::{
    app::Instance,
    db::{self, models::DeliveryState, queries::deliveries},
};
use serde_json::{json, Value};
use std::{
    sync::{
        atomic::{AtomicBool, Ordering},
        Arc,
    },
    time::{Duration, Instant},
};

/// How big a run is.
#[derive(Debug, Clone)]
pub struct Sizes {
    /// Followers of the main instance (F); a fan-out to more inboxes has one per inbox.
    pub followers: usize,
    /// Distinct shared inboxes (I) of each fan-out; the first is the main instance's.
    pub inboxes: Vec<usize>,
    /// Remote actors in the inbox burst (each replies once; a tenth reply to a second article).
    pub actors: usize,
    /// Notes published to measure the storage per note.
    pub notes: usize,
    /// Kept-alive connections of each read load.
    pub connections: usize,
    pub read_for: Duration,
    pub soak_for: Duration,
    /// Signatures per core when measuring the signing limit.
    pub limit_samples: usize,
}

impl Sizes {
    /// The sizes: F = 10,000 over I = 2,000 (and 200, 20,000), 1,000 remote actors,
    /// 10 minutes of mixed load.
    pub fn full() -> Sizes {
        Sizes {
            followers: 10_000,
            inboxes: vec![2_000, 200, 20_000],
            actors: 1_000,
            notes: 200,
            connections: 8,
            read_for: Duration::from_secs(3),
            soak_for: Duration::from_secs(600),
            limit_samples: 300,
        }
    }

    /// Enough of everything to run every step (the test's sizes).
    pub fn tiny() -> Sizes {
        Sizes {
            followers: 12,
            inboxes: vec![4, 2],
            actors: 10,
            notes: 3,
            connections: 2,
            read_for: Duration::from_millis(200),
            soak_for: Duration::from_secs(1),
            limit_samples: 4,
        }
    }
}

/// The configuration perch runs with here: a new user's defaults, but for the federation debug
/// mode (plain http on loopback) and no inbox rate limit (every remote actor here is on one
/// host and one address, where real ones come from many).
const ENV: &[(&str, &str)] = &[
    ("PERCH__SERVER__WORKERS", "0"),
    ("PERCH__DELIVERY__POLL_INTERVAL_MS", "1000"),
    ("PERCH__FEDERATION__INBOX_RATE_PER_MINUTE", "0"),
    ("PERCH__FEDERATION__INBOX_RATE_PER_ADDRESS_PER_MINUTE", "0"),
];

/// A `perch serve` of the run, with a token for its client API.
struct Perch {
    served: process::Served,
    dir: tempfile::TempDir,
    base: String,
    domain: String,
    token: String,
    http: reqwest::Client,
}

impl Perch {
    async fn start() -> Perch {
        let dir = tempfile::tempdir().expect("tempdir");
        let (served, port) = process::serve(dir.path(), 0, ENV);
        let domain = format!("localhost:{port}");
        let token = process::ok(
            process::perch(dir.path(), &domain)
                .args(["token", "create"])
                .output()
                .expect("perch token create"),
        )
        .trim()
        .to_owned();
        Perch {
            served,
            dir,
            base: format!("http://{domain}"),
            domain,
            token,
            http: load::client(),
        }
    }

    fn pid(&self) -> u32 {
        self.served.pid()
    }

    fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    fn bearer(&self) -> String {
        format!("Bearer {}", self.token)
    }

    async fn api(&self, req: reqwest::RequestBuilder) -> Value {
        let res = req
            .header("authorization", self.bearer())
            .send()
            .await
            .expect("API call");
        assert!(res.status().is_success(), "API answered {}", res.status());
        res.json().await.expect("API JSON")
    }

    /// A public note from the app; its status entity.
    async fn note(&self, text: &str) -> Value {
        self.api(
            self.http
                .post(self.url("/api/v1/statuses"))
                .json(&json!({ "status": text, "visibility": "public" })),
        )
        .await
    }

    /// An article published with `perch post article`; its id.
    fn article(&self, markdown: &str) -> String {
        let file = self.dir.path().join("article.md");
        std::fs::write(&file, markdown).expect("write article");
        let out = process::ok(
            process::perch(self.dir.path(), &self.domain)
                .args(["post", "article"])
                .arg(&file)
                .output()
                .expect("perch post article"),
        );
        out.lines()
            .find_map(|l| l.strip_prefix("published "))
            .expect("published line")
            .trim()
            .to_owned()
    }

    /// The API's status id of the post with AP id `uri`.
    async fn status_id(&self, uri: &str) -> String {
        let me = self
            .api(
                self.http
                    .get(self.url("/api/v1/accounts/verify_credentials")),
            )
            .await;
        let mut max_id = String::new();
        loop {
            let page = self
                .api(self.http.get(self.url(&format!(
                    "/api/v1/accounts/{}/statuses?limit=40&max_id={max_id}",
                    me["id"].as_str().expect("account id")
                ))))
                .await;
            let page = page.as_array().expect("statuses");
            if let Some(s) = page.iter().find(|s| s["uri"] == uri) {
                return s["id"].as_str().expect("status id").to_owned();
            }
            max_id = page
                .last()
                .and_then(|s| s["id"].as_str())
                .expect("the post is among the author's statuses")
                .to_owned();
        }
    }

    /// Comments the API lists under the post with AP id `uri`.
    async fn comments(&self, uri: &str) -> usize {
        let id = self.status_id(uri).await;
        let ctx = self
            .api(
                self.http
                    .get(self.url(&format!("/api/v1/statuses/{id}/context"))),
            )
            .await;
        ctx["descendants"].as_array().map_or(0, Vec::len)
    }

    async fn public_key(&self) -> String {
        let actor: Value = self
            .http
            .get(self.url("/users/me"))
            .header("accept", "application/activity+json")
            .send()
            .await
            .expect("actor")
            .json()
            .await
            .expect("actor JSON");
        actor["publicKey"]["publicKeyPem"]
            .as_str()
            .expect("publicKeyPem")
            .to_owned()
    }

    fn location(&self) -> db::Location {
        database::location(self.dir.path())
    }

    fn bytes(&self) -> i64 {
        probe::database_bytes(&self.location())
    }

    /// The database beside the server, as `perch` commands open it.
    async fn open(&self) -> Instance {
        let settings = database::loopback(
            self.dir.path(),
            &[("server.domain", self.domain.as_str().into())],
        );
        Instance::open(settings).await.expect("open the database")
    }

    /// `followers` accepted followers spread over `inboxes` shared inboxes on `sink`.
    async fn add_followers(&self, sink: &VerifyingSink, followers: usize, inboxes: usize) {
        let rows: Vec<(String, String)> = (0..followers)
            .map(|n| {
                let server = n % inboxes;
                let actor = format!("http://localhost:{}/s{server}/users/f{n}", sink.port);
                (actor, sink.inbox(server))
            })
            .collect();
        let here = self.open().await;
        here.state()
            .db
            .run(move |c| {
                db::write(c, |c| {
                    for (actor, shared) in &rows {
                        followers::add_follower_sharing(
                            c,
                            actor,
                            &format!("{actor}/inbox"),
                            Some(shared),
                        )?;
                    }
                    Ok(())
                })
            })
            .await
            .expect("the followers are stored");
    }

    /// Waits until the queue holds nothing but finished deliveries.
    async fn queue_drained(&self) {
        let here = self.open().await;
        let deadline = Instant::now() + Duration::from_secs(120);
        loop {
            let states = here
                .state()
                .db
                .run(deliveries::count_by_state)
                .await
                .expect("queue states");
            if states
                .iter()
                .all(|(s, n)| *s != DeliveryState::Pending || *n == 0)
            {
                return;
            }
            assert!(Instant::now() < deadline, "the queue did not drain");
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }
}

/// One note to every follower of `perch`, until `inboxes` inboxes on `sink` have verified it.
async fn fanout(perch: &Perch, sink: &VerifyingSink, followers: usize, inboxes: usize) -> Fanout {
    sink.reset();
    sink.expect_key(&perch.public_key().await);
    let peak = Peak::watch(perch.pid());
    let start = Instant::now();
    perch
        .note(&format!("Fan-out to {inboxes} servers #perch"))
        .await;
    let deadline = start + Duration::from_secs(600);
    while sink.verified() < inboxes {
        assert!(
            Instant::now() < deadline,
            "only {}/{inboxes} inboxes verified the note ({} refused)",
            sink.verified(),
            sink.refused()
        );
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
    let last = sink.last_verified().expect("a delivery verified");
    Fanout {
        followers,
        inboxes,
        verified: sink.verified(),
        refused: sink.refused(),
        seconds: (last - start).as_secs_f64(),
        peak_rss_mib: peak.finish(),
    }
}

/// A fan-out on a perch of its own (nothing else is measured there).
async fn fanout_alone(sink: &VerifyingSink, followers: usize, inboxes: usize) -> Fanout {
    let perch = Perch::start().await;
    let followers = followers.max(inboxes);
    perch.add_followers(sink, followers, inboxes).await;
    fanout(&perch, sink, followers, inboxes).await
}

/// `posts` sent to the inbox at once while the article page at `page` is read.
async fn burst(perch: &Perch, what: &str, posts: Vec<load::Post>, page: &str) -> Burst {
    let sent = posts.len();
    let stop = Arc::new(AtomicBool::new(false));
    let (page, until) = (page.to_owned(), load::Until::Stopped(stop.clone()));
    let reader = tokio::spawn(async move {
        load::reads(&page, &[("accept", "text/html".to_owned())], 1, until).await
    });
    let peak = Peak::watch(perch.pid());
    let (accepted, took) = load::send_all(posts, 50).await;
    stop.store(true, Ordering::Relaxed);
    Burst {
        what: what.to_owned(),
        sent,
        accepted,
        seconds: took.as_secs_f64(),
        page: reader.await.expect("page reader"),
        peak_rss_mib: peak.finish(),
    }
}

const ARTICLE_BODY: &str = "\n\nI learned a lot at the first Kafka Summit, organized by Confluent, and I’d love to try to share some of what I learned.\n\n## High-level summary\n\n- There’s a lot of work going on right now in streaming data, at pretty much every level\n- Kafka is working really well for lots of companies\n- But it still has some rough edges: deployment, operations, management\n";

pub async fn run(sizes: &Sizes) -> Report {
    let samples = sizes.limit_samples;
    let limits = tokio::task::spawn_blocking(move || limits::measure(samples))
        .await
        .expect("limits");
    let sink = VerifyingSink::start();
    let (main_inboxes, others) = sizes.inboxes.split_first().expect("a fan-out size");
    let mut fanouts = Vec::new();
    for &inboxes in others {
        fanouts.push(fanout_alone(&sink, sizes.followers, inboxes).await);
    }

    let perch = Perch::start().await;
    tokio::time::sleep(Duration::from_secs(1)).await;
    let idle_mib = probe::rss_mib(perch.pid());
    let idle_anon_mib = probe::anon_mib(perch.pid());

    // Storage per note: notes from the app, before there are followers to send them to.
    let before = perch.bytes();
    let mut last_note = Value::Null;
    for n in 0..sizes.notes {
        last_note = perch
            .note(&format!(
                "Note {n} of the benchmark, with a #hashtag and a link https://example.com/{n}"
            ))
            .await;
    }
    let per_note = (perch.bytes() - before) as f64 / sizes.notes as f64;
    let articles: Vec<String> = ["none", "some", "many"]
        .iter()
        .map(|t| {
            perch.article(&format!(
                "# Notes from the First Kafka Summit ({t}){ARTICLE_BODY}"
            ))
        })
        .collect();

    let before = perch.bytes();
    let followers = sizes.followers.max(*main_inboxes);
    perch.add_followers(&sink, followers, *main_inboxes).await;
    let per_follower = (perch.bytes() - before) as f64 / followers as f64;

    let before = perch.bytes();
    let main = fanout(&perch, &sink, followers, *main_inboxes).await;
    perch.queue_drained().await;
    let per_delivery = ((perch.bytes() - before) as f64 - per_note) / *main_inboxes as f64;
    fanouts.insert(0, main);

    // The inbox: replies (each actor's first contact: its key is fetched), then likes.
    let actors = Actors::start(sizes.actors, 4);
    let author = perch.url("/users/me");
    let inbox = perch.url("/inbox");
    let (none, some, many) = (&articles[0], &articles[1], &articles[2]);
    // The page read idle and under the burst is one the burst leaves as it is (the commented
    // article grows under it, which would be another figure).
    let idle_page = load::hammer(
        none,
        &[("accept", "text/html".to_owned())],
        1,
        sizes.read_for,
    )
    .await;
    let few = (sizes.actors / 10).max(1);
    let replies: Vec<(usize, Value)> = (0..sizes.actors)
        .map(|n| (n, actors.reply(n, many, &author, 0)))
        .chain((0..few).map(|n| (n, actors.reply(n, some, &author, 1))))
        .collect();
    let replies_sent = replies.len();
    let posts = tokio::task::block_in_place(|| actors.sign_all(&inbox, replies));
    let before = perch.bytes();
    let mut bursts = vec![burst(&perch, "replies (keys fetched)", posts, none).await];
    let per_comment = (perch.bytes() - before) as f64 / replies_sent as f64;
    let likes: Vec<(usize, Value)> = (0..sizes.actors)
        .map(|n| (n, actors.like(n, many)))
        .collect();
    let posts = tokio::task::block_in_place(|| actors.sign_all(&inbox, likes));
    bursts.push(burst(&perch, "likes (keys known)", posts, none).await);
    let comments_listed = perch.comments(many).await + perch.comments(some).await;

    // Reads, each against the static route of the same binary.
    let html = "text/html";
    let json = "application/activity+json";
    let mut routes: Vec<(String, String, &str)> = vec![
        (
            "static route (style.css)".into(),
            perch.url("/static/style.css"),
            "text/css",
        ),
        (
            "WebFinger".into(),
            perch.url(&format!(
                "/.well-known/webfinger?resource=acct:me@{}",
                perch.domain
            )),
            "application/jrd+json",
        ),
        ("actor".into(), perch.url("/users/me"), json),
        (
            "note JSON".into(),
            last_note["uri"].as_str().expect("note uri").to_owned(),
            json,
        ),
        (
            "outbox page 1".into(),
            perch.url("/users/me/outbox?page=1"),
            json,
        ),
        ("home page".into(), perch.url("/"), html),
        ("article, 0 comments".into(), none.clone(), html),
        (format!("article, {few} comments"), some.clone(), html),
        (
            format!("article, {} comments", sizes.actors),
            many.clone(),
            html,
        ),
        (
            "Atom feed".into(),
            perch.url("/feed.atom"),
            "application/atom+xml",
        ),
    ];
    let timeline = perch.url("/api/v1/timelines/home");
    let mut reads = Vec::new();
    for (name, url, accept) in &routes {
        let r = load::hammer(
            url,
            &[("accept", (*accept).to_owned())],
            sizes.connections,
            sizes.read_for,
        )
        .await;
        reads.push((name.clone(), r));
    }
    let auth = [("authorization", perch.bearer())];
    reads.push((
        "home timeline (API)".into(),
        load::hammer(&timeline, &auth, sizes.connections, sizes.read_for).await,
    ));

    // Mixed load: every route in turn (the timeline with the app's token, the rest as
    // anonymous readers, so that the page cache fills and turns over too), and a note to every
    // follower every 30 s.
    routes.push(("timeline".into(), timeline, "application/json"));
    let soak_start = Instant::now();
    let mut next_note = soak_start;
    let mut soak_start_mib = None;
    let slice = sizes.read_for.min(sizes.soak_for / 10);
    while soak_start.elapsed() < sizes.soak_for {
        if Instant::now() >= next_note {
            perch.note("A note during the mixed load").await;
            next_note += Duration::from_secs(30);
        }
        for (name, url, accept) in &routes {
            let mut headers = vec![("accept", (*accept).to_owned())];
            if name == "timeline" {
                headers.push(auth[0].clone());
            }
            load::hammer(url, &headers, sizes.connections, slice).await;
        }
        if soak_start_mib.is_none() && soak_start.elapsed() >= sizes.soak_for / 10 {
            soak_start_mib = Some(probe::rss_mib(perch.pid()));
        }
    }
    let memory = Memory {
        idle_mib,
        idle_anon_mib,
        soak_start_mib: soak_start_mib.unwrap_or_else(|| probe::rss_mib(perch.pid())),
        soak_end_mib: probe::rss_mib(perch.pid()),
        soak_seconds: soak_start.elapsed().as_secs_f64(),
    };
    if std::env::var_os("PERCH_BENCH_KEEP").is_some() {
        // For a profile of one route afterwards: `perch serve` on the same data.
        let Perch { dir, domain, .. } = perch;
        let kept = dir.keep();
        eprintln!(
            "kept the main instance's data in {} (domain {domain})",
            kept.display()
        );
    }
    Report {
        limits,
        fanouts,
        idle_page,
        bursts,
        replies_sent,
        comments_listed,
        reads,
        memory,
        storage: Storage {
            per_note,
            per_comment,
            per_delivery,
            per_follower,
        },
    }
}
