//! HTTP signatures: signing perch's outgoing requests and verifying incoming ones, in both
//! formats the fediverse uses — draft-cavage (`cavage`, what most servers send) and RFC 9421
//! HTTP Message Signatures (`rfc9421`, Mastodon 4.5 and later) — with the `Digest` and
//! `Content-Digest` (RFC 9530) headers over the body.
//!
//! Signing and verification use `rsa` 0.10 (see FEDERATION.md for why not the 0.9 that
//! activitypub_federation carries). Nothing here does I/O: callers fetch keys and bodies.

pub mod cavage;
pub mod rfc9421;
mod sfv;

pub use cavage::{signing_string, verify, SignatureHeader, REQUIRED_FOR_GET, REQUIRED_FOR_POST};
pub use rfc9421::MessageSignature;

use base64::{engine::general_purpose::STANDARD as B64, Engine};
use chrono::{DateTime, Duration, Utc};
use rsa::{
    pkcs1::DecodeRsaPublicKey,
    pkcs1v15,
    pkcs8::{DecodePrivateKey, DecodePublicKey},
    sha2::{Digest, Sha256, Sha512},
    signature::{SignatureEncoding, Signer, Verifier},
};

/// Mastodon accepts signatures made up to 12 hours ago…
pub const MAX_AGE: Duration = Duration::hours(12);
/// …and up to an hour in the future (clock skew).
pub const MAX_SKEW_AHEAD: Duration = Duration::hours(1);

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
    #[error("the signature has no `created` time")]
    NoCreated,
    #[error("the signature's date is more than 12 hours old")]
    Expired,
    #[error("the signature's date is more than an hour in the future")]
    FromTheFuture,
    #[error("the signature's `expires` time has passed")]
    PastExpiry,
    #[error("the actor's public key is unreadable")]
    BadKey,
    #[error("the signature does not verify with the actor's key")]
    Invalid,
}

/// What verification needs of an HTTP request.
#[derive(Debug, Clone)]
pub struct IncomingRequest {
    pub method: String,
    pub path_and_query: String,
    /// Header names in lower case; repeated headers appear once per value.
    pub headers: Vec<(String, String)>,
}

impl IncomingRequest {
    /// The header's values, joined by `, ` when it was sent more than once.
    pub fn header(&self, name: &str) -> Option<String> {
        let values: Vec<&str> = self
            .headers
            .iter()
            .filter(|(n, _)| n == name)
            .map(|(_, v)| v.trim())
            .collect();
        (!values.is_empty()).then(|| values.join(", "))
    }
}

/// A request's signature in either format, read and checked as far as that can be done
/// without the key.
#[derive(Debug, Clone)]
pub enum IncomingSignature {
    Cavage(SignatureHeader),
    Rfc9421(MessageSignature),
}

impl IncomingSignature {
    /// Reads the signature (RFC 9421 when the request has `Signature-Input` and
    /// `accept_rfc9421` is on, draft-cavage otherwise) and checks that it covers the method,
    /// the target and the host, that it is recent, and — when `body` is given — that it
    /// covers a digest which matches the body.
    pub fn read(
        request: &IncomingRequest,
        body: Option<&[u8]>,
        accept_rfc9421: bool,
        now: DateTime<Utc>,
    ) -> Result<IncomingSignature, SignatureError> {
        let signature = request.header("signature").ok_or(SignatureError::Missing)?;
        let input = request.header("signature-input").filter(|_| accept_rfc9421);
        if let Some(input) = input {
            let sig = MessageSignature::parse(&input, &signature)?;
            sig.check_coverage(&request.path_and_query, body.is_some())?;
            let created = sig.created.ok_or(SignatureError::NoCreated)?;
            let created = DateTime::from_timestamp(created, 0).ok_or(SignatureError::NoCreated)?;
            check_time(created, now)?;
            if let Some(expires) = sig.expires {
                if expires < now.timestamp() {
                    return Err(SignatureError::PastExpiry);
                }
            }
            if sig.covers("date") {
                verify_date(request.header("date").as_deref(), now)?;
            }
            if let Some(body) = body {
                if sig.covers("content-digest") {
                    verify_content_digest(request.header("content-digest").as_deref(), body)?;
                } else {
                    verify_digest(request.header("digest").as_deref(), body)?;
                }
            }
            return Ok(IncomingSignature::Rfc9421(sig));
        }
        let sig = SignatureHeader::parse(&signature)?;
        sig.check_coverage(match body {
            Some(_) => &REQUIRED_FOR_POST,
            None => &REQUIRED_FOR_GET,
        })?;
        verify_date(request.header("date").as_deref(), now)?;
        if let Some(body) = body {
            verify_digest(request.header("digest").as_deref(), body)?;
        }
        Ok(IncomingSignature::Cavage(sig))
    }

