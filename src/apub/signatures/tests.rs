use super::*;
use rsa::sha2::{Digest, Sha512};

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
    let signer =
        RequestSigner::from_pem("https://a.example/users/me#main-key", &private).expect("signer");
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
    let signer =
        RequestSigner::from_pem("https://a.example/users/me#main-key", &private).expect("signer");
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
