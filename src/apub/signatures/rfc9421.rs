//! RFC 9421 HTTP Message Signatures, as Mastodon 4.5 sends and accepts them: a
//! `Signature-Input` dictionary naming the covered components and the `created`/`keyid`
//! parameters, and a `Signature` dictionary with the signature under the same label.
//! Only `rsa-v1_5-sha256`, and components without parameters.

use super::{
    sfv::{self, BareItem, Item, Member, Parameters},
    IncomingRequest, SignatureError,
};

/// The algorithm perch signs and accepts (RFC 9421 §3.3.2).
pub const ALGORITHM: &str = "rsa-v1_5-sha256";
/// The label perch signs under.
pub const LABEL: &str = "sig1";

/// One signature of a request: its components, parameters and value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MessageSignature {
    pub label: String,
    pub key_id: String,
    pub components: Vec<String>,
    pub created: Option<i64>,
    pub expires: Option<i64>,
    pub signature: Vec<u8>,
    items: Vec<Item>,
    params: Parameters,
}

fn bad(m: impl Into<String>) -> SignatureError {
    SignatureError::Malformed(m.into())
}

impl MessageSignature {
    /// Reads the first label of `Signature-Input` that `Signature` has a value for.
    pub fn parse(input: &str, signature: &str) -> Result<MessageSignature, SignatureError> {
        let inputs =
            sfv::parse_dictionary(input).map_err(|e| bad(format!("Signature-Input: {e}")))?;
        let values =
            sfv::parse_dictionary(signature).map_err(|e| bad(format!("Signature: {e}")))?;
        let (label, items, params, value) = inputs
            .into_iter()
            .find_map(|(label, member)| {
                let Member::InnerList(items, params) = member else {
                    return None;
                };
                let value = values.iter().find_map(|(l, v)| match v {
                    Member::Item(Item {
                        bare: BareItem::Bytes(b),
                        ..
                    }) if *l == label => Some(b.clone()),
                    _ => None,
                })?;
                Some((label, items, params, value))
            })
            .ok_or_else(|| bad("no label has both a Signature-Input and a Signature"))?;

        let mut components: Vec<String> = Vec::with_capacity(items.len());
        for item in &items {
            let BareItem::String(name) = &item.bare else {
                return Err(bad("a covered component is not a string"));
            };
            if !item.params.is_empty() {
                return Err(bad(format!(
                    "component parameters are not supported ({name})"
                )));
            }
            if name.is_empty() || name.bytes().any(|c| c.is_ascii_uppercase()) {
                return Err(bad(format!("`{name}` is not a lower-case component name")));
            }
            if components.contains(name) {
                return Err(bad(format!("`{name}` is covered twice")));
            }
            components.push(name.clone());
        }
        let int = |key: &str| match sfv::param(&params, key) {
            None => Ok(None),
            Some(BareItem::Integer(n)) => Ok(Some(*n)),
            Some(_) => Err(bad(format!("`{key}` is not an integer"))),
        };
        let (created, expires) = (int("created")?, int("expires")?);
        let key_id = match sfv::param(&params, "keyid") {
            Some(BareItem::String(k)) => k.clone(),
            _ => return Err(bad("no keyid")),
        };
        match sfv::param(&params, "alg") {
            None => {}
            Some(BareItem::String(a)) if a == ALGORITHM => {}
            Some(BareItem::String(a)) => return Err(SignatureError::Algorithm(a.clone())),
            Some(_) => return Err(bad("`alg` is not a string")),
        }
        Ok(MessageSignature {
            label,
            key_id,
            components,
            created,
            expires,
            signature: value,
            items,
            params,
        })
    }

    pub fn covers(&self, name: &str) -> bool {
        self.components.iter().any(|c| c == name)
    }

    /// The method, the whole target (or its authority and path) and, for a request with a
    /// body, its digest must be covered.
    pub fn check_coverage(
        &self,
        path_and_query: &str,
        has_body: bool,
    ) -> Result<(), SignatureError> {
        let not = |c: &str| Err(SignatureError::NotCovered(c.to_owned()));
        if !self.covers("@method") {
            return not("@method");
        }
        let authority = self.covers("@authority") || self.covers("host");
        let has_query = path_and_query.contains('?');
        let path = self.covers("@request-target")
            || (self.covers("@path") && (self.covers("@query") || !has_query));
        if !(self.covers("@target-uri") || (authority && path)) {
            return not(if authority { "@path" } else { "@target-uri" });
        }
        if has_body && !self.covers("content-digest") && !self.covers("digest") {
            return not("content-digest");
        }
        Ok(())
    }

