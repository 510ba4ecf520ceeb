//! `GET /media/{file}`: stored uploads, by the names perch gave them and nothing else. The
//! name never changes with the content, so the answer may be cached for good; it is served as
//! the image it is and never as something a browser could run.

use crate::{
    error::{Error, Result},
    media,
    state::Data,
};
use actix_web::{web, HttpResponse};

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.route("/media/{file}", web::get().to(file));
}

async fn file(name: web::Path<String>, data: Data) -> Result<HttpResponse> {
    // Only `<hex>.<jpg|png|gif|webp>`: no separators, no dots, so no way out of the directory.
    let format = media::file_format(&name).ok_or(Error::NotFound)?;
    let path = media::media_dir(&data.settings.server.data_dir).join(name.as_str());
    let bytes = match tokio::fs::read(&path).await {
        Ok(bytes) => bytes,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Err(Error::NotFound),
        Err(e) => return Err(e.into()),
    };
    Ok(HttpResponse::Ok()
        .content_type(format.media_type())
        .insert_header(("Cache-Control", "public, max-age=31536000, immutable"))
        .insert_header(("Content-Security-Policy", "default-src 'none'"))
        .body(bytes))
}
