//! Signing a delivery, and the "double-knock": a POST is signed the RFC 9421 way first; when
//! the server answers 400, 401 or 403 it is sent again at once signed the draft-cavage way.
//! The format a server took is remembered by host (`signature_formats`), so later deliveries
//! go straight to it; a server remembered as draft-cavage only is asked with RFC 9421 again
//! after [`REPROBE_AFTER`]. Network errors and 5xx are the worker's to retry, not a reason
//! to switch formats.

use crate::{
    apub::{
        signatures::{host_of, off_thread},
        ACTIVITY_JSON,
    },
    db::{self, queries::signature_formats as formats},
    state::AppState,
};
use chrono::Utc;
use url::Url;

/// How long a server is believed to take only draft-cavage before RFC 9421 is tried again.
pub const REPROBE_AFTER: chrono::Duration = chrono::Duration::days(7);

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Format {
    Rfc9421,
    Cavage,
}

impl Format {
    fn name(self) -> &'static str {
        match self {
            Format::Rfc9421 => formats::RFC9421,
            Format::Cavage => formats::CAVAGE,
        }
    }
}

/// POSTs `body` to `url` signed in the format the server takes (see the module doc).
pub async fn post(
    state: &AppState,
    url: &Url,
    body: Vec<u8>,
) -> Result<reqwest::Response, reqwest::Error> {
    let host = host_of(url);
    let known = {
        let server = host.clone();
        match state.db.run(move |c| formats::get(c, &server)).await {
            Ok(known) => known,
            Err(e) => {
                tracing::warn!(error = %e, %host, "cannot read the signature format; trying RFC 9421");
                None
            }
        }
    };
    let first = match &known {
        Some((f, at)) if f == formats::CAVAGE && db::now() - *at < REPROBE_AFTER => Format::Cavage,
        _ => Format::Rfc9421,
    };
    let res = send(state, url, &body, first).await?;
    let (res, used) = if first == Format::Rfc9421 && refused_signature(res.status()) {
        tracing::debug!(%host, status = %res.status(), "RFC 9421 signature refused; knocking again with draft-cavage");
        (
            send(state, url, &body, Format::Cavage).await?,
            Format::Cavage,
        )
    } else {
        (res, first)
    };
    let worked = res.status().is_success();
    let changed = known.as_ref().map(|(f, _)| f.as_str()) != Some(used.name());
    // A draft-cavage success after a refused RFC 9421 knock is rewritten too, so that the
    // next probe waits another REPROBE_AFTER.
    if worked && (changed || first != used) {
        let name = used.name();
        if let Err(e) = state
            .db
            .run(move |c| db::write(c, |c| formats::set(c, &host, name)))
            .await
        {
            tracing::warn!(error = %e, "cannot remember a server's signature format");
        }
    }
    Ok(res)
}

/// The answers a server gives to a signature it does not understand.
fn refused_signature(status: reqwest::StatusCode) -> bool {
    matches!(status.as_u16(), 400 | 401 | 403)
}

async fn send(
    state: &AppState,
    url: &Url,
    body: &[u8],
    format: Format,
) -> Result<reqwest::Response, reqwest::Error> {
    let headers = {
        let (signer, url, body) = (state.local.signer.clone(), url.clone(), body.to_vec());
        off_thread(move || match format {
            Format::Rfc9421 => signer.sign_post_rfc9421(&url, &body, ACTIVITY_JSON, Utc::now()),
            Format::Cavage => signer.sign_post(&url, &body, ACTIVITY_JSON, Utc::now()),
        })
        .await
    };
    let mut request = state
        .http
        .post(url.clone())
        .timeout(state.settings.delivery.timeout())
        .body(body.to_vec());
    for (name, value) in headers {
        // reqwest derives Host from the URL; sending it twice would confuse servers.
        if name != "host" {
            request = request.header(name, value);
        }
    }
    request.send().await
}
