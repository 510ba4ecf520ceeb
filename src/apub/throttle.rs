//! The inbox's rate limit per remote server (`federation.inbox_rate_per_minute`). The server
//! is the host[:port] of the key that signs the request (`keyId` of a draft-cavage
//! `Signature`, `keyid` of an RFC 9421 `Signature-Input`), read before anything is verified:
//! verifying costs an actor fetch and an RSA operation, which is what the limit saves. A
//! forger naming another server's key spends that server's allowance; its deliveries then get
//! 429 and are retried later by its queue, not lost. A request naming no key is not counted:
//! it fails verification without a fetch.

use crate::{
    apub::{inbox::IncomingRequest, signatures::host_of},
    error::{Error, Result},
    ratelimit::retry_after_secs,
    state::AppState,
};

/// Counts the request against its server's allowance: `TooManyRequests` when it is spent.
pub fn check(request: &IncomingRequest, state: &AppState) -> Result<()> {
    if state.settings.federation.inbox_rate_per_minute == 0 {
        return Ok(());
    }
    let Some(server) = sender(request) else {
        return Ok(());
    };
    state.inbox_limit.check(&server).map_err(|wait| {
        tracing::info!(%server, "inbox rate limit reached");
        Error::TooManyRequests(retry_after_secs(wait))
    })
}

/// The host[:port] of the signing key's id, if the request names one.
pub fn sender(request: &IncomingRequest) -> Option<String> {
    ["signature", "signature-input"]
        .into_iter()
        .find_map(|name| {
            let value = request.header(name)?;
            let start = value.to_ascii_lowercase().find("keyid=\"")? + "keyid=\"".len();
            let rest = value.get(start..)?;
            let key_id = &rest[..rest.find('"')?];
            url::Url::parse(key_id).ok().map(|u| host_of(&u))
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn request(headers: &[(&str, &str)]) -> IncomingRequest {
        IncomingRequest {
            method: "POST".into(),
            path_and_query: "/inbox".into(),
            headers: headers
                .iter()
                .map(|(n, v)| ((*n).to_owned(), (*v).to_owned()))
                .collect(),
        }
    }

    #[test]
    fn the_sender_is_the_host_of_the_signing_key() {
        let cavage = request(&[(
            "signature",
            r#"keyId="https://social.example:8443/users/a#main-key",headers="(request-target) host",signature="x""#,
        )]);
        assert_eq!(sender(&cavage).as_deref(), Some("social.example:8443"));
        let rfc9421 = request(&[(
            "signature-input",
            r#"sig1=("@method" "@target-uri");created=1;keyid="https://gts.example/users/b/main-key""#,
        )]);
        assert_eq!(sender(&rfc9421).as_deref(), Some("gts.example"));
        for bad in [
            r#"keyId="not a url""#,
            r#"keyId="https://x.example"#,
            "",
            "keyId=ü",
        ] {
            assert_eq!(sender(&request(&[("signature", bad)])), None, "{bad}");
        }
        assert_eq!(sender(&request(&[])), None);
    }
}
