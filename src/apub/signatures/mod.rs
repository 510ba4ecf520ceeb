//! HTTP signatures: signing perch's outgoing requests and verifying incoming ones, in both
//! formats the fediverse uses — draft-cavage (`cavage`, what most servers send) and RFC 9421
//! HTTP Message Signatures (`rfc9421`, Mastodon 4.5 and later) — with the `Digest` and
//! `Content-Digest` (RFC 9530) headers over the body.
//!
//! Signing and verification use `rsa` 0.10 (see FEDERATION.md for why not the 0.9 that
//! activitypub_federation carries). Nothing here does I/O: callers fetch keys and bodies.

pub mod cavage;
mod digest;
pub mod rfc9421;
mod sfv;
mod signer;

pub use cavage::{signing_string, verify, SignatureHeader, REQUIRED_FOR_GET, REQUIRED_FOR_POST};
pub use digest::{content_digest_header, digest_header, verify_content_digest, verify_digest};
pub use rfc9421::MessageSignature;
pub(crate) use signer::path_and_query;
pub use signer::{off_thread, RequestSigner, SignedHeaders};

use base64::{engine::general_purpose::STANDARD as B64, Engine};
use chrono::{DateTime, Duration, Utc};
use rsa::{
    pkcs1::DecodeRsaPublicKey,
    pkcs1v15,
    pkcs8::{DecodePrivateKey, DecodePublicKey},
    sha2::Sha256,
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

#[cfg(test)]
mod tests;