    /// The signature base (RFC 9421 §2.5) of `request`, sent to `base` (`scheme://authority`).
    pub fn signature_base(
        &self,
        request: &IncomingRequest,
        base: &str,
    ) -> Result<String, SignatureError> {
        let mut out = String::new();
        for name in &self.components {
            let value = component_value(name, request, base)?;
            if value.contains(['\n', '\r']) {
                return Err(bad(format!("`{name}` holds a line break")));
            }
            out.push_str(&format!("\"{name}\": {value}\n"));
        }
        out.push_str("\"@signature-params\": ");
        out.push_str(&sfv::serialize_inner_list(&self.items, &self.params));
        Ok(out)
    }
}

fn component_value(
    name: &str,
    request: &IncomingRequest,
    base: &str,
) -> Result<String, SignatureError> {
    let (scheme, authority) = base.split_once("://").unwrap_or(("https", base));
    let pq = request.path_and_query.as_str();
    let (path, query) = match pq.split_once('?') {
        Some((p, q)) => (p, Some(q)),
        None => (pq, None),
    };
    Ok(match name {
        "@method" => request.method.to_ascii_uppercase(),
        "@target-uri" => format!("{base}{pq}"),
        "@authority" => authority.to_ascii_lowercase(),
        "@scheme" => scheme.to_ascii_lowercase(),
        "@request-target" => pq.to_owned(),
        "@path" if path.is_empty() => "/".to_owned(),
        "@path" => path.to_owned(),
        "@query" => format!("?{}", query.unwrap_or("")),
        derived if derived.starts_with('@') => {
            return Err(bad(format!("the component `{derived}` is not supported")))
        }
        header => request
            .header(header)
            .map(|v| v.trim().to_owned())
            .ok_or_else(|| SignatureError::AbsentHeader(header.to_owned()))?,
    })
}

