//! Wiring: settings → database → local actor → federation config → HTTP server + delivery
//! worker. [`spawn`] binds first (port 0 allowed) and returns a handle; tests start the real
//! app through it.

use crate::{
    apub::signatures::RequestSigner,
    config::Settings,
    db::Db,
    delivery::{self, Queue},
    domain::Urls,
    error::{Error, Result},
    routes,
    services::setup,
    state::{AppState, Data, FederationConfig, LocalActor},
};
use activitypub_federation::config::FederationMiddleware;
use actix_web::{dev::ServerHandle, web, App, HttpServer};
use std::{net::TcpListener, sync::Arc, time::Duration};
use tokio::{sync::watch, task::JoinHandle};

/// Everything but the listener: what CLI commands work with.
#[derive(Clone)]
pub struct Instance {
    pub config: FederationConfig,
    state: AppState,
}

impl Instance {
    /// Opens the database (migrating it), ensures the local actor and builds the federation
    /// config. The first call creates the actor's key pair.
    pub async fn open(settings: Settings) -> Result<Instance> {
        let settings = Arc::new(settings);
        let db = {
            let at = settings.database();
            let pool = settings.database.pool_size;
            tokio::task::spawn_blocking(move || Db::open(at, pool)).await??
        };
        let urls = Urls::new(
            &settings.server.domain,
            &settings.actor.username,
            settings.federation.debug,
        );
        let (actor, created, profile) = {
            let (db, settings, urls) = (db.clone(), settings.clone(), urls.clone());
            tokio::task::spawn_blocking(move || -> Result<_> {
                let profile = crate::services::profile::load(&mut *db.conn()?, &settings)?;
                let (actor, created) = setup::ensure_local_actor(&db, &settings, &urls, &profile)?;
                Ok((actor, created, profile))
            })
            .await??
        };
        if created {
            tracing::info!(actor = %actor.ap_id, "created the local actor and its RSA-2048 key pair");
        }
        let signer = RequestSigner::from_pem(
            &actor.public_key_id,
            actor.private_key_pem.as_deref().unwrap_or_default(),
        )
        .map_err(|e| Error::Key(e.to_string()))?;
        let user_agent = format!("perch/{} (+{})", env!("CARGO_PKG_VERSION"), urls.base());
        let http = crate::net::client(
            settings.federation.debug,
            &user_agent,
            settings.federation.proxy_url().as_ref(),
        )?;
        let metrics = crate::metrics::Metrics::new();
        let state = AppState {
            settings: settings.clone(),
            db,
            urls,
            local: Arc::new(LocalActor { actor, signer }),
            http: http.clone(),
            queue: Queue::default(),
            profile: Arc::new(std::sync::RwLock::new(profile)),
            limits: Arc::new(crate::ratelimit::Limits::new(&settings.api, &settings.web)),
            inbox_limit: Arc::new(crate::ratelimit::Limiter::new(
                settings.federation.inbox_rate_per_minute,
                Duration::from_secs(60),
            )),
            inbox_address_limit: Arc::new(crate::ratelimit::Limiter::new(
                settings.federation.inbox_rate_per_address_per_minute,
                Duration::from_secs(60),
            )),
            metrics: metrics.clone(),
        };
        let config = FederationConfig::builder()
            .domain(settings.server.domain.clone())
            .app_data(state.clone())
            .debug(settings.federation.debug)
            .client(crate::apub::fetch_client::client(
                http.clone(),
                state.local.signer.clone(),
                settings.federation.debug,
                metrics,
            ))
            .url_verifier(Box::new(crate::apub::url_verifier::BlockedHosts {
                db: state.db.clone(),
            }))
            .http_fetch_limit(settings.federation.http_fetch_limit)
            .request_timeout(Duration::from_secs(
                settings.federation.fetch_timeout_seconds,
            ))
            .build()
            .await
            .map_err(Error::internal)?;
        Ok(Instance { config, state })
    }

    pub fn state(&self) -> &AppState {
        &self.state
    }

    /// A request handle (with its own fetch budget) for work outside HTTP handlers.
    pub fn data(&self) -> Data {
        self.config.to_request_data()
    }
}

/// A running server and its delivery worker.
pub struct RunningApp {
    pub instance: Instance,
    pub port: u16,
    /// The port of the `metrics.listen` listener, when there is one.
    pub metrics_port: Option<u16>,
    /// The public listener, then the metrics listener if there is one.
    servers: Vec<ServerHandle>,
    stop: watch::Sender<bool>,
    tasks: Vec<JoinHandle<()>>,
}

impl RunningApp {
    pub fn state(&self) -> &AppState {
        self.instance.state()
    }
    pub fn data(&self) -> Data {
        self.instance.data()
    }
    /// The public base URL (`http://localhost:PORT` in debug mode).
    pub fn base_url(&self) -> String {
        self.state().urls.base().to_owned()
    }

    /// Stops accepting requests and stops the worker; queued deliveries stay queued.
    pub async fn stop(self) {
        let _ = self.stop.send(true);
        for server in &self.servers {
            server.stop(false).await;
        }
        // The worker frees the leases of the sends it abandons (within its grace); anything
        // still running after that is cut short.
        let grace = delivery::worker::STOP_GRACE + std::time::Duration::from_secs(1);
        for mut t in self.tasks {
            if tokio::time::timeout(grace, &mut t).await.is_err() {
                t.abort();
                let _ = t.await;
            }
        }
    }
}

