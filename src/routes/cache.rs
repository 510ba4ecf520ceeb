//! The page cache: what an anonymous `GET` of a public page, feed or ActivityPub document
//! answered, kept in memory and answered again until the database changes (see
//! [`crate::db::changes`]). A handler opts in with [`shared`]; only a `200` without
//! `Set-Cookie` and without `Cache-Control: private` is kept. A request that could be
//! answered differently for whoever sends it — signed (a follower may see more), with
//! credentials or cookies, conditional or ranged — is never answered from here. Bounded: at
//! most `web.page_cache_kib` of bodies, the oldest dropped first.

use crate::db::{changes::Stamp, Db};
use actix_web::{
    body::{BoxBody, MessageBody},
    dev::{ServiceRequest, ServiceResponse},
    http::{
        header::{self, HeaderMap},
        StatusCode,
    },
    middleware::Next,
    web::{self, Bytes},
    HttpRequest, HttpResponse,
};
use std::{collections::HashMap, sync::Mutex, time::Instant};

/// Marks a response as the same for every anonymous reader while the data stays the same.
pub fn shared(mut response: HttpResponse) -> HttpResponse {
    response.extensions_mut().insert(Shared);
    response
}

/// The mark [`shared`] leaves.
#[derive(Clone, Copy)]
struct Shared;

/// The answers kept, by request.
pub struct PageCache {
    db: Db,
    limit: usize,
    inner: Mutex<Entries>,
}

#[derive(Default)]
struct Entries {
    map: HashMap<String, Entry>,
    bytes: usize,
}

struct Entry {
    stamp: Stamp,
    kept: Instant,
    /// Of a `200`, the only answer kept.
    headers: HeaderMap,
    body: Bytes,
}

impl Entry {
    fn size(&self, key: &str) -> usize {
        key.len() + self.body.len() + 256
    }
}

/// Request headers that make an answer someone's own, or not the plain `200`.
const PERSONAL: [&str; 8] = [
    "authorization",
    "cookie",
    "signature",
    "signature-input",
    "if-none-match",
    "if-modified-since",
    "range",
    "if-range",
];

impl PageCache {
    /// A cache of at most `limit_kib` KiB of answers (0: none kept).
    pub fn new(db: Db, limit_kib: usize) -> PageCache {
        PageCache {
            db,
            limit: limit_kib * 1024,
            inner: Mutex::default(),
        }
    }

    /// The key of a request that may be answered from the cache.
    fn key(&self, req: &HttpRequest) -> Option<String> {
        if self.limit == 0 || req.method() != actix_web::http::Method::GET {
            return None;
        }
        let headers = req.headers();
        if PERSONAL.iter().any(|h| headers.contains_key(*h)) {
            return None;
        }
        let accept = headers
            .get(header::ACCEPT)
            .and_then(|v| v.to_str().ok())
            .unwrap_or("");
        let target = req
            .uri()
            .path_and_query()
            .map_or(req.path(), |p| p.as_str());
        Some(format!("{target}\n{accept}"))
    }

    fn get(&self, key: &str, stamp: Stamp) -> Option<HttpResponse> {
        let entries = self.inner.lock().ok()?;
        let entry = entries.map.get(key)?;
        if entry.stamp != stamp || entry.kept.elapsed() > stamp.good_for {
            return None;
        }
        let mut response = HttpResponse::with_body(StatusCode::OK, entry.body.clone());
        *response.headers_mut() = entry.headers.clone();
        Some(response.map_into_boxed_body())
    }

    fn put(&self, key: String, entry: Entry) {
        let size = entry.size(&key);
        if size > self.limit / 4 {
            return;
        }
        let Ok(mut entries) = self.inner.lock() else {
            return;
        };
        if let Some(old) = entries.map.remove(&key) {
            entries.bytes -= old.size(&key);
        }
        while entries.bytes + size > self.limit {
            let oldest = entries
                .map
                .iter()
                .min_by_key(|(_, e)| e.kept)
                .map(|(k, _)| k.clone());
            let Some(oldest) = oldest else { break };
            if let Some(old) = entries.map.remove(&oldest) {
                entries.bytes -= old.size(&oldest);
            }
        }
        entries.bytes += size;
        entries.map.insert(key, entry);
    }
}

/// The middleware: `App::new().app_data(web::Data::new(cache)).wrap(from_fn(serve))`.
pub async fn serve(
    req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<BoxBody>, actix_web::Error> {
    let cache = req.app_data::<web::Data<PageCache>>().cloned();
    let Some((cache, key)) = cache.and_then(|c| c.key(req.request()).map(|k| (c, k))) else {
        return Ok(next.call(req).await?.map_into_boxed_body());
    };
    // Taken before the handler reads: a change while it renders leaves the answer older
    // than its stamp says, so it is not answered again.
    // (A look at shared memory that never waits for a lock: made here, not on a thread.)
    let Some(stamp) = cache.db.stamp() else {
        return Ok(next.call(req).await?.map_into_boxed_body());
    };
    let metrics = req
        .app_data::<web::Data<crate::metrics::Metrics>>()
        .cloned();
    let count = |result| {
        if let Some(m) = &metrics {
            m.page_cache(result);
        }
    };
    if let Some(hit) = cache.get(&key, stamp) {
        count("hit");
        return Ok(req.into_response(hit));
    }
    let res = next.call(req).await?;
    if !keepable(res.response()) {
        return Ok(res.map_into_boxed_body());
    }
    count("miss");
    let (req, res) = res.into_parts();
    let (head, body) = res.into_parts();
    match body.try_into_bytes() {
        Ok(bytes) => {
            cache.put(
                key,
                Entry {
                    stamp,
                    kept: Instant::now(),
                    headers: head.headers().clone(),
                    body: bytes.clone(),
                },
            );
            Ok(ServiceResponse::new(
                req,
                head.set_body(bytes).map_into_boxed_body(),
            ))
        }
        Err(body) => Ok(ServiceResponse::new(
            req,
            head.set_body(body).map_into_boxed_body(),
        )),
    }
}

/// Whether an answer may be given to the next anonymous reader too.
fn keepable<B>(res: &HttpResponse<B>) -> bool {
    let private = res
        .headers()
        .get(header::CACHE_CONTROL)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.contains("private"));
    res.status() == StatusCode::OK
        && res.extensions().contains::<Shared>()
        && !res.headers().contains_key(header::SET_COOKIE)
        && !private
}
