//! Typed settings. `config/default.toml` (embedded) → a user file → `PERCH__SECTION__KEY`
//! environment variables, validated once at start. Passed around as state, never global.

use serde::Deserialize;
use std::{net::SocketAddr, path::PathBuf, time::Duration};

/// The documented defaults, compiled in so that a bare `perch` needs no file.
pub const DEFAULT_TOML: &str = include_str!("../../config/default.toml");

#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    #[error("cannot read config file {path}: {source}")]
    Read {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("config file {path} is not valid TOML: {source}")]
    Syntax {
        path: String,
        source: toml::de::Error,
    },
    #[error("config key `{key}`: {message}")]
    Key { key: String, message: String },
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Settings {
    pub server: Server,
    pub database: Database,
    pub actor: ActorSettings,
    pub publishing: Publishing,
    pub comments: Comments,
    pub federation: Federation,
    pub delivery: Delivery,
    pub media: Media,
    pub api: Api,
    pub retention: Retention,
    pub web: Web,
    pub metrics: MetricsSettings,
    pub log: Log,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Server {
    pub domain: String,
    pub bind: String,
    pub data_dir: PathBuf,
    pub workers: usize,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Database {
    pub url: String,
    pub pool_size: u32,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ActorSettings {
    pub username: String,
    pub display_name: String,
    pub summary: String,
    pub locked: bool,
    /// The author's other pages, linked with `rel="me"` from the profile page.
    pub links: Vec<String>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Publishing {
    pub articles_as: ArticlesAs,
    pub note_max_chars: usize,
}

/// What an article is sent as (see `publishing.articles_as`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ArticlesAs {
    Article,
    Note,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Comments {
    pub policy: CommentPolicy,
    pub max_fetch_depth: u32,
}

/// What happens to replies (see `comments.policy`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum CommentPolicy {
    Open,
    Approve,
    Followers,
    Off,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Federation {
    pub debug: bool,
    pub http_fetch_limit: u32,
    pub fetch_timeout_seconds: u64,
    /// Whether incoming RFC 9421 signatures are read (otherwise only draft-cavage).
    pub accept_rfc9421: bool,
    /// Servers (`host[:port]`) that are sent RFC 9421 signatures from the start; every other
    /// server gets draft-cavage until it shows that it verifies RFC 9421.
    #[serde(default)]
    pub rfc9421_hosts: Vec<String>,
    /// Whether GETs of the author's objects and collections must be signed.
    pub authorized_fetch: bool,
    /// Inbox POSTs taken per minute from one remote server (0: no limit).
    pub inbox_rate_per_minute: u32,
    /// Inbox POSTs taken per minute from one client address, before verification (0: no limit).
    pub inbox_rate_per_address_per_minute: u32,
    /// An HTTP(S) proxy for every outgoing connection ("": none; the environment's proxy
    /// variables are never read).
    pub proxy: String,
}

impl Federation {
    /// The configured proxy (validated at load).
    pub fn proxy_url(&self) -> Option<url::Url> {
        Some(self.proxy.trim())
            .filter(|p| !p.is_empty())
            .and_then(|p| url::Url::parse(p).ok())
    }
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Delivery {
    pub concurrency: usize,
    pub poll_interval_ms: u64,
    pub retry_base_seconds: f64,
    pub retry_max_seconds: f64,
    pub give_up_after_hours: f64,
    pub unreachable_probe_hours: f64,
    pub timeout_seconds: u64,
    /// The most deliveries waiting (pending or parked) for one server; more are not queued.
    pub max_waiting_per_host: u32,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Web {
    /// Reverse proxies (addresses or CIDR blocks) whose `X-Forwarded-For` is believed.
    pub trusted_proxies: Vec<String>,
    /// Memory for answers kept by the page cache, in KiB (0: no cache).
    pub page_cache_kib: usize,
}

impl Web {
    /// The trusted proxies, parsed (validated at load).
    pub fn proxies(&self) -> Vec<crate::net::IpRange> {
        self.trusted_proxies
            .iter()
            .filter_map(|p| crate::net::IpRange::parse(p).ok())
            .collect()
    }
}

/// Who may read `GET /metrics`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MetricsSettings {
    /// A bearer token that opens `/metrics` on the public listener ("": closed there).
    pub token: String,
    /// A loopback address of its own serving `/metrics` and `/healthz` without a token ("": none).
    pub listen: String,
}

impl MetricsSettings {
    /// The metrics listener's address, if there is one (validated at load: loopback only).
    pub fn listen_addr(&self) -> Option<std::net::SocketAddr> {
        self.listen.parse().ok()
    }
}

/// How log lines are written (to stderr).
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Log {
    pub format: LogFormat,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum LogFormat {
    /// One readable line per event.
    Text,
    /// One JSON object per line, for a log collector.
    Json,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Retention {
    /// Days the bodies of received activities are kept (their ids stay, for replay detection).
    pub received_activity_days: u32,
    /// Days deliveries that went through or were given up on are kept.
    pub finished_delivery_days: u32,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Media {
    /// The largest upload accepted, in bytes.
    pub max_bytes: usize,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Api {
    /// Login attempts (the login page and the password grant) allowed per client address...
    pub login_attempts: u32,
    /// ...and app registrations...
    pub app_registrations: u32,
    /// ...in this many seconds.
    pub limit_window_seconds: u64,
}

impl Delivery {
    pub fn poll_interval(&self) -> Duration {
        Duration::from_millis(self.poll_interval_ms)
    }
    pub fn timeout(&self) -> Duration {
        Duration::from_secs(self.timeout_seconds)
    }
}

impl Settings {
    /// Defaults, then `file` (if any), then `PERCH__…` variables from `env`.
    pub fn load(
        file: Option<&std::path::Path>,
        env: impl IntoIterator<Item = (String, String)>,
    ) -> Result<Settings, ConfigError> {
        let mut merged = parse_toml(DEFAULT_TOML, "config/default.toml")?;
        if let Some(path) = file {
            let text = std::fs::read_to_string(path).map_err(|source| ConfigError::Read {
                path: path.to_owned(),
                source,
            })?;
            let user = parse_toml(&text, &path.display().to_string())?;
            merge(&mut merged, user, "")?;
        }
        for (name, raw) in env {
            let Some(rest) = name.strip_prefix("PERCH__") else {
                continue;
            };
            let path: Vec<String> = rest.split("__").map(|s| s.to_ascii_lowercase()).collect();
            set_from_env(&mut merged, &path, &raw)?;
        }
        Settings::from_value(merged)
    }

    /// Defaults with a few keys changed in code (tests, benches).
    pub fn from_overrides(overrides: &[(&str, toml::Value)]) -> Result<Settings, ConfigError> {
        let mut merged = parse_toml(DEFAULT_TOML, "config/default.toml")?;
        for (key, value) in overrides {
            let path: Vec<String> = key.split('.').map(str::to_owned).collect();
            let slot = lookup_mut(&mut merged, &path)?;
            *slot = value.clone();
        }
        Settings::from_value(merged)
    }

    /// A debug-mode instance on 127.0.0.1 with port 0 (known as `localhost:PORT`), its data in
    /// `data_dir`, quick to retry and to poll: what tests and benchmarks start.
    pub fn loopback(
        data_dir: &std::path::Path,
        extra: &[(&str, toml::Value)],
    ) -> Result<Settings, ConfigError> {
        let mut overrides: Vec<(&str, toml::Value)> = vec![
            ("federation.debug", true.into()),
            ("server.bind", "127.0.0.1:0".into()),
            ("server.domain", "localhost:0".into()),
            ("server.data_dir", data_dir.display().to_string().into()),
            ("server.workers", 1.into()),
            ("database.pool_size", 4.into()),
            ("delivery.poll_interval_ms", 50.into()),
            ("delivery.retry_base_seconds", 0.2.into()),
            ("delivery.retry_max_seconds", 1.0.into()),
        ];
        overrides.extend(extra.iter().cloned());
        Settings::from_overrides(&overrides)
    }

    fn from_value(value: toml::Value) -> Result<Settings, ConfigError> {
        let settings: Settings =
            serde_path_to_error::deserialize(value).map_err(|e| ConfigError::Key {
                key: e.path().to_string(),
                message: e.inner().to_string(),
            })?;
        settings.validate()?;
        Ok(settings)
    }

    pub fn bind_addr(&self) -> Result<SocketAddr, ConfigError> {
        self.server.bind.parse().map_err(|e| ConfigError::Key {
            key: "server.bind".into(),
            message: format!("`{}` is not an address:port: {e}", self.server.bind),
        })
    }

    /// Where the database lives: `[database] url` as a PostgreSQL URL or a SQLite path, or
    /// empty for the SQLite file `<data_dir>/perch.db`.
    pub fn database(&self) -> crate::db::Location {
        crate::db::Location::parse(&self.database.url, &self.server.data_dir.join("perch.db"))
    }
}

mod load;
mod validate;
use load::{lookup_mut, merge, parse_toml, set_from_env};

#[cfg(test)]
mod tests;
