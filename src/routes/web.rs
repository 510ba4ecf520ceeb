//! Web pages for people. For now the home page says who this is and how to follow; the
//! full blog pages come with the posts issue.

use crate::{domain::text::escape, state::Data};
use actix_web::{web, HttpResponse};

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.route("/", web::get().to(home))
        .route("/@{username}", web::get().to(profile));
}

/// The profile page (the actor's `url`); the home page stands in for it for now.
async fn profile(username: web::Path<String>, data: Data) -> HttpResponse {
    if *username != data.settings.actor.username {
        return HttpResponse::NotFound()
            .content_type("text/plain; charset=utf-8")
            .body("no such account here");
    }
    home(data).await
}

async fn home(data: Data) -> HttpResponse {
    let s = &data.settings;
    let handle = format!("@{}@{}", s.actor.username, s.server.domain);
    let html = format!(
        "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\">\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
         <title>{name}</title>\
         <link rel=\"alternate\" type=\"application/activity+json\" href=\"{actor}\"></head>\
         <body><main><h1>{name}</h1><p>{summary}</p>\
         <p>Follow from any fediverse account: <strong>{handle}</strong></p></main></body></html>",
        name = escape(&s.actor.display_name),
        summary = escape(&s.actor.summary),
        actor = data.urls.actor(),
        handle = escape(&handle),
    );
    HttpResponse::Ok()
        .content_type("text/html; charset=utf-8")
        .body(html)
}