    /// The id of the key the request says it was signed with.
    pub fn key_id(&self) -> &str {
        match self {
            IncomingSignature::Cavage(s) => &s.key_id,
            IncomingSignature::Rfc9421(s) => &s.key_id,
        }
    }

    /// Verifies the signature with `public_key_pem`; `base` is our own `scheme://host[:port]`,
    /// which the request was addressed to.
    pub fn verify(
        &self,
        request: &IncomingRequest,
        base: &str,
        public_key_pem: &str,
    ) -> Result<(), SignatureError> {
        match self {
            IncomingSignature::Cavage(sig) => {
                let text = signing_string(
                    &sig.headers,
                    &request.method,
                    &request.path_and_query,
                    |name| request.header(name),
                )?;
                verify_with_key(text.as_bytes(), &sig.signature, public_key_pem)
            }
            IncomingSignature::Rfc9421(sig) => {
                let text = sig.signature_base(request, base)?;
                verify_with_key(text.as_bytes(), &sig.signature, public_key_pem)
            }
        }
    }
}

/// `SHA-256=<base64>` of the body.
pub fn digest_header(body: &[u8]) -> String {
    format!("SHA-256={}", B64.encode(Sha256::digest(body)))
}

/// `sha-256=:<base64>:` of the body (RFC 9530).
pub fn content_digest_header(body: &[u8]) -> String {
    format!("sha-256=:{}:", B64.encode(Sha256::digest(body)))
}

fn digest_of(algorithm: &str, body: &[u8]) -> Option<Vec<u8>> {
    match algorithm.to_ascii_lowercase().as_str() {
        "sha-256" => Some(Sha256::digest(body).to_vec()),
        "sha-512" => Some(Sha512::digest(body).to_vec()),
        _ => None,
    }
}

/// Checks a `Digest` header (it may list several algorithms; SHA-256 and SHA-512 are
/// understood, and each one given must match) against the body.
pub fn verify_digest(header: Option<&str>, body: &[u8]) -> Result<(), SignatureError> {
    let header = header.ok_or(SignatureError::MissingDigest)?;
    let mut matched = false;
    for part in header.split(',') {
        let Some((alg, value)) = part.trim().split_once('=') else {
            continue;
        };
        if let Some(expected) = digest_of(alg, body) {
            if value.trim() != B64.encode(expected) {
                return Err(SignatureError::DigestMismatch);
            }
            matched = true;
        }
    }
    matched.then_some(()).ok_or(SignatureError::MissingDigest)
}

/// Checks a `Content-Digest` header (RFC 9530: `sha-256=:…:`, `sha-512=:…:`) against the body.
pub fn verify_content_digest(header: Option<&str>, body: &[u8]) -> Result<(), SignatureError> {
    let header = header.ok_or(SignatureError::MissingDigest)?;
    let dict = sfv::parse_dictionary(header)
        .map_err(|e| SignatureError::Malformed(format!("Content-Digest: {e}")))?;
    let mut matched = false;
    for (alg, member) in &dict {
        let Some(expected) = digest_of(alg, body) else {
            continue;
        };
        match member {
            sfv::Member::Item(sfv::Item {
                bare: sfv::BareItem::Bytes(given),
                ..
            }) if *given == expected => matched = true,
            _ => return Err(SignatureError::DigestMismatch),
        }
    }
    matched.then_some(()).ok_or(SignatureError::MissingDigest)
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
    check_time(date, now)
}

