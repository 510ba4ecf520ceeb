//! `GET /static/style.css`: the one stylesheet, compiled in. Pages link it with a hash of its
//! content in the query, so it can be cached for long and still change with a new binary.

use actix_web::HttpResponse;
use std::sync::OnceLock;

const CSS: &str = include_str!("../../../static/style.css");

/// The stylesheet's URL path, with its content hash.
pub fn href() -> String {
    static HREF: OnceLock<String> = OnceLock::new();
    HREF.get_or_init(|| {
        // FNV-1a: stable across builds and platforms, unlike std's hasher.
        let hash = CSS.bytes().fold(0xcbf2_9ce4_8422_2325_u64, |h, b| {
            (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
        });
        format!("/static/style.css?v={:08x}", hash >> 32)
    })
    .clone()
}

pub async fn css() -> HttpResponse {
    HttpResponse::Ok()
        .content_type("text/css; charset=utf-8")
        .insert_header(("Cache-Control", "public, max-age=604800"))
        .body(CSS)
}
