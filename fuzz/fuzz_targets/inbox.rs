//! The inbox's parse → verify → dispatch path on arbitrary requests: raw headers and bodies,
//! arbitrary bodies signed properly by a known actor, and well-formed activities of every
//! kind with arbitrary objects. No panic, and every error a 4xx with a reason (or a failed
//! fetch: fetches are off). The same harness drives the proptest suite (tests/it/fuzz.rs).
#![no_main]

#[allow(dead_code)]
#[path = "../../tests/it/support/inbox_harness.rs"]
mod inbox_harness;

use inbox_harness::{activity, is_clear, word, InboxHarness, KINDS};
use libfuzzer_sys::{
    arbitrary::{self, Arbitrary},
    fuzz_target,
};
use serde_json::Value;
use std::sync::OnceLock;

const HEADERS: &[&str] = &["signature", "digest", "date", "host", "content-type"];

#[derive(Arbitrary, Debug)]
enum Text {
    Word(u8),
    Other(String),
}

impl Text {
    fn get(&self) -> String {
        match self {
            Text::Word(n) => word(usize::from(*n)).to_owned(),
            Text::Other(s) => s.clone(),
        }
    }
}

#[derive(Arbitrary, Debug)]
enum Json {
    Null,
    Bool(bool),
    Int(i64),
    Float(f64),
    Text(Text),
    Array(Vec<Json>),
    Object(Vec<(Text, Json)>),
}

impl Json {
    fn value(&self, depth: usize) -> Value {
        if depth > 8 {
            return Value::Null;
        }
        match self {
            Json::Null => Value::Null,
            Json::Bool(b) => Value::from(*b),
            Json::Int(n) => Value::from(*n),
            Json::Float(f) => Value::from(*f),
            Json::Text(t) => Value::from(t.get()),
            Json::Array(items) => items.iter().map(|j| j.value(depth + 1)).collect(),
            Json::Object(fields) => Value::Object(
                fields
                    .iter()
                    .map(|(k, v)| (k.get(), v.value(depth + 1)))
                    .collect(),
            ),
        }
    }
}

#[derive(Arbitrary, Debug)]
enum Input {
    /// Any headers and body, as they come.
    Raw {
        headers: Vec<(u8, Option<String>, String)>,
        body: Vec<u8>,
    },
    /// Any body, signed properly.
    Signed(Vec<u8>),
    /// An activity of a known kind by the known actor, signed properly.
    Activity {
        kind: u8,
        n: u64,
        object: Json,
        extra: Vec<(Text, Json)>,
    },
}

fn harness() -> &'static (tokio::runtime::Runtime, InboxHarness) {
    static HARNESS: OnceLock<(tokio::runtime::Runtime, InboxHarness)> = OnceLock::new();
    HARNESS.get_or_init(|| {
        let rt = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(1)
            .enable_all()
            .build()
            .expect("runtime");
        let harness = rt.block_on(InboxHarness::new());
        (rt, harness)
    })
}

fuzz_target!(|input: Input| {
    let (rt, harness) = harness();
    let result = match input {
        Input::Raw { headers, body } => {
            let headers = headers
                .into_iter()
                .map(|(n, other, value)| {
                    let name =
                        other.unwrap_or_else(|| HEADERS[usize::from(n) % HEADERS.len()].to_owned());
                    (name.to_ascii_lowercase(), value)
                })
                .collect();
            rt.block_on(harness.raw(headers, &body))
        }
        Input::Signed(body) => rt.block_on(harness.signed(&body)),
        Input::Activity {
            kind,
            n,
            object,
            extra,
        } => {
            let kind = KINDS[usize::from(kind) % KINDS.len()];
            let extra = extra.iter().map(|(k, v)| (k.get(), v.value(1))).collect();
            let body = activity(kind, n, object.value(1), extra);
            rt.block_on(harness.signed(&body))
        }
    };
    assert!(is_clear(&result), "{result:?}");
});
