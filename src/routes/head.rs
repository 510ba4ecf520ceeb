//! `HEAD` of any page, feed, object or file: answered as the `GET` would be, without its body
//! (link checkers, uptime monitors and link-preview bots ask with `HEAD` first).

use actix_web::{
    body::{BoxBody, MessageBody},
    dev::{ServiceRequest, ServiceResponse},
    http::Method,
    middleware::Next,
};

/// The middleware: `App::new().wrap(from_fn(head_as_get))`.
pub async fn head_as_get(
    mut req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<BoxBody>, actix_web::Error> {
    let head = req.method() == Method::HEAD;
    if head {
        req.head_mut().method = Method::GET;
    }
    let res = next.call(req).await?;
    Ok(if head {
        res.map_body(|_, _| BoxBody::new(()))
    } else {
        res.map_into_boxed_body()
    })
}
