//! A verifying sink: one loopback server standing in for many followers' shared inboxes
//! (`/inbox/N`), which checks every delivery's signature with the author's key, as a real
//! receiver does, and counts a `Create` as delivered only when it verifies. It answers 202
//! either way (a 2xx proves nothing; the count does).

use actix_web::{web, App, HttpRequest, HttpResponse, HttpServer};
use perch::apub::signatures::IncomingSignature;
use std::{
    collections::HashSet,
    net::TcpListener,
    sync::{Arc, Mutex},
    time::Instant,
};

#[derive(Default)]
struct Shared {
    /// The author's public key (PEM), read from the actor document before the fan-out.
    key: Mutex<String>,
    /// Inboxes that received a verified Create.
    verified: Mutex<HashSet<String>>,
    /// When the latest verified Create arrived.
    last: Mutex<Option<Instant>>,
    /// Deliveries whose signature did not verify.
    refused: Mutex<usize>,
}

pub struct VerifyingSink {
    pub port: u16,
    shared: Arc<Shared>,
}

impl VerifyingSink {
    pub fn start() -> VerifyingSink {
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind");
        let port = listener.local_addr().expect("addr").port();
        let shared = Arc::new(Shared::default());
        let state = shared.clone();
        let base = format!("http://localhost:{port}");
        let server = HttpServer::new(move || {
            let state = state.clone();
            let base = base.clone();
            App::new()
                .app_data(web::PayloadConfig::new(1 << 20))
                .default_service(web::to(move |req: HttpRequest, body: web::Bytes| {
                    let state = state.clone();
                    let base = base.clone();
                    async move {
                        receive(&state, &base, &req, &body);
                        HttpResponse::Accepted().finish()
                    }
                }))
        })
        .workers(1)
        .disable_signals()
        .listen(listener)
        .expect("listen")
        .run();
        tokio::spawn(server);
        VerifyingSink { port, shared }
    }

    /// A shared inbox on this sink.
    pub fn inbox(&self, n: usize) -> String {
        format!("http://localhost:{}/inbox/{n}", self.port)
    }

    pub fn expect_key(&self, public_key_pem: &str) {
        *self.shared.key.lock().expect("lock") = public_key_pem.to_owned();
    }

    /// Forgets what was delivered (for the next fan-out).
    pub fn reset(&self) {
        self.shared.verified.lock().expect("lock").clear();
        *self.shared.last.lock().expect("lock") = None;
    }

    pub fn verified(&self) -> usize {
        self.shared.verified.lock().expect("lock").len()
    }

    pub fn refused(&self) -> usize {
        *self.shared.refused.lock().expect("lock")
    }

    pub fn last_verified(&self) -> Option<Instant> {
        *self.shared.last.lock().expect("lock")
    }
}

fn receive(state: &Shared, base: &str, req: &HttpRequest, body: &[u8]) {
    let request = perch::routes::federation::incoming(req);
    let key = state.key.lock().expect("lock").clone();
    let verifies = IncomingSignature::read(&request, Some(body), true, chrono::Utc::now())
        .and_then(|sig| sig.verify(&request, base, &key))
        .is_ok();
    if !verifies {
        *state.refused.lock().expect("lock") += 1;
        return;
    }
    let is_create = serde_json::from_slice::<serde_json::Value>(body)
        .ok()
        .is_some_and(|v| v["type"] == "Create");
    if is_create {
        state
            .verified
            .lock()
            .expect("lock")
            .insert(req.path().to_owned());
        *state.last.lock().expect("lock") = Some(Instant::now());
    }
}
