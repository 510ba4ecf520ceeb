//! The physical limits of this machine for federation: RSA-2048 signatures and verifications
//! per second on every core, made with perch's own signing and verifying code (each delivery
//! needs its own signature; each inbox activity one verification).

use perch::apub::{
    signatures::{IncomingRequest, IncomingSignature, RequestSigner},
    ACTIVITY_JSON,
};
use std::time::Instant;

#[derive(Debug, Clone, Copy)]
pub struct Limits {
    pub cores: usize,
    pub sign_per_s: f64,
    pub verify_per_s: f64,
}

/// Signs (and then verifies) `per_core` requests on each core at once.
pub fn measure(per_core: usize) -> Limits {
    let keys = activitypub_federation::http_signatures::generate_actor_keypair().expect("keys");
    let signer = RequestSigner::from_pem("http://localhost:1/users/me#main-key", &keys.private_key)
        .expect("signer");
    let url = url::Url::parse("http://localhost:1/inbox").expect("url");
    let body = vec![b'x'; 1500];
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    let sign = || {
        std::hint::black_box(signer.sign_post(&url, &body, ACTIVITY_JSON, chrono::Utc::now()));
    };
    let sign_per_s = on_every_core(cores, per_core, sign);
    let signed = request(&signer.sign_post(&url, &body, ACTIVITY_JSON, chrono::Utc::now()));
    let verify = || {
        let sig = IncomingSignature::read(&signed, Some(&body), true, chrono::Utc::now())
            .expect("readable");
        sig.verify(&signed, "http://localhost:1", &keys.public_key)
            .expect("verifies");
    };
    // Verifying is some 30 times cheaper than signing: more of them for the same time.
    let verify_per_s = on_every_core(cores, per_core * 20, verify);
    Limits {
        cores,
        sign_per_s,
        verify_per_s,
    }
}

/// The POST to /inbox that `headers` sign, as a receiver reads it.
pub fn request(headers: &[(&'static str, String)]) -> IncomingRequest {
    IncomingRequest {
        method: "POST".into(),
        path_and_query: "/inbox".into(),
        headers: headers
            .iter()
            .map(|(n, v)| ((*n).to_owned(), v.clone()))
            .collect(),
    }
}

/// Operations per second with `cores` threads each doing `each` of them.
fn on_every_core(cores: usize, each: usize, op: impl Fn() + Sync) -> f64 {
    let start = Instant::now();
    std::thread::scope(|s| {
        for _ in 0..cores {
            s.spawn(|| (0..each).for_each(|_| op()));
        }
    });
    (cores * each) as f64 / start.elapsed().as_secs_f64()
}
