//! The security headers, in one place for every response: `X-Content-Type-Options: nosniff`
//! on all of them; on HTML pages also a Content-Security-Policy without scripts (inline or
//! not) and without framing, `Referrer-Policy` and `X-Frame-Options` (for browsers that
//! predate `frame-ancestors`). A handler that sets one of these itself keeps its own value:
//! a page that must post a form elsewhere, say, brings its own policy.

use actix_web::{
    body::MessageBody,
    dev::{ServiceRequest, ServiceResponse},
    http::header::{self, HeaderMap, HeaderName, HeaderValue},
    middleware::Next,
};

/// No scripts, no plugins, no framing; styles and images from here (images from anywhere
/// over https, as comments' avatars are), forms only to here.
pub const CSP: &str = "default-src 'none'; img-src 'self' https: data:; style-src 'self'; \
                       base-uri 'none'; form-action 'self'; frame-ancestors 'none'";
pub const REFERRER_POLICY: &str = "strict-origin-when-cross-origin";

/// The middleware: `App::new().wrap(from_fn(security_headers))`.
pub async fn security_headers(
    req: ServiceRequest,
    next: Next<impl MessageBody>,
) -> Result<ServiceResponse<impl MessageBody>, actix_web::Error> {
    let mut res = next.call(req).await?;
    let headers = res.headers_mut();
    let html = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|t| t.trim_start().to_ascii_lowercase().starts_with("text/html"));
    add(headers, header::X_CONTENT_TYPE_OPTIONS, "nosniff");
    if html {
        add(headers, header::CONTENT_SECURITY_POLICY, CSP);
        add(headers, header::REFERRER_POLICY, REFERRER_POLICY);
        add(headers, header::X_FRAME_OPTIONS, "DENY");
    }
    Ok(res)
}

fn add(headers: &mut HeaderMap, name: HeaderName, value: &'static str) {
    if !headers.contains_key(&name) {
        headers.insert(name, HeaderValue::from_static(value));
    }
}
