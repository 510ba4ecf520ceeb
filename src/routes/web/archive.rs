//! `GET /archive`: every public and unlisted post on one page, by year and month, newest
//! first; articles by title, notes by the start of their text.

use super::{
    html, respond,
    templates::val,
    view::{Meta, Site},
};
use crate::{db::models::DbObject, db::queries::pages, error::Result, state::Data};
use actix_web::{http::StatusCode, HttpResponse};
use chrono::Datelike;
use serde::Serialize;

/// How much of a note the archive shows.
const NOTE_EXCERPT_CHARS: usize = 80;

#[derive(Debug, Serialize)]
struct Year {
    year: i32,
    months: Vec<Month>,
}

#[derive(Debug, Serialize)]
struct Month {
    #[serde(skip)]
    number: u32,
    name: String,
    items: Vec<Item>,
}

#[derive(Debug, Serialize)]
struct Item {
    kind: &'static str,
    url: String,
    label: String,
    iso: String,
    day: String,
}

pub async fn get(data: Data) -> HttpResponse {
    respond(&data, render(&data).await)
}

async fn render(data: &Data) -> Result<HttpResponse> {
    let rows = data.db.run(pages::all_listed).await?;
    let site = Site::new(data);
    let mut meta = Meta::new(
        "Archive",
        format!("Everything {} has published, by month", site.name),
    );
    meta.url = Some(site.archive.clone());
    meta.section = "archive";
    let ctx =
        minijinja::context! { site => val(&site), meta => val(&meta), years => val(&group(&rows)) };
    html(StatusCode::OK, "archive.html", ctx)
}

/// Posts (newest first) into years and months, keeping that order.
fn group(rows: &[DbObject]) -> Vec<Year> {
    let mut years: Vec<Year> = Vec::new();
    for row in rows {
        let at = row.published.and_utc();
        if years.last().is_none_or(|y| y.year != at.year()) {
            years.push(Year {
                year: at.year(),
                months: Vec::new(),
            });
        }
        let Some(year) = years.last_mut() else {
            continue;
        };
        if year.months.last().is_none_or(|m| m.number != at.month()) {
            year.months.push(Month {
                number: at.month(),
                name: at.format("%B").to_string(),
                items: Vec::new(),
            });
        }
        let Some(month) = year.months.last_mut() else {
            continue;
        };
        let is_article = row.kind == "Article";
        let title = row.name.as_deref().map(str::trim).filter(|n| !n.is_empty());
        let label = match title {
            Some(t) if is_article => t.to_owned(),
            _ => crate::domain::text::cut(
                &crate::domain::text::html_to_plain(&row.content),
                NOTE_EXCERPT_CHARS,
            ),
        };
        month.items.push(Item {
            kind: if is_article { "article" } else { "note" },
            url: row.url.clone().unwrap_or_else(|| row.ap_id.clone()),
            label,
            iso: at.to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
            day: at.format("%-d %b").to_string(),
        });
    }
    years
}
