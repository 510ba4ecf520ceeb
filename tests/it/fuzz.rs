//! Property tests of what the network can send: arbitrary headers and bodies into the inbox
//! path (raw; properly signed; well-formed activities with arbitrary objects), and arbitrary
//! text into the signature header parser and its neighbours. None may panic; every error is
//! a 4xx with a reason (or a failed fetch, fetches being off here). The cargo-fuzz targets in
//! fuzz/ drive the same functions for longer.

use crate::support::inbox_harness::{activity, is_clear, word, InboxHarness, ACTOR, KINDS, WORDS};
use perch::apub::signatures::{self, SignatureHeader};
use proptest::{collection::vec, prelude::*, sample::select};
use serde_json::Value;

fn config(cases: u32) -> ProptestConfig {
    ProptestConfig {
        cases,
        failure_persistence: None,
        ..ProptestConfig::default()
    }
}

fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_multi_thread()
        .worker_threads(1)
        .enable_all()
        .build()
        .unwrap()
}

/// Text that is often one of the words activities are made of.
fn text() -> impl Strategy<Value = String> {
    prop_oneof![
        3 => (0..WORDS.len() + KINDS.len()).prop_map(|n| word(n).to_owned()),
        1 => any::<String>(),
    ]
}

/// Arbitrary JSON, a few levels deep.
fn json() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::from),
        any::<i64>().prop_map(Value::from),
        any::<f64>().prop_map(Value::from),
        text().prop_map(Value::from),
    ];
    leaf.prop_recursive(4, 32, 6, |inner| {
        prop_oneof![
            vec(inner.clone(), 0..4).prop_map(Value::from),
            vec((text(), inner), 0..6)
                .prop_map(|fields| Value::Object(fields.into_iter().collect())),
        ]
    })
}

/// A post by the known actor (or claiming to be), with arbitrary fields besides.
fn post() -> impl Strategy<Value = Value> {
    let kind = select(&["Note", "Article", "Question", "Page"][..]);
    (
        kind,
        any::<u16>(),
        text(),
        text(),
        text(),
        vec((text(), json()), 0..4),
    )
        .prop_map(|(kind, n, attributed_to, content, in_reply_to, extra)| {
            let mut post = serde_json::json!({
                "id": format!("{ACTOR}/notes/{n}"),
                "type": kind,
                "attributedTo": attributed_to,
                "content": content,
                "inReplyTo": in_reply_to,
                "to": ["https://www.w3.org/ns/activitystreams#Public"],
            });
            if let Value::Object(map) = &mut post {
                map.extend(extra);
            }
            post
        })
}

fn header_name() -> impl Strategy<Value = String> {
    prop_oneof![
        select(
            &[
                "signature",
                "digest",
                "date",
                "host",
                "content-type",
                "signature-input"
            ][..]
        )
        .prop_map(str::to_owned),
        "[a-z-]{1,12}".prop_map(|s: String| s),
    ]
}

/// A `Signature` header: a list of `name="value"` or `name=value` pairs, or noise.
fn signature_text() -> impl Strategy<Value = String> {
    let name = prop_oneof![
        select(
            &[
                "keyId",
                "algorithm",
                "headers",
                "signature",
                "created",
                "KEYID"
            ][..]
        )
        .prop_map(str::to_owned),
        any::<String>(),
    ];
    let pair = (name, any::<String>(), any::<bool>()).prop_map(|(n, v, quoted)| {
        if quoted {
            format!("{n}=\"{v}\"")
        } else {
            format!("{n}={v}")
        }
    });
    prop_oneof![
        vec(pair, 0..6).prop_map(|pairs| pairs.join(",")),
        any::<String>(),
    ]
}

#[test]
fn the_signature_header_parser_and_its_neighbours_never_panic() {
    proptest!(config(2000), |(text in signature_text(), body in vec(any::<u8>(), 0..64))| {
        match SignatureHeader::parse(&text) {
            Ok(sig) => {
                // What parsed can be taken further without a panic either.
                let lookup = |name: &str| (name == "host").then(|| text.clone());
                let _ = signatures::signing_string(&sig.headers, "post", "/inbox", lookup);
                let _ = signatures::verify(&sig, &["date"], "POST", "/inbox", lookup, "");
            }
            Err(e) => prop_assert!(!e.to_string().is_empty()),
        }
        let _ = signatures::verify_digest(Some(&text), &body);
        let _ = signatures::verify_date(Some(&text), chrono::Utc::now());
    });
}

#[test]
fn a_parsed_signature_header_keeps_what_it_was_given() {
    let key = "[a-zA-Z0-9:/._#-]{1,40}";
    proptest!(config(500), |(key_id in key, sig in vec(any::<u8>(), 1..64), headers in vec("[a-z()-]{1,12}", 1..5))| {
        use base64::Engine;
        let text = format!(
            r#"keyId="{key_id}",algorithm="rsa-sha256",headers="{}",signature="{}""#,
            headers.join(" "),
            base64::engine::general_purpose::STANDARD.encode(&sig)
        );
        let parsed = SignatureHeader::parse(&text).unwrap();
        prop_assert_eq!(parsed.key_id, key_id);
        prop_assert_eq!(parsed.headers, headers);
        prop_assert_eq!(parsed.signature, sig);
    });
}

#[test]
fn the_inbox_takes_arbitrary_requests_without_a_panic() {
    let rt = runtime();
    let harness = rt.block_on(InboxHarness::new());
    let headers = vec(
        (
            header_name(),
            prop_oneof![signature_text(), any::<String>()],
        ),
        0..6,
    );
    proptest!(config(300), |(headers in headers, body in vec(any::<u8>(), 0..256))| {
        let result = rt.block_on(harness.raw(headers, &body));
        prop_assert!(is_clear(&result), "{:?}", result);
    });
}

#[test]
fn the_inbox_takes_arbitrary_signed_bodies_without_a_panic() {
    let rt = runtime();
    let harness = rt.block_on(InboxHarness::new());
    let body = prop_oneof![
        vec(any::<u8>(), 0..256),
        json().prop_map(|v| serde_json::to_vec(&v).unwrap()),
    ];
    proptest!(config(200), |(body in body)| {
        let result = rt.block_on(harness.signed(&body));
        prop_assert!(is_clear(&result), "{:?}", result);
    });
}

#[test]
fn the_inbox_dispatches_arbitrary_activities_without_a_panic() {
    let rt = runtime();
    let harness = rt.block_on(InboxHarness::new());
    let input = (
        select(KINDS),
        any::<u64>(),
        prop_oneof![json(), post()],
        vec((text(), json()), 0..4),
    );
    proptest!(config(300), |((kind, n, object, extra) in input)| {
        let body = activity(kind, n, object, extra);
        let result = rt.block_on(harness.signed(&body));
        prop_assert!(is_clear(&result), "{:?}", result);
    });
}
