//! A counting sink: a loopback HTTP server that takes every POST, counts them per path and
//! answers with the status the test sets (202 unless set), after an optional delay. It stands
//! in for many followers' inboxes at once.

use actix_web::{web, App, HttpRequest, HttpResponse, HttpServer};
use std::{
    collections::HashMap,
    net::TcpListener,
    sync::{
        atomic::{AtomicU16, AtomicU64, Ordering},
        Arc, Mutex,
    },
    time::Duration,
};

#[derive(Default)]
struct Shared {
    counts: Mutex<HashMap<String, usize>>,
    status: AtomicU16,
    delay_ms: AtomicU64,
}

pub struct Sink {
    shared: Arc<Shared>,
}

impl Sink {
    /// Serves on a listener the test already holds (e.g. on a port it has chosen).
    pub fn on(listener: TcpListener) -> Sink {
        let shared = Arc::new(Shared::default());
        shared.status.store(202, Ordering::SeqCst);
        let state = shared.clone();
        let server = HttpServer::new(move || {
            let state = state.clone();
            App::new().default_service(web::to(move |req: HttpRequest| {
                let state = state.clone();
                async move {
                    let delay = state.delay_ms.load(Ordering::SeqCst);
                    if delay > 0 {
                        tokio::time::sleep(Duration::from_millis(delay)).await;
                    }
                    *state
                        .counts
                        .lock()
                        .expect("lock")
                        .entry(req.path().to_owned())
                        .or_default() += 1;
                    let status = state.status.load(Ordering::SeqCst);
                    HttpResponse::build(
                        actix_web::http::StatusCode::from_u16(status).expect("status"),
                    )
                    .finish()
                }
            }))
        })
        .workers(2)
        .disable_signals()
        .listen(listener)
        .expect("listen")
        .run();
        tokio::spawn(server);
        Sink { shared }
    }

    /// Requests per path so far.
    pub fn counts(&self) -> HashMap<String, usize> {
        self.shared.counts.lock().expect("lock").clone()
    }
}
