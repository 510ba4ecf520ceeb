//! OAuth 2 as Mastodon does it: apps register (`apps`), the author logs in and consents on an
//! HTML page (`authorize`), codes and passwords become tokens (`token`). Secrets, codes and
//! tokens are random 256-bit strings; only their SHA-256 hashes are stored.

pub mod apps;
pub mod authorize;
pub mod token;

/// The redirect URI that means "show the code on the page".
pub const OOB: &str = "urn:ietf:wg:oauth:2.0:oob";

/// [`GET /.well-known/oauth-authorization-server`](https://docs.joinmastodon.org/methods/oauth/#authorization-server-metadata):
/// the OAuth server's metadata (RFC 8414), as Mastodon 4.3 publishes it. Clients read
/// `grant_types_supported` before trying the password grant.
pub async fn metadata(data: crate::state::Data) -> actix_web::HttpResponse {
    let base = data.urls.base();
    let scopes: Vec<&str> = crate::domain::scopes::ALL.to_vec();
    actix_web::HttpResponse::Ok().json(serde_json::json!({
        "issuer": format!("{base}/"),
        "service_documentation": "https://docs.joinmastodon.org/",
        "authorization_endpoint": format!("{base}/oauth/authorize"),
        "token_endpoint": format!("{base}/oauth/token"),
        "revocation_endpoint": format!("{base}/oauth/revoke"),
        "app_registration_endpoint": format!("{base}/api/v1/apps"),
        "scopes_supported": scopes,
        "response_types_supported": ["code"],
        "response_modes_supported": ["query"],
        "code_challenge_methods_supported": ["S256", "plain"],
        "grant_types_supported": ["authorization_code", "password", "client_credentials"],
        "token_endpoint_auth_methods_supported": ["client_secret_basic", "client_secret_post"],
    }))
}
