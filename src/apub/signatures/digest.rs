//! The body's digest, in both headers: `Digest` (draft-cavage: `SHA-256=<base64>`) and
//! `Content-Digest` (RFC 9530: `sha-256=:<base64>:`), made for what we send and checked on
//! what we receive.

use super::{sfv, SignatureError};
use base64::{engine::general_purpose::STANDARD as B64, Engine};
use rsa::sha2::{Digest, Sha256, Sha512};

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