/// At most 12 hours old, at most an hour ahead.
fn check_time(at: DateTime<Utc>, now: DateTime<Utc>) -> Result<(), SignatureError> {
    if at < now - MAX_AGE {
        return Err(SignatureError::Expired);
    }
    if at > now + MAX_SKEW_AHEAD {
        return Err(SignatureError::FromTheFuture);
    }
    Ok(())
}

/// Verifies an RSASSA-PKCS1-v1_5 SHA-256 signature of `text` with a PEM public key (SPKI or
/// PKCS#1).
fn verify_with_key(text: &[u8], signature: &[u8], pem: &str) -> Result<(), SignatureError> {
    let key = parse_public_key(pem)?;
    let signature =
        pkcs1v15::Signature::try_from(signature).map_err(|_| SignatureError::Invalid)?;
    pkcs1v15::VerifyingKey::<Sha256>::new(key)
        .verify(text, &signature)
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

    /// Headers for a POST of `body` to `url` signed the RFC 9421 way, covering `@method`,
    /// `@target-uri` and `content-digest` with a `created` time, as Mastodon does.
    pub fn sign_post_rfc9421(
        &self,
        url: &url::Url,
        body: &[u8],
        content_type: &str,
        now: DateTime<Utc>,
    ) -> SignedHeaders {
        let headers = vec![
            ("date", http_date(now)),
            ("content-digest", content_digest_header(body)),
            ("content-type", content_type.to_owned()),
        ];
        let components = ["@method", "@target-uri", "content-digest"];
        self.sign_rfc9421("POST", url, &components, headers, now)
    }

    /// Headers for a GET of `url` signed the RFC 9421 way (`@method`, `@target-uri`).
    pub fn sign_get_rfc9421(&self, url: &url::Url, now: DateTime<Utc>) -> SignedHeaders {
        let headers = vec![("date", http_date(now))];
        self.sign_rfc9421("GET", url, &["@method", "@target-uri"], headers, now)
    }

    /// `headers` with an RFC 9421 signature of `components` created at `created` added
    /// (`Signature-Input` and `Signature`). Each covered header must be among `headers`.
    pub fn sign_rfc9421(
        &self,
        method: &str,
        url: &url::Url,
        components: &[&str],
        mut headers: SignedHeaders,
        created: DateTime<Utc>,
    ) -> SignedHeaders {
        let request = IncomingRequest {
            method: method.to_owned(),
            path_and_query: path_and_query(url),
            headers: headers
                .iter()
                .map(|(n, v)| ((*n).to_owned(), v.clone()))
                .collect(),
        };
        let base = format!("{}://{}", url.scheme(), host_of(url));
        let (input, text) = rfc9421::input_for(
            components,
            &self.key_id,
            created.timestamp(),
            &request,
            &base,
        );
        let signature = B64.encode(self.sign(text.as_bytes()));
        headers.push(("signature-input", input));
        headers.push(("signature", format!("{}=:{signature}:", rfc9421::LABEL)));
        headers
    }

    fn signature_for(&self, method: &str, url: &url::Url, headers: &SignedHeaders) -> String {
        cavage::signature_header(&self.key_id, |t| self.sign(t), method, url, headers)
    }

    fn sign(&self, text: &[u8]) -> Vec<u8> {
        self.key.sign(text).to_vec()
    }
}

