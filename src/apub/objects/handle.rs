//! The handle of an actor whose document has no `preferredUsername`: the name WebFinger gives
//! for the actor's id, when it round-trips (an `acct:user@host` subject on the actor's own
//! server whose `self` link is the actor), or else the last segment of the id's path.

use crate::state::Data;
use serde::Deserialize;
use url::Url;

/// A WebFinger answer is small; more than this is not read.
const MAX_BODY: usize = 64 * 1024;

#[derive(Deserialize)]
struct Jrd {
    subject: String,
    #[serde(default)]
    links: Vec<JrdLink>,
}

#[derive(Deserialize)]
struct JrdLink {
    #[serde(default)]
    rel: Option<String>,
    #[serde(default)]
    href: Option<String>,
}

/// The username for `actor`: from WebFinger when it round-trips, else from the id.
pub async fn username(actor: &Url, data: &Data) -> String {
    match webfinger(actor, data).await {
        Some(name) => name,
        None => from_id(actor),
    }
}

/// The last non-empty segment of the id's path (`actor` for a bare host).
pub fn from_id(actor: &Url) -> String {
    actor
        .path_segments()
        .and_then(|mut s| s.rfind(|p| !p.is_empty()).map(str::to_owned))
        .map(|s| s.trim_start_matches('@').to_owned())
        .filter(|s| is_username(s))
        .unwrap_or_else(|| "actor".into())
}

/// What a username may be: 1–100 letters, digits, `_`, `-` and `.` (no `@` or `:`, which would
/// make another server's handle out of a path segment).
fn is_username(s: &str) -> bool {
    !s.is_empty()
        && s.len() <= 100
        && s.chars()
            .all(|c| c.is_alphanumeric() || matches!(c, '_' | '-' | '.'))
}

/// Asks the actor's own server who it is: `/.well-known/webfinger?resource=<id>`.
async fn webfinger(actor: &Url, data: &Data) -> Option<String> {
    let host = crate::domain::Host::name_of(actor);
    let mut url = Url::parse(&format!(
        "{}://{host}/.well-known/webfinger",
        actor.scheme()
    ))
    .ok()?;
    url.query_pairs_mut()
        .append_pair("resource", actor.as_str());
    let timeout = std::time::Duration::from_secs(data.settings.federation.fetch_timeout_seconds);
    let res = data
        .http
        .get(url)
        .header("accept", "application/jrd+json, application/json")
        .timeout(timeout)
        .send()
        .await
        .ok()?;
    if !res.status().is_success() {
        return None;
    }
    let mut res = res;
    let mut body = Vec::new();
    while let Some(chunk) = res.chunk().await.ok()? {
        body.extend_from_slice(&chunk);
        if body.len() > MAX_BODY {
            return None;
        }
    }
    let jrd: Jrd = serde_json::from_slice(&body).ok()?;
    round_trip(&jrd, actor, &host)
}

fn round_trip(jrd: &Jrd, actor: &Url, host: &str) -> Option<String> {
    let (user, at) = jrd.subject.strip_prefix("acct:")?.rsplit_once('@')?;
    let names_actor = jrd
        .links
        .iter()
        .any(|l| l.rel.as_deref() == Some("self") && l.href.as_deref() == Some(actor.as_str()));
    (at.eq_ignore_ascii_case(host) && names_actor && is_username(user)).then(|| user.to_owned())
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::{from_id, round_trip, Jrd};
    use url::Url;

    #[test]
    fn the_handle_comes_from_the_last_path_segment() {
        let id = |s: &str| from_id(&Url::parse(s).unwrap());
        assert_eq!(id("https://a.example/users/alice"), "alice");
        assert_eq!(id("https://a.example/@bob/"), "bob");
        assert_eq!(id("https://a.example/"), "actor");
    }

    #[test]
    fn webfinger_counts_only_when_it_names_the_actor_on_its_host() {
        let actor = Url::parse("https://a.example/ap/1").unwrap();
        let jrd = |subject: &str, href: &str| -> Jrd {
            serde_json::from_value(serde_json::json!({
                "subject": subject,
                "links": [{"rel": "self", "type": "application/activity+json", "href": href}]
            }))
            .unwrap()
        };
        let ok = jrd("acct:carol@a.example", "https://a.example/ap/1");
        assert_eq!(
            round_trip(&ok, &actor, "a.example").as_deref(),
            Some("carol")
        );
        let elsewhere = jrd("acct:carol@b.example", "https://a.example/ap/1");
        assert_eq!(round_trip(&elsewhere, &actor, "a.example"), None);
        let other = jrd("acct:carol@a.example", "https://a.example/ap/2");
        assert_eq!(round_trip(&other, &actor, "a.example"), None);
    }
}
