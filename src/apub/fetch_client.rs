//! Out: every GET perch makes through activitypub_federation (objects, actors, WebFinger) is
//! signed with the local actor's key — draft-cavage over `(request-target) host date`, which
//! every server reads — by a middleware on the federation client, so that servers requiring
//! signed fetches (Mastodon's secure mode, GoToSocial) answer. Outside debug mode the same
//! middleware refuses address literals that are not public; names are checked after
//! resolution by [`crate::net`]. A 5xx or 429 answer is an [`Unavailable`] error, which
//! [`is_transient`] tells apart from failures that will not heal.

use crate::{
    apub::signatures::{off_thread, RequestSigner},
    error::Error,
    metrics::Metrics,
};
use chrono::Utc;
use reqwest_middleware::{ClientWithMiddleware, Middleware, Next};

/// The federation client: perch's guarded client, with GETs signed.
pub fn client(
    http: reqwest::Client,
    signer: RequestSigner,
    debug: bool,
    metrics: Metrics,
) -> ClientWithMiddleware {
    reqwest_middleware::ClientBuilder::new(http)
        .with(SignGets {
            signer,
            debug,
            metrics,
        })
        .build()
}

struct SignGets {
    signer: RequestSigner,
    debug: bool,
    metrics: Metrics,
}

#[async_trait::async_trait]
impl Middleware for SignGets {
    async fn handle(
        &self,
        mut req: reqwest::Request,
        extensions: &mut http::Extensions,
        next: Next<'_>,
    ) -> reqwest_middleware::Result<reqwest::Response> {
        if !self.debug {
            crate::net::check_literal(req.url())
                .map_err(|e| reqwest_middleware::Error::Middleware(anyhow::anyhow!(e)))?;
        }
        if req.method() == reqwest::Method::GET && !req.headers().contains_key("signature") {
            let (signer, url) = (self.signer.clone(), req.url().clone());
            let headers = off_thread(move || signer.sign_get(&url, Utc::now())).await;
            for (name, value) in headers {
                // reqwest derives Host from the URL.
                if name == "host" {
                    continue;
                }
                let value = reqwest::header::HeaderValue::from_str(&value)
                    .map_err(|e| reqwest_middleware::Error::Middleware(e.into()))?;
                req.headers_mut().insert(name, value);
            }
        }
        let res = match next.run(req, extensions).await {
            Ok(res) => res,
            Err(e) => {
                self.metrics.fetch("error");
                return Err(e);
            }
        };
        let status = res.status();
        self.metrics.fetch(match status.as_u16() {
            200..=299 => "ok",
            404 | 410 => "gone",
            429 | 500..=599 => "unavailable",
            _ => "refused",
        });
        if status.is_server_error() || status == reqwest::StatusCode::TOO_MANY_REQUESTS {
            // Its body is an error page, not an object; and the caller may want to say
            // "try again later" rather than "no such thing".
            return Err(reqwest_middleware::Error::Middleware(anyhow::Error::new(
                Unavailable(status.as_u16()),
            )));
        }
        Ok(res)
    }
}

/// A fetch answered 5xx or 429: the other server is in trouble for now.
#[derive(Debug, thiserror::Error)]
#[error("the server answered {0}")]
pub struct Unavailable(pub u16);

/// Whether a failed fetch may work later: a timeout, no connection, or a 5xx/429 answer.
pub fn is_transient(e: &Error) -> bool {
    use activitypub_federation::error::Error as Fed;
    let Error::Federation(e) = e else {
        return false;
    };
    match &**e {
        Fed::Reqwest(e) | Fed::ReqwestMiddleware(reqwest_middleware::Error::Reqwest(e)) => {
            e.is_timeout() || (e.is_connect() && !is_name_failure(e))
        }
        Fed::ReqwestMiddleware(reqwest_middleware::Error::Middleware(e)) => {
            e.downcast_ref::<Unavailable>().is_some()
        }
        _ => false,
    }
}

/// A connection that failed at the name, not the network: no such name, or one our resolver
/// refuses (not a public address). Neither works later.
fn is_name_failure(e: &reqwest::Error) -> bool {
    let mut cause: Option<&dyn std::error::Error> = Some(e);
    while let Some(c) = cause {
        let text = c.to_string();
        if text.contains("no public address") || text.contains("dns error") {
            return true;
        }
        cause = c.source();
    }
    false
}