/// Binds, opens the instance and starts serving and delivering.
pub async fn spawn(mut settings: Settings) -> Result<RunningApp> {
    let listener = TcpListener::bind(settings.bind_addr()?)?;
    let port = listener.local_addr()?.port();
    if let Some(host) = settings.server.domain.strip_suffix(":0") {
        settings.server.domain = format!("{host}:{port}");
    }
    let workers = match settings.server.workers {
        0 => std::thread::available_parallelism().map_or(2, |n| n.get()),
        n => n,
    };
    let metrics_listener = match settings.metrics.listen_addr() {
        Some(addr) => Some(TcpListener::bind(addr)?),
        None => None,
    };
    let metrics_port = match &metrics_listener {
        Some(l) => Some(l.local_addr()?.port()),
        None => None,
    };
    let instance = Instance::open(settings).await?;
    let config = instance.config.clone();
    let metrics = web::Data::new(instance.state().metrics.clone());
    let cache = web::Data::new(routes::cache::PageCache::new(
        instance.state().db.clone(),
        instance.state().settings.web.page_cache_kib,
    ));
    let server = HttpServer::new(move || {
        App::new()
            .app_data(metrics.clone())
            .app_data(cache.clone())
            .wrap(FederationMiddleware::new(config.clone()))
            .wrap(actix_web::middleware::from_fn(routes::cache::serve))
            // `/oauth/authorize/` (toot) and `/api/v1/instance/` (Mastodon.py) are the same
            // routes without the slash, as on Mastodon.
            .wrap(actix_web::middleware::NormalizePath::new(
                actix_web::middleware::TrailingSlash::Trim,
            ))
            .wrap(actix_web::middleware::from_fn(routes::head::head_as_get))
            // Outermost, so that every response gets them.
            .wrap(actix_web::middleware::from_fn(
                routes::headers::security_headers,
            ))
            .wrap(actix_web::middleware::from_fn(routes::ops::count_requests))
            .app_data(web::JsonConfig::default().limit(routes::federation::INBOX_BODY_LIMIT))
            .configure(routes::configure)
    })
    .workers(workers)
    .disable_signals()
    .listen(listener)?
    .run();
    let handle = server.handle();
    let private = match metrics_listener {
        Some(listener) => {
            let config = instance.config.clone();
            let server = HttpServer::new(move || {
                App::new()
                    .wrap(FederationMiddleware::new(config.clone()))
                    .configure(routes::ops::configure_private)
            })
            .workers(1)
            .disable_signals()
            .listen(listener)?
            .run();
            Some(server)
        }
        None => None,
    };
    let (stop, stop_rx) = watch::channel(false);
    let server_task = tokio::spawn(async move {
        if let Err(e) = server.await {
            tracing::error!(error = %e, "http server failed");
        }
    });
    let mut servers = vec![handle];
    let mut tasks = vec![server_task];
    if let Some(server) = private {
        servers.push(server.handle());
        tasks.push(tokio::spawn(async move {
            if let Err(e) = server.await {
                tracing::error!(error = %e, "metrics listener failed");
            }
        }));
    }
    let worker_task = tokio::spawn(delivery::worker::run(
        instance.state().clone(),
        stop_rx.clone(),
    ));
    let sweeper_task = tokio::spawn(crate::services::housekeeping::sweeper(
        instance.state().clone(),
        stop_rx,
    ));
    tasks.extend([worker_task, sweeper_task]);
    Ok(RunningApp {
        instance,
        port,
        metrics_port,
        servers,
        stop,
        tasks,
    })
}

/// `perch serve`: runs until Ctrl-C or SIGTERM.
pub async fn run(settings: Settings) -> Result<()> {
    let db_at = settings.database().shown();
    let ip = settings.bind_addr()?.ip();
    let app = spawn(settings).await?;
    tracing::info!(
        "perch {} serving {} on {}:{} (database: {}); set the login password with `perch passwd`",
        env!("CARGO_PKG_VERSION"),
        app.state().urls.actor(),
        ip,
        app.port,
        db_at,
    );
    if let (Some(port), Some(addr)) = (app.metrics_port, app.state().settings.metrics.listen_addr())
    {
        let at = std::net::SocketAddr::new(addr.ip(), port);
        tracing::info!("metrics and health on http://{at}/metrics");
    }
    shutdown_signal().await;
    tracing::info!("shutting down; queued deliveries stay queued");
    app.stop().await;
    Ok(())
}

async fn shutdown_signal() {
    #[cfg(unix)]
    {
        let mut term =
            match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
                Ok(s) => s,
                Err(_) => {
                    let _ = tokio::signal::ctrl_c().await;
                    return;
                }
            };
        tokio::select! {
            _ = tokio::signal::ctrl_c() => {}
            _ = term.recv() => {}
        }
    }
    #[cfg(not(unix))]
    {
        let _ = tokio::signal::ctrl_c().await;
    }
}
