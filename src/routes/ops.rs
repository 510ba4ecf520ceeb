//! For whoever runs perch: `GET /healthz` (public: 200 or 503, with what is wrong in a word)
//! and `GET /metrics` (Prometheus text; on the public listener only with `metrics.token`, on
//! the `metrics.listen` loopback listener without one), and the middleware that counts every
//! request by the route pattern it matched.

use crate::{
    error::{Error, Result},
    metrics::Metrics,
    services::{auth::constant_time_eq, health},
    state::Data,
};
use actix_web::{
    body::MessageBody,
    dev::{ServiceRequest, ServiceResponse},
    http::header,
    middleware::Next,
    web, HttpRequest, HttpResponse,
};

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.route("/healthz", web::get().to(healthz))
        .route("/metrics", web::get().to(metrics_with_token));
}

/// The routes of the `metrics.listen` listener: the same, with `/metrics` open.
pub fn configure_private(cfg: &mut web::ServiceConfig) {
    cfg.route("/healthz", web::get().to(healthz))
        .route("/metrics", web::get().to(metrics));
}

/// `GET /healthz`: `{"status": "ok", "database": "ok", "queue": {...}}`, 503 when unhealthy.
async fn healthz(data: Data) -> HttpResponse {
    let health = health::check(data.app_data()).await;
    let mut res = if health.ok() {
        HttpResponse::Ok()
    } else {
        HttpResponse::ServiceUnavailable()
    };
    res.insert_header((header::CACHE_CONTROL, "no-store"))
        .json(&health)
}

/// `GET /metrics` on the public listener: 404 unless `metrics.token` is set, then 401 without
/// `Authorization: Bearer <token>`.
async fn metrics_with_token(req: HttpRequest, data: Data) -> Result<HttpResponse> {
    let token = &data.settings.metrics.token;
    if token.is_empty() {
        return Err(Error::NotFound);
    }
    let given = req
        .headers()
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .unwrap_or("");
    if !constant_time_eq(given.trim().as_bytes(), token.as_bytes()) {
        return Ok(HttpResponse::Unauthorized()
            .insert_header((header::WWW_AUTHENTICATE, "Bearer"))
            .body("the metrics need `Authorization: Bearer <metrics.token>`\n"));
    }
    metrics(data).await
}

async fn metrics(data: Data) -> Result<HttpResponse> {
    let now = health::snapshot(data.app_data()).await?;
    Ok(HttpResponse::Ok()
        .insert_header((header::CONTENT_TYPE, crate::metrics::CONTENT_TYPE))
        .insert_header((header::CACHE_CONTROL, "no-store"))
        .body(data.metrics.render(&now)))
}

/// The middleware: counts each answered request by the pattern of the route it matched
/// (`/posts/{id}`; `unmatched` for a path no route has), its method and status, and times it.
pub async fn count_requests(
    req: ServiceRequest,
    next: Next<impl MessageBody>,
) -> Result<ServiceResponse<impl MessageBody>, actix_web::Error> {
    let metrics = req.app_data::<web::Data<Metrics>>().cloned();
    // A fixed set: a method is whatever word a client sends.
    let method: &'static str = match req.method().as_str() {
        "GET" => "GET",
        "HEAD" => "HEAD",
        "POST" => "POST",
        "PUT" => "PUT",
        "PATCH" => "PATCH",
        "DELETE" => "DELETE",
        "OPTIONS" => "OPTIONS",
        _ => "other",
    };
    let started = std::time::Instant::now();
    let res = next.call(req).await;
    if let Some(metrics) = metrics {
        let (route, status) = match &res {
            Ok(res) => (res.request().match_pattern(), res.status().as_u16()),
            Err(e) => (None, e.as_response_error().status_code().as_u16()),
        };
        metrics.request(
            route.unwrap_or_else(|| "unmatched".to_owned()),
            method,
            status,
            started.elapsed().as_secs_f64(),
        );
    }
    res
}
