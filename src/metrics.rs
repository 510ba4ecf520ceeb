//! What perch counts for `GET /metrics` (Prometheus/OpenMetrics text, through the
//! `prometheus-client` crate): requests by route and status, inbox activities by type and
//! result, delivery attempts, remote fetches, page cache hits; and, read when scraped, the queue by state and
//! the age of its oldest due row, the database pool and the process's resident memory.
//!
//! Every running instance has its own registry (tests run several in one process). Label
//! values come from fixed sets or from the route table, never from the network, so a stranger
//! cannot grow the label space.

use prometheus_client::{
    encoding::EncodeLabelSet,
    metrics::{
        counter::Counter,
        family::Family,
        gauge::Gauge,
        histogram::{exponential_buckets, Histogram},
    },
    registry::Registry,
};
use std::sync::{
    atomic::{AtomicI64, AtomicU64},
    Arc,
};

/// The media type of the text [`Metrics::render`] writes.
pub const CONTENT_TYPE: &str = "application/openmetrics-text; version=1.0.0; charset=utf-8";

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct RequestLabels {
    route: String,
    method: &'static str,
    status: u16,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct RouteLabels {
    route: String,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct InboxLabels {
    r#type: &'static str,
    result: &'static str,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct ResultLabels {
    result: &'static str,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct StateLabels {
    state: &'static str,
}

/// What the scrape reads from the database and the process at that moment.
#[derive(Debug, Default)]
pub struct Snapshot {
    /// Delivery rows by state (`pending`, `delivered`, `dead`, `parked`).
    pub deliveries: Vec<(&'static str, i64)>,
    /// Pending rows whose time has come.
    pub due: i64,
    /// How long the oldest due row has waited past its time, in seconds.
    pub oldest_due_seconds: f64,
    pub pool_connections: i64,
    pub pool_idle: i64,
    /// Resident memory in bytes (Linux; 0 elsewhere).
    pub resident_bytes: i64,
}

/// The counters and gauges of one instance. Cheap to clone (they share their values).
#[derive(Clone)]
pub struct Metrics {
    registry: Arc<Registry>,
    requests: Family<RequestLabels, Counter>,
    durations: Family<RouteLabels, Histogram>,
    inbox: Family<InboxLabels, Counter>,
    deliveries_sent: Family<ResultLabels, Counter>,
    fetches: Family<ResultLabels, Counter>,
    page_cache: Family<ResultLabels, Counter>,
    queue: Family<StateLabels, Gauge>,
    due: Gauge,
    oldest_due: Gauge<f64, AtomicU64>,
    pool_connections: Gauge,
    pool_idle: Gauge,
    resident: Gauge<i64, AtomicI64>,
}

fn request_buckets() -> Histogram {
    // 0.5 ms to about 8 s.
    Histogram::new(exponential_buckets(0.0005, 2.0, 15))
}

impl Default for Metrics {
    fn default() -> Self {
        Metrics::new()
    }
}

impl Metrics {
    pub fn new() -> Metrics {
        let mut registry = Registry::with_prefix("perch");
        let requests = Family::<RequestLabels, Counter>::default();
        registry.register(
            "http_requests",
            "HTTP requests answered, by route pattern, method and status",
            requests.clone(),
        );
        let durations =
            Family::<RouteLabels, Histogram>::new_with_constructor(request_buckets as fn() -> _);
        registry.register(
            "http_request_duration_seconds",
            "Time to answer an HTTP request, by route pattern",
            durations.clone(),
        );
        let inbox = Family::<InboxLabels, Counter>::default();
        registry.register(
            "inbox_activities",
            "Activities POSTed to the inbox, by type and result (accepted, or why not)",
            inbox.clone(),
        );
        let deliveries_sent = Family::<ResultLabels, Counter>::default();
        registry.register(
            "delivery_attempts",
            "Delivery attempts, by result (delivered, retry, final)",
            deliveries_sent.clone(),
        );
        let fetches = Family::<ResultLabels, Counter>::default();
        registry.register(
            "remote_fetches",
            "Signed GETs perch made of other servers' objects, by result",
            fetches.clone(),
        );
        let page_cache = Family::<ResultLabels, Counter>::default();
        registry.register(
            "page_cache_lookups",
            "Anonymous GETs of cacheable answers, by result (hit: answered from memory; miss)",
            page_cache.clone(),
        );
        let queue = Family::<StateLabels, Gauge>::default();
        registry.register(
            "deliveries",
            "Rows in the delivery queue, by state",
            queue.clone(),
        );
        let due = Gauge::default();
        registry.register(
            "deliveries_due",
            "Pending deliveries whose time has come",
            due.clone(),
        );
        let oldest_due = Gauge::<f64, AtomicU64>::default();
        registry.register(
            "deliveries_oldest_due_seconds",
            "How long the oldest due delivery has waited past its time",
            oldest_due.clone(),
        );
        let pool_connections = Gauge::default();
        registry.register(
            "db_pool_connections",
            "Open database connections",
            pool_connections.clone(),
        );
        let pool_idle = Gauge::default();
        registry.register(
            "db_pool_idle_connections",
            "Idle database connections",
            pool_idle.clone(),
        );
        let resident = Gauge::<i64, AtomicI64>::default();
        registry.register(
            "process_resident_memory_bytes",
            "Resident memory of the perch process",
            resident.clone(),
        );
        Metrics {
            registry: Arc::new(registry),
            requests,
            durations,
            inbox,
            deliveries_sent,
            fetches,
            page_cache,
            queue,
            due,
            oldest_due,
            pool_connections,
            pool_idle,
            resident,
        }
    }

    /// One answered request: `route` is the pattern it matched (`/posts/{id}`), not its path.
    pub fn request(&self, route: String, method: &'static str, status: u16, seconds: f64) {
        self.durations
            .get_or_create(&RouteLabels {
                route: route.clone(),
            })
            .observe(seconds);
        self.requests
            .get_or_create(&RequestLabels {
                route,
                method,
                status,
            })
            .inc();
    }

    /// One inbox POST: the activity's type (from a fixed list, or `other`) and its result.
    pub fn inbox(&self, kind: &'static str, result: &'static str) {
        self.inbox
            .get_or_create(&InboxLabels {
                r#type: kind,
                result,
            })
            .inc();
    }

    /// One delivery attempt: `delivered`, `retry` or `final`.
    pub fn delivery(&self, result: &'static str) {
        self.deliveries_sent
            .get_or_create(&ResultLabels { result })
            .inc();
    }

    /// One signed GET of a remote object: `ok`, or why not.
    pub fn fetch(&self, result: &'static str) {
        self.fetches.get_or_create(&ResultLabels { result }).inc();
    }

    /// One look in the page cache: `hit` or `miss`.
    pub fn page_cache(&self, result: &'static str) {
        self.page_cache
            .get_or_create(&ResultLabels { result })
            .inc();
    }

    /// The text for `GET /metrics`, with the gauges set from `now`.
    pub fn render(&self, now: &Snapshot) -> String {
        for (state, n) in &now.deliveries {
            self.queue.get_or_create(&StateLabels { state }).set(*n);
        }
        self.due.set(now.due);
        self.oldest_due.set(now.oldest_due_seconds);
        self.pool_connections.set(now.pool_connections);
        self.pool_idle.set(now.pool_idle);
        self.resident.set(now.resident_bytes);
        let mut out = String::new();
        if let Err(e) = prometheus_client::encoding::text::encode(&mut out, &self.registry) {
            tracing::error!(error = %e, "cannot encode the metrics");
        }
        out
    }
}

/// The resident memory of this process in bytes, from `/proc/self/status` (0 where there is none).
pub fn resident_bytes() -> i64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find_map(|l| l.strip_prefix("VmRSS:"))
                .and_then(|v| v.trim().trim_end_matches("kB").trim().parse::<i64>().ok())
        })
        .map_or(0, |kb| kb * 1024)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_and_gauges_come_out_as_openmetrics_text() {
        let m = Metrics::new();
        m.request("/posts/{id}".into(), "GET", 200, 0.002);
        m.request("/posts/{id}".into(), "GET", 200, 0.004);
        m.inbox("Like", "accepted");
        m.delivery("delivered");
        let text = m.render(&Snapshot {
            deliveries: vec![("pending", 3), ("dead", 1)],
            due: 2,
            oldest_due_seconds: 1.5,
            resident_bytes: resident_bytes(),
            ..Snapshot::default()
        });
        assert!(
            text.contains(
                r#"perch_http_requests_total{route="/posts/{id}",method="GET",status="200"} 2"#
            ),
            "{text}"
        );
        assert!(text.contains(r#"perch_inbox_activities_total{type="Like",result="accepted"} 1"#));
        assert!(
            text.contains(r#"perch_deliveries{state="pending"} 3"#),
            "{text}"
        );
        assert!(text.contains("perch_deliveries_due 2"), "{text}");
        assert!(
            text.contains("perch_deliveries_oldest_due_seconds 1.5"),
            "{text}"
        );
        assert!(text.ends_with("# EOF\n"));
        assert!(resident_bytes() > 0, "a Linux process has resident memory");
    }
}
