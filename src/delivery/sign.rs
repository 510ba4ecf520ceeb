//! Signing a delivery. Every server is sent draft-cavage signatures, which all of them verify,
//! unless there is positive evidence that it verifies RFC 9421 (see
//! `db::queries::signature_formats::why`): it signed to us that way, its actor advertises it,
//! it asked with `Accept-Signature`, or the configuration names it (`rfc9421_hosts`).
//!
//! An answer's status is never such evidence: servers such as snac2 and Pixelfed answer 202
//! to anything and verify afterwards, so a sender that learns from the status learns wrongly
//! and loses every later delivery. A refusal, though, is evidence the other way: a server sent
//! RFC 9421 that answers 400, 401 or 403 gets the same POST signed draft-cavage at once (the
//! "double-knock"), and is remembered as draft-cavage for [`REFUSAL_KEPT`], during which no
//! evidence turns it back. Network errors and 5xx are the worker's to retry.

use crate::{
    apub::{signatures::off_thread, ACTIVITY_JSON},
    db::{
        self,
        queries::signature_formats::{self as formats, why},
    },
    state::AppState,
};
use chrono::Utc;
use url::Url;

/// How long a refusal of RFC 9421 outweighs evidence that a server verifies it.
pub const REFUSAL_KEPT: chrono::Duration = chrono::Duration::days(7);

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Format {
    Rfc9421,
    Cavage,
}

/// POSTs `body` to `url` signed in the format the server is known to verify (see the module
/// doc).
pub async fn post(
    state: &AppState,
    url: &Url,
    body: Vec<u8>,
) -> Result<reqwest::Response, reqwest::Error> {
    let host = crate::domain::Host::name_of(url);
    let first = format_for(state, &host).await;
    let res = send(state, url, &body, first).await?;
    match first {
        Format::Rfc9421 if refused_signature(res.status()) => {
            tracing::debug!(%host, status = %res.status(), "RFC 9421 signature refused; knocking again with draft-cavage");
            let res = send(state, url, &body, Format::Cavage).await?;
            if !refused_signature(res.status()) {
                remember(state, host, formats::CAVAGE, why::REFUSED).await;
            }
            Ok(res)
        }
        Format::Cavage if asks_for_rfc9421(&res) => {
            if refused_signature(res.status()) {
                tracing::debug!(%host, status = %res.status(), "draft-cavage refused with Accept-Signature; knocking again with RFC 9421");
                let res = send(state, url, &body, Format::Rfc9421).await?;
                if !refused_signature(res.status()) {
                    remember(state, host, formats::RFC9421, why::ASKED).await;
                }
                return Ok(res);
            }
            evidence(state, host, why::ASKED).await;
            Ok(res)
        }
        _ => Ok(res),
    }
}

/// Records positive evidence that `server` verifies RFC 9421 (unless it refused lately).
pub async fn evidence(state: &AppState, server: String, why: &'static str) {
    let result = state
        .db
        .run(move |c| {
            // A read first: the evidence comes with most requests, the change rarely.
            match formats::get(c, &server)? {
                Some(k)
                    if k.format == formats::RFC9421 || db::now() - k.checked_at < REFUSAL_KEPT =>
                {
                    Ok(false)
                }
                _ => db::write(c, |c| {
                    formats::evidence_for_rfc9421(c, &server, why, REFUSAL_KEPT)
                }),
            }
        })
        .await;
    match result {
        Ok(true) => tracing::debug!(why, "a server is now sent RFC 9421 signatures"),
        Ok(false) => {}
        Err(e) => tracing::warn!(error = %e, "cannot record a server's signature format"),
    }
}

async fn format_for(state: &AppState, host: &str) -> Format {
    let configured = &state.settings.federation.rfc9421_hosts;
    if configured.iter().any(|h| h.eq_ignore_ascii_case(host)) {
        return Format::Rfc9421;
    }
    let server = host.to_owned();
    match state.db.run(move |c| formats::get(c, &server)).await {
        Ok(Some(k)) if k.format == formats::RFC9421 => Format::Rfc9421,
        Ok(_) => Format::Cavage,
        Err(e) => {
            tracing::warn!(error = %e, %host, "cannot read the signature format; signing draft-cavage");
            Format::Cavage
        }
    }
}

async fn remember(state: &AppState, host: String, format: &'static str, why: &'static str) {
    if let Err(e) = state
        .db
        .run_write(move |c| formats::set(c, &host, format, why))
        .await
    {
        tracing::warn!(error = %e, "cannot remember a server's signature format");
    }
}

/// The answers a server gives to a signature it does not understand.
fn refused_signature(status: reqwest::StatusCode) -> bool {
    matches!(status.as_u16(), 400 | 401 | 403)
}

/// An `Accept-Signature` header (RFC 9421 §5.1) asks for an RFC 9421 signature; it counts
/// when it asks for nothing perch cannot give: no `alg`, or RSA PKCS#1 v1.5 with SHA-256.
fn asks_for_rfc9421(res: &reqwest::Response) -> bool {
    res.headers()
        .get_all("accept-signature")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .any(asks_for_what_we_sign)
}

fn asks_for_what_we_sign(header: &str) -> bool {
    let header = header.to_ascii_lowercase();
    match header.find("alg=") {
        None => !header.trim().is_empty(),
        Some(at) => header[at + "alg=".len()..]
            .trim_start_matches('"')
            .starts_with("rsa-v1_5-sha256"),
    }
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

#[cfg(test)]
mod tests {
    #[test]
    fn accept_signature_counts_only_for_what_perch_signs() {
        for yes in [
            r#"sig1=("@method" "@target-uri" "content-digest")"#,
            r#"sig1=("@method" "@target-uri");alg="rsa-v1_5-sha256""#,
        ] {
            assert!(super::asks_for_what_we_sign(yes), "{yes}");
        }
        for no in [
            r#"sig1=("@method" "@target-uri");alg="ed25519""#,
            r#"sig1=("@method");alg="rsa-pss-sha512""#,
            "",
        ] {
            assert!(!super::asks_for_what_we_sign(no), "{no}");
        }
    }
}
