//! HTTP signatures (draft-cavage-http-signatures-12, as Mastodon, GoToSocial and Pleroma use
//! them) and the `Digest` header: signing our outgoing requests, verifying incoming ones.
//!
//! Signing and verification use `rsa` 0.10 (see FEDERATION.md for why not the 0.9 that
//! activitypub_federation carries). Nothing here does I/O: callers fetch keys and bodies.

use base64::{engine::general_purpose::STANDARD as B64, Engine};
use chrono::{DateTime, Duration, Utc};
use rsa::{
    pkcs1::DecodeRsaPublicKey,
    pkcs1v15,
    pkcs8::{DecodePrivateKey, DecodePublicKey},
    sha2::{Digest, Sha256},
    signature::{SignatureEncoding, Signer, Verifier},
};

/// Mastodon accepts signatures made up to 12 hours ago…
pub const MAX_AGE: Duration = Duration::hours(12);
/// …and up to an hour in the future (clock skew).
pub const MAX_SKEW_AHEAD: Duration = Duration::hours(1);
/// What an inbox POST's signature must cover.
pub const REQUIRED_FOR_POST: [&str; 4] = ["(request-target)", "host", "date", "digest"];

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SignatureError {
    #[error("no Signature header")]
    Missing,
    #[error("malformed Signature header: {0}")]
    Malformed(String),
    #[error("unsupported signature algorithm {0}")]
    Algorithm(String),
    #[error("the signature does not cover `{0}`")]
    NotCovered(String),
    #[error("signed header `{0}` is absent from the request")]
    AbsentHeader(String),
    #[error("no Digest header")]
    MissingDigest,
    #[error("the Digest does not match the body")]
    DigestMismatch,
    #[error("Date header missing or unreadable")]
    BadDate,
    #[error("the Date is more than 12 hours old")]
    Expired,
    #[error("the Date is more than an hour in the future")]
    FromTheFuture,
    #[error("the actor's public key is unreadable")]
    BadKey,
    #[error("the signature does not verify with the actor's key")]
    Invalid,
}

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
}

/// `SHA-256=<base64>` of the body.
pub fn digest_header(body: &[u8]) -> String {
    format!("SHA-256={}", B64.encode(Sha256::digest(body)))
}

/// Checks a `Digest` header (it may list several algorithms) against the body.
pub fn verify_digest(header: Option<&str>, body: &[u8]) -> Result<(), SignatureError> {
    let header = header.ok_or(SignatureError::MissingDigest)?;
    let expected = B64.encode(Sha256::digest(body));
    let mut saw_sha256 = false;
    for part in header.split(',') {
        if let Some((alg, value)) = part.trim().split_once('=') {
            if alg.eq_ignore_ascii_case("sha-256") {
                saw_sha256 = true;
                if value.trim() == expected {
                    return Ok(());
                }
            }
        }
    }
    if saw_sha256 {
        Err(SignatureError::DigestMismatch)
    } else {
        Err(SignatureError::MissingDigest)
    }
}

/// An HTTP date, as the `Date` header carries it.
pub fn http_date(t: DateTime<Utc>) -> String {
    t.format("%a, %d %b %Y %H:%M:%S GMT").to_string()
}

/// Checks that the `Date` header is within Mastodon's bounds of `now`.
pub fn verify_date(header: Option<&str>, now: DateTime<Utc>) -> Result<(), SignatureError> {
    let raw = header.ok_or(SignatureError::BadDate)?;
    let date = DateTime::parse_from_rfc2822(raw.trim())
        .map_err(|_| SignatureError::BadDate)?
        .with_timezone(&Utc);
    if date < now - MAX_AGE {
        return Err(SignatureError::Expired);
    }
    if date > now + MAX_SKEW_AHEAD {
        return Err(SignatureError::FromTheFuture);
    }
    Ok(())
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
    if let Some(alg) = &sig.algorithm {
        if !matches!(alg.as_str(), "rsa-sha256" | "hs2019") {
            return Err(SignatureError::Algorithm(alg.clone()));
        }
    }
    for name in required {
        if !sig.headers.iter().any(|h| h == name) {
            return Err(SignatureError::NotCovered((*name).to_owned()));
        }
    }
    let text = signing_string(&sig.headers, method, path_and_query, lookup)?;
    let key = parse_public_key(public_key_pem)?;
    let signature = pkcs1v15::Signature::try_from(sig.signature.as_slice())
        .map_err(|_| SignatureError::Invalid)?;
    pkcs1v15::VerifyingKey::<Sha256>::new(key)
        .verify(text.as_bytes(), &signature)
        .map_err(|_| SignatureError::Invalid)
}

fn parse_public_key(pem: &str) -> Result<rsa::PublicKey, SignatureError> {
    rsa::PublicKey::from_public_key_pem(pem.trim())
        .or_else(|_| rsa::PublicKey::from_pkcs1_pem(pem.trim()))
        .map_err(|_| SignatureError::BadKey)
}

/// An actor's private key, ready to sign requests.
#[derive(Clone)]
pub struct RequestSigner {
    key_id: String,
    key: pkcs1v15::SigningKey<Sha256>,
}

impl std::fmt::Debug for RequestSigner {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("RequestSigner")
            .field("key_id", &self.key_id)
            .finish_non_exhaustive()
    }
}