/// `Signature-Input` and the signature base for `components` of a request perch sends.
pub(super) fn input_for(
    components: &[&str],
    key_id: &str,
    created: i64,
    request: &IncomingRequest,
    base: &str,
) -> (String, String) {
    let items: Vec<Item> = components
        .iter()
        .map(|c| Item {
            bare: BareItem::String((*c).to_owned()),
            params: Vec::new(),
        })
        .collect();
    let params: Parameters = vec![
        ("created".to_owned(), BareItem::Integer(created)),
        ("keyid".to_owned(), BareItem::String(key_id.to_owned())),
    ];
    let sig = MessageSignature {
        label: LABEL.to_owned(),
        key_id: key_id.to_owned(),
        components: components.iter().map(|c| (*c).to_owned()).collect(),
        created: Some(created),
        expires: None,
        signature: Vec::new(),
        items,
        params,
    };
    // Every component is one perch knows and every header is present, so the base is built.
    let text = sig.signature_base(request, base).unwrap_or_default();
    let input = format!(
        "{LABEL}={}",
        sfv::serialize_inner_list(&sig.items, &sig.params)
    );
    (input, text)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn request(pq: &str, headers: &[(&str, &str)]) -> IncomingRequest {
        IncomingRequest {
            method: "POST".into(),
            path_and_query: pq.into(),
            headers: headers
                .iter()
                .map(|(n, v)| ((*n).to_owned(), (*v).to_owned()))
                .collect(),
        }
    }

    #[test]
    fn the_signature_base_follows_the_rfc() {
        let sig = MessageSignature::parse(
            r#"sig1=("@method" "@target-uri" "@authority" "@path" "@query" "content-digest");created=1618884473;keyid="test-key-rsa""#,
            "sig1=:AAAA:",
        )
        .expect("parses");
        let req = request(
            "/foo?param=Value&Pet=dog",
            &[("content-digest", " sha-256=:X48E9q==: ")],
        );
        let base = sig
            .signature_base(&req, "https://example.com")
            .expect("base");
        assert_eq!(
            base,
            "\"@method\": POST\n\
             \"@target-uri\": https://example.com/foo?param=Value&Pet=dog\n\
             \"@authority\": example.com\n\
             \"@path\": /foo\n\
             \"@query\": ?param=Value&Pet=dog\n\
             \"content-digest\": sha-256=:X48E9q==:\n\
             \"@signature-params\": (\"@method\" \"@target-uri\" \"@authority\" \"@path\" \"@query\" \"content-digest\");created=1618884473;keyid=\"test-key-rsa\""
        );
        sig.check_coverage("/foo?param=Value&Pet=dog", true)
            .expect("covers enough");
    }

    #[test]
    fn too_little_coverage_is_refused() {
        let cover = |list: &str, pq: &str, body: bool| {
            let sig =
                MessageSignature::parse(&format!(r#"s=({list});created=1;keyid="k""#), "s=:AAAA:")
                    .expect("parses");
            sig.check_coverage(pq, body).map_err(|e| e.to_string())
        };
        assert!(cover(r#""@method" "@target-uri""#, "/x", false).is_ok());
        assert!(cover(r#""@method" "@authority" "@path""#, "/x", false).is_ok());
        assert!(cover(r#""@method" "host" "@request-target""#, "/x?a", false).is_ok());
        let err = cover(r#""@target-uri" "content-digest""#, "/x", true).expect_err("refused");
        assert!(err.contains("@method"), "{err}");
        let err = cover(r#""@method" "@path""#, "/x", false).expect_err("refused");
        assert!(err.contains("@target-uri"), "{err}");
        let err =
            cover(r#""@method" "@authority" "@path""#, "/x?page=2", false).expect_err("refused");
        assert!(err.contains("@path"), "{err}");
        let err = cover(r#""@method" "@target-uri""#, "/inbox", true).expect_err("refused");
        assert!(err.contains("content-digest"), "{err}");
    }

    /// Thousands of mangled copies of real headers: each is read or refused, none panics.
    #[test]
    fn mangled_headers_never_panic() {
        let input = r#"sig1=("@method" "@target-uri" "content-digest");created=1618884473;keyid="https://a.example/u#k";alg="rsa-v1_5-sha256""#;
        let signature = "sig1=:dGVzdCBzaWduYXR1cmU=:, sig2=:AQI=:";
        let req = request("/inbox?x=1", &[("content-digest", "sha-256=:AAAA:")]);
        let mut seed: u64 = 0x9e37_79b9_7f4a_7c15;
        let mut next = move || {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            seed
        };
        let pieces: &[&str] = &[
            "\"", "(", ")", ";", "=", ",", ":", " ", "\\", "?", "é", "-1", "@", "*",
        ];
        for _ in 0..20_000 {
            let mut text: Vec<char> = if next() % 2 == 0 { input } else { signature }
                .chars()
                .collect();
            for _ in 0..(next() % 4 + 1) {
                let at = (next() as usize) % (text.len() + 1);
                match next() % 3 {
                    0 if at < text.len() => {
                        text.remove(at);
                    }
                    1 => text.truncate(at),
                    _ => {
                        let piece = pieces[(next() as usize) % pieces.len()];
                        for (k, c) in piece.chars().enumerate() {
                            text.insert((at + k).min(text.len()), c);
                        }
                    }
                }
            }
            let text: String = text.into_iter().collect();
            for (i, s) in [(text.as_str(), signature), (input, text.as_str())] {
                if let Ok(sig) = MessageSignature::parse(i, s) {
                    let _ = sig.check_coverage(&req.path_and_query, true);
                    let _ = sig.signature_base(&req, "https://b.example");
                }
            }
        }
    }

    #[test]
    fn malformed_inputs_are_refused() {
        for (input, sig) in [
            (r#"sig1=("@method");created=1"#, "sig1=:AAAA:"),
            (r#"sig1=("@method");keyid="k""#, "sig2=:AAAA:"),
            (r#"sig1=("@method");keyid=1"#, "sig1=:AAAA:"),
            (r#"sig1=("@method");keyid="k";created="now""#, "sig1=:AAAA:"),
            (r#"sig1=("@method" "@method");keyid="k""#, "sig1=:AAAA:"),
            (r#"sig1=("Host");keyid="k""#, "sig1=:AAAA:"),
            (r#"sig1=("content-digest";sf);keyid="k""#, "sig1=:AAAA:"),
            (r#"sig1=(@method);keyid="k""#, "sig1=:AAAA:"),
            (r#"sig1="@method";keyid="k""#, "sig1=:AAAA:"),
            (r#"sig1=("@method");keyid="k""#, "sig1=\"AAAA\""),
        ] {
            assert!(
                MessageSignature::parse(input, sig).is_err(),
                "{input} / {sig}"
            );
        }
        let err =
            MessageSignature::parse(r#"s=("@method");keyid="k";alg="hmac-sha256""#, "s=:AA==:")
                .expect_err("refused");
        assert_eq!(err, SignatureError::Algorithm("hmac-sha256".into()));
    }
}
