//! The static assets: `GET /static/style.css`, the one stylesheet, compiled in (pages link it
//! with a hash of its content in the query, so it can be cached for long and still change with
//! a new binary), and `GET /static/avatar.png` and `/static/header.png`, the pictures of
//! accounts that have none (drawn once, at first use).

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

/// The default avatar: a head and shoulders on a soft background, 128 px square.
pub async fn avatar() -> HttpResponse {
    static PNG: OnceLock<Vec<u8>> = OnceLock::new();
    png_response(PNG.get_or_init(|| {
        let size = 128u32;
        encode(image::RgbImage::from_fn(size, size, |x, y| {
            let (x, y) = (x as f32 + 0.5, y as f32 + 0.5);
            let head = (x - 64.0).powi(2) + (y - 50.0).powi(2) < 22.0f32.powi(2);
            let shoulders =
                (x - 64.0).powi(2) / 44.0f32.powi(2) + (y - 128.0).powi(2) / 42.0f32.powi(2) < 1.0;
            if head || shoulders {
                image::Rgb([0xf3, 0xf1, 0xec])
            } else {
                image::Rgb([0x8a, 0x96, 0xa8])
            }
        }))
    }))
}

/// The default header: a quiet gradient, 3:1.
pub async fn header() -> HttpResponse {
    static PNG: OnceLock<Vec<u8>> = OnceLock::new();
    png_response(PNG.get_or_init(|| {
        encode(image::RgbImage::from_fn(300, 100, |x, _| {
            let t = x as f32 / 300.0;
            let mix = |a: f32, b: f32| (a + (b - a) * t) as u8;
            image::Rgb([mix(138.0, 196.0), mix(150.0, 204.0), mix(168.0, 214.0)])
        }))
    }))
}

fn encode(img: image::RgbImage) -> Vec<u8> {
    let mut out = std::io::Cursor::new(Vec::new());
    match img.write_to(&mut out, image::ImageFormat::Png) {
        Ok(()) => out.into_inner(),
        Err(e) => {
            tracing::error!(error = %e, "drawing a default picture failed");
            Vec::new()
        }
    }
}

fn png_response(png: &[u8]) -> HttpResponse {
    HttpResponse::Ok()
        .content_type("image/png")
        .insert_header(("Cache-Control", "public, max-age=604800"))
        .body(png.to_vec())
}
