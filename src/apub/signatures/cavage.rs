//! draft-cavage-http-signatures-12, as Mastodon, GoToSocial and Pleroma use it: the
//! `Signature` header with `keyId`, `algorithm`, `headers` and `signature`.

use super::{path_and_query, verify_with_key, SignatureError, SignedHeaders};
use base64::{engine::general_purpose::STANDARD as B64, Engine};

/// What an inbox POST's signature must cover.
pub const REQUIRED_FOR_POST: [&str; 4] = ["(request-target)", "host", "date", "digest"];
/// What a signed GET (authorized fetch) must cover.
pub const REQUIRED_FOR_GET: [&str; 3] = ["(request-target)", "host", "date"];

/// A parsed `Signature` header.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SignatureHeader {
    pub key_id: String,
    pub algorithm: Option<String>,
    pub headers: Vec<String>,
    pub signature: Vec<u8>,
}

impl SignatureHeader {
    /// Parses `keyId="…",algorithm="…",headers="…",signature="…"`. Never panics.
    pub fn parse(value: &str) -> Result<SignatureHeader, SignatureError> {
        let bad = |m: &str| SignatureError::Malformed(m.to_owned());
        let mut key_id = None;
        let mut algorithm = None;
        let mut headers = None;
        let mut signature = None;
        let mut rest = value.trim();
        while !rest.is_empty() {
            let (name, after) = rest
                .split_once('=')
                .ok_or_else(|| bad("expected name=value"))?;
            let name = name.trim().to_ascii_lowercase();
            let after = after.trim_start();
            let (val, after) = if let Some(quoted) = after.strip_prefix('"') {
                let end = quoted.find('"').ok_or_else(|| bad("unterminated quote"))?;
                (&quoted[..end], &quoted[end + 1..])
            } else {
                let end = after.find(',').unwrap_or(after.len());
                (after[..end].trim(), &after[end..])
            };
            match name.as_str() {
                "keyid" => key_id = Some(val.to_owned()),
                "algorithm" => algorithm = Some(val.to_ascii_lowercase()),
                "headers" => {
                    headers = Some(
                        val.split_ascii_whitespace()
                            .map(str::to_ascii_lowercase)
                            .collect::<Vec<_>>(),
                    )
                }
                "signature" => {
                    signature = Some(
                        B64.decode(val)
                            .map_err(|_| bad("signature is not base64"))?,
                    )
                }
                _ => {}
            }
            rest = after.trim_start();
            if let Some(r) = rest.strip_prefix(',') {
                rest = r.trim_start();
            } else if !rest.is_empty() {
                return Err(bad("expected a comma between parameters"));
            }
        }
        Ok(SignatureHeader {
            key_id: key_id.ok_or_else(|| bad("no keyId"))?,
            algorithm,
            // The draft's default when `headers` is absent.
            headers: headers.unwrap_or_else(|| vec!["date".to_owned()]),
            signature: signature.ok_or_else(|| bad("no signature"))?,
        })
    }

    /// Checks the algorithm and that every `required` header is covered.
    pub fn check_coverage(&self, required: &[&str]) -> Result<(), SignatureError> {
        if let Some(alg) = &self.algorithm {
            if !matches!(alg.as_str(), "rsa-sha256" | "hs2019") {
                return Err(SignatureError::Algorithm(alg.clone()));
            }
        }
        for name in required {
            if !self.headers.iter().any(|h| h == name) {
                return Err(SignatureError::NotCovered((*name).to_owned()));
            }
        }
        Ok(())
    }
}

/// The string that is signed: one `name: value` line per covered header.
pub fn signing_string(
    headers: &[String],
    method: &str,
    path_and_query: &str,
    lookup: impl Fn(&str) -> Option<String>,
) -> Result<String, SignatureError> {
    let mut lines = Vec::with_capacity(headers.len());
    for name in headers {
        let value = if name == "(request-target)" {
            format!("{} {path_and_query}", method.to_ascii_lowercase())
        } else {
            lookup(name).ok_or_else(|| SignatureError::AbsentHeader(name.clone()))?
        };
        lines.push(format!("{name}: {value}"));
    }
    Ok(lines.join("\n"))
}

/// Verifies `sig` over the request with the actor's public key (SPKI or PKCS#1 PEM).
pub fn verify(
    sig: &SignatureHeader,
    required: &[&str],
    method: &str,
    path_and_query: &str,
    lookup: impl Fn(&str) -> Option<String>,
    public_key_pem: &str,
) -> Result<(), SignatureError> {
    sig.check_coverage(required)?;
    let text = signing_string(&sig.headers, method, path_and_query, lookup)?;
    verify_with_key(text.as_bytes(), &sig.signature, public_key_pem)
}

/// The `Signature` header for `headers` (all of them covered, after `(request-target)`).
pub(super) fn signature_header(
    key_id: &str,
    sign: impl FnOnce(&[u8]) -> Vec<u8>,
    method: &str,
    url: &url::Url,
    headers: &SignedHeaders,
) -> String {
    let mut names = vec!["(request-target)".to_owned()];
    names.extend(headers.iter().map(|(n, _)| (*n).to_owned()));
    let lookup = |name: &str| {
        headers
            .iter()
            .find(|(n, _)| *n == name)
            .map(|(_, v)| v.clone())
    };
    // Every name comes from `headers` itself, so the lookup always finds it.
    let text = signing_string(&names, method, &path_and_query(url), lookup).unwrap_or_default();
    format!(
        r#"keyId="{key_id}",algorithm="rsa-sha256",headers="{}",signature="{}""#,
        names.join(" "),
        B64.encode(sign(text.as_bytes()))
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn header_parsing_survives_garbage() {
        for bad in [
            "",
            "keyId",
            "keyId=\"x",
            "signature=\"%%%\"",
            "keyId=\"a\" x=1",
            "=,=,=",
            "sig1=:AAAA:",
        ] {
            assert!(SignatureHeader::parse(bad).is_err(), "{bad}");
        }
        let ok = SignatureHeader::parse(
            r#"keyId="https://x/y#k", algorithm="hs2019", headers="(request-target) Host date", signature="AAAA""#,
        )
        .expect("parses");
        assert_eq!(ok.headers, ["(request-target)", "host", "date"]);
    }
}
