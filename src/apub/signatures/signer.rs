//! Signing perch's own requests: the author's key, the headers a signed GET or POST carries in
//! either format, and signing off the async threads.

use super::*;

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
            ("host", host_header(url)),
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
        let mut headers = vec![("host", host_header(url)), ("date", http_date(now))];
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
        let base = format!("{}://{}", url.scheme(), host_header(url));
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

/// The `Host` header as the HTTP client sends it for `url`: its host as written and its
/// explicit port. (Which server that is, is [`Host`](crate::domain::Host)'s question.)
fn host_header(url: &url::Url) -> String {
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
