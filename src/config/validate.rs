//! The checks a loaded configuration must pass before perch starts, each naming its key:
//! addresses that parse, a bare domain, debug mode only on a loopback name, positive numbers,
//! a metrics listener on loopback alone.

use super::{ConfigError, Settings};

impl Settings {
    pub(super) fn validate(&self) -> Result<(), ConfigError> {
        let bad = |key: &str, message: String| ConfigError::Key {
            key: key.into(),
            message,
        };
        self.bind_addr()?;
        if !self.metrics.listen.is_empty() {
            match self.metrics.listen.parse::<std::net::SocketAddr>() {
                Ok(a) if a.ip().is_loopback() => {}
                Ok(a) => {
                    return Err(bad(
                        "metrics.listen",
                        format!(
                            "`{a}` is not a loopback address: the metrics listener asks no \
                             token, so it listens on 127.0.0.1 or [::1] only (set metrics.token \
                             to read /metrics from elsewhere)"
                        ),
                    ))
                }
                Err(e) => {
                    return Err(bad(
                        "metrics.listen",
                        format!("`{}` is not an ip:port: {e}", self.metrics.listen),
                    ))
                }
            }
        }
        let domain = &self.server.domain;
        let parsed = url::Url::parse(&format!("http://{domain}/")).map_err(|e| {
            bad(
                "server.domain",
                format!("`{domain}` is not a host[:port]: {e}"),
            )
        })?;
        if parsed.host_str().is_none()
            || parsed.path() != "/"
            || domain.contains('/')
            || domain.contains('@')
        {
            return Err(bad(
                "server.domain",
                format!("`{domain}` must be a bare host[:port], without scheme or path"),
            ));
        }
        if self.federation.debug && !parsed.host().is_some_and(|h| is_loopback_host(&h)) {
            return Err(bad(
                "federation.debug",
                format!(
                    "debug mode (http:// ids, loopback fetches) is for a local trial: \
                     server.domain must be localhost, *.localhost, 127.x.x.x or [::1], \
                     not `{domain}`; turn debug off for a real domain"
                ),
            ));
        }
        if !self.federation.debug && parsed.port().is_some() {
            return Err(bad(
                "server.domain",
                format!(
                    "`{domain}` has a port; production ids are https on the default port \
                     (set federation.debug = true for a local trial)"
                ),
            ));
        }
        let user = &self.actor.username;
        if user.is_empty()
            || !user
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-' || c == '.')
        {
            return Err(bad(
                "actor.username",
                format!("`{user}` may hold only letters, digits, `_`, `-` and `.`"),
            ));
        }
        for (i, link) in self.actor.links.iter().enumerate() {
            let ok = url::Url::parse(link)
                .is_ok_and(|u| matches!(u.scheme(), "http" | "https") && u.host().is_some());
            if !ok {
                return Err(bad(
                    &format!("actor.links[{i}]"),
                    format!("`{link}` is not an http(s) URL"),
                ));
            }
        }
        if self.database.pool_size == 0 {
            return Err(bad("database.pool_size", "must be at least 1".into()));
        }
        if self.publishing.note_max_chars == 0 {
            return Err(bad(
                "publishing.note_max_chars",
                "must be at least 1".into(),
            ));
        }
        if self.delivery.concurrency == 0 {
            return Err(bad("delivery.concurrency", "must be at least 1".into()));
        }
        for (key, v) in [
            (
                "retention.received_activity_days",
                self.retention.received_activity_days,
            ),
            (
                "retention.finished_delivery_days",
                self.retention.finished_delivery_days,
            ),
            (
                "delivery.max_waiting_per_host",
                self.delivery.max_waiting_per_host,
            ),
        ] {
            if v == 0 {
                return Err(bad(key, "must be at least 1".into()));
            }
        }
        let proxy = self.federation.proxy.trim();
        if !proxy.is_empty() {
            let ok = url::Url::parse(proxy)
                .is_ok_and(|u| matches!(u.scheme(), "http" | "https") && u.host().is_some());
            if !ok {
                return Err(bad(
                    "federation.proxy",
                    format!("`{proxy}` is not an http(s):// proxy URL"),
                ));
            }
        }
        for (i, p) in self.web.trusted_proxies.iter().enumerate() {
            crate::net::IpRange::parse(p)
                .map_err(|e| bad(&format!("web.trusted_proxies[{i}]"), e))?;
        }
        if self.media.max_bytes == 0 {
            return Err(bad("media.max_bytes", "must be at least 1".into()));
        }
        let d = &self.delivery;
        for (key, v) in [
            ("delivery.retry_base_seconds", d.retry_base_seconds),
            ("delivery.retry_max_seconds", d.retry_max_seconds),
            ("delivery.give_up_after_hours", d.give_up_after_hours),
            (
                "delivery.unreachable_probe_hours",
                d.unreachable_probe_hours,
            ),
        ] {
            if !(v.is_finite() && v > 0.0) {
                return Err(bad(key, format!("must be a positive number, not {v}")));
            }
        }
        Ok(())
    }
}

/// Whether a domain names this machine: `localhost`, `*.localhost`, 127.x.x.x or `[::1]`.
fn is_loopback_host(host: &url::Host<&str>) -> bool {
    match host {
        url::Host::Domain(d) => {
            let d = d.trim_end_matches('.').to_ascii_lowercase();
            d == "localhost" || d.ends_with(".localhost")
        }
        url::Host::Ipv4(ip) => ip.is_loopback(),
        url::Host::Ipv6(ip) => ip.is_loopback(),
    }
}