/// The headers to send with a signed request (`Signature` last).
pub type SignedHeaders = Vec<(&'static str, String)>;

impl RequestSigner {
    /// From a PKCS#8 PEM private key (as `perch init` stores it).
    pub fn from_pem(key_id: &str, private_key_pem: &str) -> Result<RequestSigner, SignatureError> {
        let key = rsa::PrivateKey::from_pkcs8_pem(private_key_pem.trim())
            .map_err(|_| SignatureError::BadKey)?;
        Ok(RequestSigner {
            key_id: key_id.to_owned(),
            key: pkcs1v15::SigningKey::new(key),
        })
    }

    pub fn key_id(&self) -> &str {
        &self.key_id
    }

    /// Headers for a signed POST of `body` to `url`, covering
    /// `(request-target) host date digest content-type` as Mastodon does.
    pub fn sign_post(
        &self,
        url: &url::Url,
        body: &[u8],
        content_type: &str,
        now: DateTime<Utc>,
    ) -> SignedHeaders {
        let mut headers = vec![
            ("host", host_of(url)),
            ("date", http_date(now)),
            ("digest", digest_header(body)),
            ("content-type", content_type.to_owned()),
        ];
        let sig = self.signature_for("post", url, &headers);
        headers.push(("signature", sig));
        headers
    }

    /// Headers for a signed GET of `url` (authorized fetch).
    pub fn sign_get(&self, url: &url::Url, now: DateTime<Utc>) -> SignedHeaders {
        let mut headers = vec![("host", host_of(url)), ("date", http_date(now))];
        let sig = self.signature_for("get", url, &headers);
        headers.push(("signature", sig));
        headers
    }

    fn signature_for(&self, method: &str, url: &url::Url, headers: &SignedHeaders) -> String {
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
        let signature = self.key.sign(text.as_bytes());
        format!(
            r#"keyId="{}",algorithm="rsa-sha256",headers="{}",signature="{}""#,
            self.key_id,
            names.join(" "),
            B64.encode(signature.to_bytes())
        )
    }
}

/// `host[:port]` as the Host header carries it.
pub fn host_of(url: &url::Url) -> String {
    match (url.host_str(), url.port()) {
        (Some(h), Some(p)) => format!("{h}:{p}"),
        (Some(h), None) => h.to_owned(),
        _ => String::new(),
    }
}

fn path_and_query(url: &url::Url) -> String {
    match url.query() {
        Some(q) => format!("{}?{q}", url.path()),
        None => url.path().to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn keypair() -> (String, String) {
        let k = activitypub_federation::http_signatures::generate_actor_keypair().expect("keypair");
        (k.private_key, k.public_key)
    }

    fn lookup(headers: &SignedHeaders) -> impl Fn(&str) -> Option<String> + '_ {
        |name| {
            headers
                .iter()
                .find(|(n, _)| *n == name)
                .map(|(_, v)| v.clone())
        }
    }

    #[test]
    fn a_signed_post_verifies_and_a_changed_one_does_not() {
        let (private, public) = keypair();
        let signer = RequestSigner::from_pem("https://a.example/users/me#main-key", &private)
            .expect("signer");
        let url = url::Url::parse("https://b.example/inbox").expect("url");
        let now = Utc::now();
        let headers = signer.sign_post(&url, b"{}", "application/activity+json", now);
        let sig = SignatureHeader::parse(&headers[4].1).expect("parses");
        assert_eq!(sig.key_id, "https://a.example/users/me#main-key");
        verify(
            &sig,
            &REQUIRED_FOR_POST,
            "POST",
            "/inbox",
            lookup(&headers),
            &public,
        )
        .expect("verifies");
        verify_digest(Some(&headers[2].1), b"{}").expect("digest");
        assert_eq!(
            verify_digest(Some(&headers[2].1), b"{ }"),
            Err(SignatureError::DigestMismatch)
        );
        assert_eq!(
            verify(
                &sig,
                &REQUIRED_FOR_POST,
                "POST",
                "/other",
                lookup(&headers),
                &public
            ),
            Err(SignatureError::Invalid)
        );
        let (_, other_public) = keypair();
        assert_eq!(
            verify(
                &sig,
                &REQUIRED_FOR_POST,
                "POST",
                "/inbox",
                lookup(&headers),
                &other_public
            ),
            Err(SignatureError::Invalid)
        );
    }

    #[test]
    fn dates_follow_mastodons_bounds() {
        let now = Utc::now();
        let at = |d: Duration| http_date(now + d);
        verify_date(Some(&at(Duration::hours(-11))), now).expect("11 h old is fine");
        verify_date(Some(&at(Duration::minutes(50))), now).expect("50 min ahead is fine");
        assert_eq!(
            verify_date(Some(&at(Duration::hours(-13))), now),
            Err(SignatureError::Expired)
        );
        assert_eq!(
            verify_date(Some(&at(Duration::hours(2))), now),
            Err(SignatureError::FromTheFuture)
        );
        assert_eq!(
            verify_date(Some("yesterday"), now),
            Err(SignatureError::BadDate)
        );
    }

    #[test]
    fn header_parsing_survives_garbage() {
        for bad in [
            "",
            "keyId",
            "keyId=\"x",
            "signature=\"%%%\"",
            "keyId=\"a\" x=1",
            "=,=,=",
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
