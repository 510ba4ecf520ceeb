//! The signature header parser and its neighbours on arbitrary text: `Signature` parsing,
//! the signing string and verification of what parsed, `Digest`, `Date`, and the whole
//! pre-fetch reading of a request's signature (either format) that the inbox does before it
//! fetches anything. None may panic.
#![no_main]

use libfuzzer_sys::fuzz_target;
use perch::apub::{
    inbox::IncomingRequest,
    signatures::{self, IncomingSignature, SignatureHeader},
};

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    if let Ok(sig) = SignatureHeader::parse(&text) {
        let lookup = |name: &str| (name == "host").then(|| text.to_string());
        let _ = signatures::signing_string(&sig.headers, "post", "/inbox", lookup);
        let _ = signatures::verify(&sig, &["date"], "POST", "/inbox", lookup, "");
    }
    let _ = signatures::verify_digest(Some(&text), data);
    let _ = signatures::verify_date(Some(&text), chrono::Utc::now());
    let request = IncomingRequest {
        method: "POST".into(),
        path_and_query: "/inbox".into(),
        headers: vec![
            ("signature".into(), text.to_string()),
            ("signature-input".into(), text.to_string()),
        ],
    };
    let _ = IncomingSignature::read(&request, Some(data), true, chrono::Utc::now());
    let _ = IncomingSignature::read(&request, None, false, chrono::Utc::now());
});