/// Runs `sign` on a blocking thread: an RSA signature takes a millisecond or two, too long
/// for the async threads. (Should that thread fail, it signs here instead.)
pub async fn off_thread<T: Send + 'static>(sign: impl FnOnce() -> T + Clone + Send + 'static) -> T {
    match tokio::task::spawn_blocking(sign.clone()).await {
        Ok(signed) => signed,
        Err(_) => sign(),
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

pub(crate) fn path_and_query(url: &url::Url) -> String {
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

    fn incoming(method: &str, pq: &str, headers: &SignedHeaders, host: &str) -> IncomingRequest {
        let mut all: Vec<(String, String)> = headers
            .iter()
            .map(|(n, v)| ((*n).to_owned(), v.clone()))
            .collect();
        all.push(("host".into(), host.into()));
        IncomingRequest {
            method: method.into(),
            path_and_query: pq.into(),
            headers: all,
        }
    }

    #[test]
    fn an_rfc9421_post_verifies_and_a_changed_one_does_not() {
        let (private, public) = keypair();
        let signer = RequestSigner::from_pem("https://a.example/users/me#main-key", &private)
            .expect("signer");
        let url = url::Url::parse("https://b.example/inbox").expect("url");
        let now = Utc::now();
        let headers = signer.sign_post_rfc9421(&url, b"{}", "application/activity+json", now);
        let req = incoming("POST", "/inbox", &headers, "b.example");
        let sig = IncomingSignature::read(&req, Some(b"{}"), true, now).expect("reads");
        assert_eq!(sig.key_id(), "https://a.example/users/me#main-key");
        sig.verify(&req, "https://b.example", &public)
            .expect("verifies");
        // Sent to another server, or as another method: the base differs.
        assert_eq!(
            sig.verify(&req, "https://c.example", &public),
            Err(SignatureError::Invalid)
        );
        let mut get = req.clone();
        get.method = "GET".into();
        assert_eq!(
            sig.verify(&get, "https://b.example", &public),
            Err(SignatureError::Invalid)
        );
        let (_, other_public) = keypair();
        assert_eq!(
            sig.verify(&req, "https://b.example", &other_public),
            Err(SignatureError::Invalid)
        );
        assert_eq!(
            IncomingSignature::read(&req, Some(b"{ }"), true, now).expect_err("refused"),
            SignatureError::DigestMismatch
        );
        // Too old, from the future, and a server that does not take RFC 9421 at all.
        let err = IncomingSignature::read(&req, Some(b"{}"), true, now + Duration::hours(13));
        assert_eq!(err.expect_err("refused"), SignatureError::Expired);
        let err = IncomingSignature::read(&req, Some(b"{}"), true, now - Duration::hours(2));
        assert_eq!(err.expect_err("refused"), SignatureError::FromTheFuture);
        assert!(matches!(
            IncomingSignature::read(&req, Some(b"{}"), false, now),
            Err(SignatureError::Malformed(_))
        ));
        // A signed GET covers no digest and needs none.
        let headers = signer.sign_get_rfc9421(&url, now);
        let req = incoming("GET", "/inbox", &headers, "b.example");
        let sig = IncomingSignature::read(&req, None, true, now).expect("reads");
        sig.verify(&req, "https://b.example", &public)
            .expect("verifies");
    }

    #[test]
    fn content_digests_follow_rfc_9530() {
        let body = b"hello";
        let sha256 = B64.encode(Sha256::digest(body));
        let sha512 = B64.encode(Sha512::digest(body));
        verify_content_digest(Some(&content_digest_header(body)), body).expect("own");
        verify_content_digest(Some(&format!("sha-512=:{sha512}:")), body).expect("512");
        verify_content_digest(Some(&format!("md5=:AAAA:, sha-256=:{sha256}:")), body)
            .expect("an unknown one beside");
        assert_eq!(
            verify_content_digest(
                Some(&format!("sha-256=:{sha256}:, sha-512=:{sha256}:")),
                body
            ),
            Err(SignatureError::DigestMismatch)
        );
        assert_eq!(
            verify_content_digest(Some("md5=:AAAA:"), body),
            Err(SignatureError::MissingDigest)
        );
        assert!(verify_content_digest(Some("sha-256=abc"), body).is_err());
        verify_digest(Some(&format!("SHA-512={sha512}")), body).expect("Digest with SHA-512");
    }
}
