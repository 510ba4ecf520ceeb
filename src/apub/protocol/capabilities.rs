//! FEP-844e capability discovery: an actor's `generator` (the software behind it) lists what
//! it `implements`, each an object whose `href` names a specification. perch reads it to learn
//! which servers verify RFC 9421 signatures, and publishes its own.

use serde_json::{json, Value};

/// The `href` that names RFC 9421 (HTTP Message Signatures).
pub const RFC9421: &str = "https://datatracker.ietf.org/doc/html/rfc9421";

/// Whether a `generator` says that its software implements RFC 9421 (with any algorithm: an
/// `href` of the RFC with a fragment counts too).
pub fn implements_rfc9421(generator: &Value) -> bool {
    let implements = &generator["implements"];
    let items = match implements {
        Value::Array(items) => items.as_slice(),
        one => std::slice::from_ref(one),
    };
    items.iter().any(|item| {
        let href = match item {
            Value::String(s) => s.as_str(),
            other => other["href"].as_str().unwrap_or(""),
        };
        href.split('#').next() == Some(RFC9421)
    })
}

/// perch's own `generator`: the software, and RFC 9421 when incoming RFC 9421 signatures are
/// verified (`federation.accept_rfc9421`).
pub fn generator(accept_rfc9421: bool) -> Value {
    let implements: Vec<Value> = accept_rfc9421
        .then(|| json!({ "name": "RFC-9421: HTTP Message Signatures", "href": RFC9421 }))
        .into_iter()
        .collect();
    json!({
        "type": "Application",
        "name": "perch",
        "implements": implements,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rfc9421_is_read_from_implements_in_every_shape() {
        for yes in [
            json!({"implements": [{"href": RFC9421, "name": "RFC-9421"}]}),
            json!({"implements": {"href": format!("{RFC9421}#name-eddsa-using-curve-edwards25")}}),
            json!({"implements": [RFC9421]}),
            generator(true),
        ] {
            assert!(implements_rfc9421(&yes), "{yes}");
        }
        for no in [
            json!(null),
            json!("perch"),
            json!({"implements": []}),
            json!({"implements": [{"href": "https://datatracker.ietf.org/doc/html/rfc9421x"}]}),
            json!({"implements": [{"href": "https://w3id.org/fep/8b32"}]}),
            generator(false),
        ] {
            assert!(!implements_rfc9421(&no), "{no}");
        }
    }
}
