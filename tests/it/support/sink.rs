//! A counting sink: a loopback HTTP server that takes every request, counts them per path and
//! answers 202 Accepted after an optional delay. It stands in for many followers' inboxes at
//! once (perch's delivery looks only at the status).

use actix_web::{web, App, HttpRequest, HttpResponse, HttpServer};
use std::{
    collections::HashMap,
    net::TcpListener,
    sync::{
        atomic::{AtomicU64, Ordering},
        Arc, Mutex,
    },
    time::Duration,
};

#[derive(Default)]
struct Shared {
    counts: Mutex<HashMap<String, usize>>,
    delay_ms: AtomicU64,
}

pub struct Sink {
    pub port: u16,
    shared: Arc<Shared>,
}

impl Sink {
    pub fn start() -> Sink {
        Sink::on(TcpListener::bind("127.0.0.1:0").expect("bind"))
    }

    /// Serves on a listener the test already holds (e.g. on a port it has chosen).
    pub fn on(listener: TcpListener) -> Sink {
        let port = listener.local_addr().expect("addr").port();
        let shared = Arc::new(Shared::default());
        let state = shared.clone();
        let server = HttpServer::new(move || {
            let state = state.clone();
            App::new().default_service(web::to(move |req: HttpRequest| {
                let state = state.clone();
                async move {
                    // Counted on arrival, as a receiver stores an activity before it answers.
                    *state
                        .counts
                        .lock()
                        .expect("lock")
                        .entry(req.path().to_owned())
                        .or_default() += 1;
                    let delay = state.delay_ms.load(Ordering::SeqCst);
                    if delay > 0 {
                        tokio::time::sleep(Duration::from_millis(delay)).await;
                    }
                    HttpResponse::Accepted().finish()
                }
            }))
        })
        .workers(2)
        .disable_signals()
        .listen(listener)
        .expect("listen")
        .run();
        tokio::spawn(server);
        Sink { port, shared }
    }

    pub fn url(&self, path: &str) -> String {
        format!("http://127.0.0.1:{}{path}", self.port)
    }

    /// How long each request waits before it is counted and answered.
    pub fn delay(&self, d: Duration) {
        self.shared
            .delay_ms
            .store(d.as_millis() as u64, Ordering::SeqCst);
    }

    pub fn total(&self) -> usize {
        self.counts().values().sum()
    }

    /// Requests per path so far.
    pub fn counts(&self) -> HashMap<String, usize> {
        self.shared.counts.lock().expect("lock").clone()
    }
}
