//! Load generators written with reqwest: GETs of one URL on several kept-alive connections for
//! a while (requests per second, p50 and p99), and a set of prepared POSTs sent with bounded
//! concurrency (how many were accepted, how fast).

use std::{
    collections::VecDeque,
    sync::{
        atomic::{AtomicBool, Ordering},
        Arc, Mutex,
    },
    time::{Duration, Instant},
};

/// How one URL held up under load.
#[derive(Debug, Clone, Copy, Default)]
pub struct Latencies {
    pub requests: usize,
    /// Answers other than 200, and requests that failed.
    pub errors: usize,
    pub per_s: f64,
    pub p50_ms: f64,
    pub p99_ms: f64,
}

/// A client that keeps one connection alive (each load task has its own).
pub fn client() -> reqwest::Client {
    reqwest::Client::builder()
        .pool_max_idle_per_host(1)
        .timeout(Duration::from_secs(30))
        .build()
        .expect("client")
}

/// When a read load ends.
#[derive(Clone)]
pub enum Until {
    Time(Instant),
    /// When the flag is set.
    Stopped(Arc<AtomicBool>),
}

impl Until {
    fn reached(&self) -> bool {
        match self {
            Until::Time(t) => Instant::now() >= *t,
            Until::Stopped(flag) => flag.load(Ordering::Relaxed),
        }
    }
}

/// GETs `url` (with `headers`) on `connections` connections for `duration`.
pub async fn hammer(
    url: &str,
    headers: &[(&str, String)],
    connections: usize,
    duration: Duration,
) -> Latencies {
    reads(
        url,
        headers,
        connections,
        Until::Time(Instant::now() + duration),
    )
    .await
}

/// GETs `url` (with `headers`) on `connections` connections, one request at a time on each,
/// until `until`.
pub async fn reads(
    url: &str,
    headers: &[(&str, String)],
    connections: usize,
    until: Until,
) -> Latencies {
    let start = Instant::now();
    let tasks: Vec<_> = (0..connections)
        .map(|_| {
            let url = url.to_owned();
            let until = until.clone();
            let headers: Vec<(String, String)> = headers
                .iter()
                .map(|(n, v)| ((*n).to_owned(), v.clone()))
                .collect();
            tokio::spawn(async move {
                let client = client();
                let mut took = Vec::new();
                let mut errors = 0;
                while !until.reached() {
                    let mut req = client.get(&url);
                    for (n, v) in &headers {
                        req = req.header(n, v);
                    }
                    let sent = Instant::now();
                    let ok = match req.send().await {
                        Ok(res) => res.status() == 200 && res.bytes().await.is_ok(),
                        Err(_) => false,
                    };
                    took.push(sent.elapsed());
                    errors += usize::from(!ok);
                }
                (took, errors)
            })
        })
        .collect();
    let mut took = Vec::new();
    let mut errors = 0;
    for t in tasks {
        let (t, e) = t.await.expect("load task");
        took.extend(t);
        errors += e;
    }
    summarise(took, errors, start.elapsed())
}

/// Latencies of `took` (and the rate over `elapsed`).
pub fn summarise(mut took: Vec<Duration>, errors: usize, elapsed: Duration) -> Latencies {
    took.sort_unstable();
    let at = |q: f64| {
        took.get(((took.len() as f64 * q) as usize).min(took.len().saturating_sub(1)))
            .map_or(0.0, |d| d.as_secs_f64() * 1000.0)
    };
    Latencies {
        requests: took.len(),
        errors,
        per_s: took.len() as f64 / elapsed.as_secs_f64(),
        p50_ms: at(0.50),
        p99_ms: at(0.99),
    }
}

/// One prepared POST.
pub struct Post {
    pub url: String,
    pub headers: Vec<(&'static str, String)>,
    pub body: Vec<u8>,
}

/// Sends every post, `concurrency` at a time; how many were answered 2xx, and how long all
/// took.
pub async fn send_all(posts: Vec<Post>, concurrency: usize) -> (usize, Duration) {
    let queue = Arc::new(Mutex::new(VecDeque::from(posts)));
    let start = Instant::now();
    let tasks: Vec<_> = (0..concurrency)
        .map(|_| {
            let queue = queue.clone();
            tokio::spawn(async move {
                let client = client();
                let mut accepted = 0;
                loop {
                    let next = queue.lock().expect("lock").pop_front();
                    let Some(post) = next else { break };
                    let mut req = client.post(&post.url).body(post.body);
                    // The Host header is reqwest's own.
                    for (n, v) in post.headers.into_iter().filter(|(n, _)| *n != "host") {
                        req = req.header(n, v);
                    }
                    if let Ok(res) = req.send().await {
                        accepted += usize::from(res.status().is_success());
                    }
                }
                accepted
            })
        })
        .collect();
    let mut accepted = 0;
    for t in tasks {
        accepted += t.await.expect("send task");
    }
    (accepted, start.elapsed())
}
