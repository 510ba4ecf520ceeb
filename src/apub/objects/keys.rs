//! The keys a remote actor publishes: `publicKey` (one or several) and FEP-521a
//! `assertionMethod` `Multikey`s. perch verifies RSA only, so an Ed25519 multikey is skipped.
//! Each key must be the actor's own: owned by (or controlled by) the actor, with an id on
//! the actor's server.

use crate::{
    apub::protocol::Person,
    db::models::ActorKey,
    error::{Error, Result},
};
use base64::Engine;
use serde_json::Value;

/// The actor's usable keys, in the order it lists them (`publicKey` first), without repeats.
pub fn of(json: &Person) -> Result<Vec<ActorKey>> {
    let mut keys: Vec<ActorKey> = Vec::new();
    let mut foreign = false;
    let own_id =
        |id: &str| url::Url::parse(id).is_ok_and(|k| crate::domain::Host::same(&k, &json.id));
    // A real actor has one key, or a few while it rotates them.
    for k in json.public_key.iter().take(MAX_KEYS) {
        if k.owner != json.id || !own_id(&k.id) {
            foreign = true;
            continue;
        }
        keys.push(ActorKey {
            id: k.id.clone(),
            pem: k.public_key_pem.clone(),
        });
    }
    for m in json.assertion_method.iter().take(MAX_KEYS) {
        let controller = m.get("controller").and_then(crate::apub::protocol::id_of);
        let (Some(id), Some(multibase)) = (
            m.get("id").and_then(Value::as_str),
            m.get("publicKeyMultibase").and_then(Value::as_str),
        ) else {
            continue;
        };
        if controller.as_ref() != Some(&json.id) || !own_id(id) {
            foreign = true;
            continue;
        }
        if let Some(pem) = rsa_multikey_pem(multibase) {
            keys.push(ActorKey {
                id: id.to_owned(),
                pem,
            });
        }
    }
    let mut seen = std::collections::HashSet::new();
    keys.retain(|k| seen.insert(k.id.clone()));
    if keys.is_empty() {
        return Err(Error::BadRequest(if foreign {
            "the actor's key belongs to another actor".into()
        } else {
            "the actor has no RSA key in publicKey or assertionMethod".into()
        }));
    }
    Ok(keys)
}

/// At most this many entries of `publicKey`, and as many of `assertionMethod`, are read.
const MAX_KEYS: usize = 8;

/// The multicodec prefix of an RSA public key (`rsa-pub`, 0x1205, as a varint).
const RSA_PUB: [u8; 2] = [0x85, 0x24];

/// A `publicKeyMultibase` (base58btc, `z…`) holding an RSA key, as PKCS#1 PEM.
pub fn rsa_multikey_pem(multibase: &str) -> Option<String> {
    use rsa::pkcs1::DecodeRsaPublicKey;
    let bytes = base58_decode(multibase.strip_prefix('z')?)?;
    let der = bytes.strip_prefix(&RSA_PUB[..])?;
    rsa::PublicKey::from_pkcs1_der(der).ok()?;
    let b64 = base64::engine::general_purpose::STANDARD.encode(der);
    let mut pem = String::from("-----BEGIN RSA PUBLIC KEY-----\n");
    for line in b64.as_bytes().chunks(64) {
        pem.push_str(std::str::from_utf8(line).ok()?);
        pem.push('\n');
    }
    pem.push_str("-----END RSA PUBLIC KEY-----\n");
    Some(pem)
}

const ALPHABET: &[u8; 58] = b"123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz";

/// Bitcoin's base58, as multibase `z` uses it; `None` on a character outside the alphabet.
/// Bounded (the work grows with the square of the length): an RSA-4096 multikey is about
/// 750 characters, and more than 1 KiB is refused.
fn base58_decode(text: &str) -> Option<Vec<u8>> {
    if text.len() > 1024 {
        return None;
    }
    let mut out: Vec<u8> = Vec::new(); // little-endian
    for c in text.bytes() {
        let mut carry = ALPHABET.iter().position(|a| *a == c)? as u32;
        for b in out.iter_mut() {
            carry += u32::from(*b) * 58;
            *b = (carry & 0xff) as u8;
            carry >>= 8;
        }
        while carry > 0 {
            out.push((carry & 0xff) as u8);
            carry >>= 8;
        }
    }
    let zeros = text.bytes().take_while(|c| *c == b'1').count();
    out.extend(std::iter::repeat_n(0, zeros));
    out.reverse();
    Some(out)
}

/// Base58 the other way, for tests that publish a multikey.
pub fn base58_encode(bytes: &[u8]) -> String {
    let mut digits: Vec<u8> = Vec::new(); // little-endian, base 58
    for b in bytes {
        let mut carry = u32::from(*b);
        for d in digits.iter_mut() {
            carry += u32::from(*d) << 8;
            *d = (carry % 58) as u8;
            carry /= 58;
        }
        while carry > 0 {
            digits.push((carry % 58) as u8);
            carry /= 58;
        }
    }
    let zeros = bytes.iter().take_while(|b| **b == 0).count();
    let mut out: String = std::iter::repeat_n('1', zeros).collect();
    out.extend(digits.iter().rev().map(|d| ALPHABET[*d as usize] as char));
    out
}

/// An RSA public key (SPKI or PKCS#1 PEM) as a FEP-521a `publicKeyMultibase`.
pub fn rsa_multikey(pem: &str) -> Option<String> {
    use rsa::pkcs1::{DecodeRsaPublicKey, EncodeRsaPublicKey};
    use rsa::pkcs8::DecodePublicKey;
    let key = rsa::PublicKey::from_public_key_pem(pem.trim())
        .or_else(|_| rsa::PublicKey::from_pkcs1_pem(pem.trim()))
        .ok()?;
    let der = key.to_pkcs1_der().ok()?;
    let mut bytes = RSA_PUB.to_vec();
    bytes.extend_from_slice(der.as_bytes());
    Some(format!("z{}", base58_encode(&bytes)))
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::{base58_decode, base58_encode};

    #[test]
    fn base58_round_trips_and_knows_the_bitcoin_vectors() {
        assert_eq!(base58_encode(b"hello world"), "StV1DL6CwTryKyV");
        assert_eq!(base58_decode("StV1DL6CwTryKyV").unwrap(), b"hello world");
        assert_eq!(base58_encode(&[0, 0, 1]), "112");
        assert_eq!(base58_decode("112").unwrap(), vec![0, 0, 1]);
        assert_eq!(base58_decode("0OIl"), None);
    }

    #[test]
    fn an_ed25519_multikey_is_not_an_rsa_key() {
        // FEP-521a's own example.
        assert_eq!(
            super::rsa_multikey_pem("z6MkrJVnaZkeFzdQyMZu1cgjg7k1pZZ6pvBQ7XJPt4swbTQ2"),
            None
        );
    }
}
