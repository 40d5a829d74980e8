//! Building the api (state, router, listener) and running it until a shutdown signal, with
//! in-flight requests finishing and background tasks stopped before it returns.

use std::{net::SocketAddr, sync::Arc};

use axum::{
    extract::DefaultBodyLimit,
    http::{HeaderName, HeaderValue, Method, Request},
    middleware,
    routing::{delete, get, post, put},
    Router,
};
use sqlx::PgPool;
use tiketi_core::{
    infra::amqp::Broker, infra::cache::Cache, infra::redis::Keys, payment::MockProvider,
    reservation::commands::Topology, reservation::seat_state::SeatState, user::auth::Tokens,
    waiting_room::admission::Admissions, waiting_room::WaitingRoom,
};
use tokio::net::TcpListener;
use tokio_util::{sync::CancellationToken, task::TaskTracker};
use tower::ServiceBuilder;
use tower_http::{
    cors::{AllowOrigin, CorsLayer},
    request_id::{MakeRequestUuid, PropagateRequestIdLayer, SetRequestIdLayer},
    services::ServeDir,
    set_header::SetResponseHeaderLayer,
    trace::TraceLayer,
};

use crate::{
    config::ApiConfig,
    dispatch::Dispatcher,
    error::ApiError,
    fanout::Fanout,
    middleware::{security_headers, track_metrics},
    rate_limit::Limits,
    refresh::Refresher,
    routes::{
        admin, auth, checkin, docs, events, exports, health, media, openapi, payments, queue,
        reservations, seats, tickets,
    },
    state::AppState,
    ws::Hub,
};

pub struct Application {
    listener: TcpListener,
    router: Router,
    state: AppState,
    shutdown: CancellationToken,
    tasks: TaskTracker,
}

impl Application {
    /// Connects to the infrastructure named in `config` and binds `config.addr`.
    pub async fn build(config: ApiConfig) -> anyhow::Result<Self> {
        let pool = tiketi_core::infra::db::connect_lazy(
            &config.infra.database_url,
            config.infra.database_max_connections,
        )?;
        Self::build_with_pool(config, pool).await
    }

    /// As [`Application::build`], with a pool made by the caller (tests use a fresh database).
    pub async fn build_with_pool(config: ApiConfig, pool: PgPool) -> anyhow::Result<Self> {
        // Serves /metrics on METRICS_ADDR only; the public router never exposes it.
        tiketi_core::infra::telemetry::install_metrics(config.metrics_addr)?;
        tiketi_core::infra::telemetry::describe_metrics(tiketi_core::infra::telemetry::Binary::Api);
        let redis = tiketi_core::infra::redis::connect(&config.infra).await?;
        let keys = Keys::new(config.infra.redis_prefix.clone());
        let broker = Arc::new(Broker::new(config.infra.amqp_url.clone()));
        if let Err(e) = broker.connect().await {
            // Reads still work without RabbitMQ; health reports it until it is back. A
            // rejected certificate is a misconfiguration that waiting will not fix.
            if tiketi_core::infra::tls::is_rejected(&e) {
                return Err(e);
            }
            tracing::warn!(error = %e, "RabbitMQ is not reachable yet");
        }
        if let Err(e) = pool.acquire().await {
            let e = tiketi_core::infra::tls::connect_error("DATABASE_URL", &e);
            if tiketi_core::infra::tls::is_rejected(&e) {
                return Err(e);
            }
            tracing::warn!(error = %e, "PostgreSQL is not reachable yet");
        }
        let topology = Topology::new(config.infra.amqp_prefix.clone(), config.partitions)
            .with_quorum_group_size(config.infra.amqp_quorum_group_size);
        let shutdown = CancellationToken::new();
        let state = AppState {
            cache: Cache::new(redis.clone(), keys.clone(), config.cache.local),
            seats: SeatState::new(keys.clone()),
            dispatcher: Arc::new(Dispatcher::new(broker.clone(), topology)),
            provider: MockProvider {
                latency: config.mock_payment_latency,
            },
            hub: Arc::new(Hub::new(Fanout::new(config.infra.redis_mode, keys.clone()))),
            refresher: Refresher::default(),
            shutdown: shutdown.clone(),
            room: WaitingRoom::new(keys.clone()),
            admissions: Admissions::new(&config.jwt_secret),
            pow: tiketi_core::guard::pow::ProofOfWork::new(&config.jwt_secret, keys.clone()),
            rooms: crate::rooms::rooms(),
            ws_clients: Default::default(),
            ticket_keys: tiketi_core::ticket::TicketKeys::new(&config.ticket_signing_secret),
            media: crate::media::Media::new(
                tiketi_core::media::MediaStore::new(&config.media)?,
                config.media.max_pixels,
            ),
            limits: Arc::new(Limits::new(&config, redis.clone(), keys.clone())),
            tokens: Tokens::new(&config.jwt_secret, config.jwt_ttl, keys),
            pool,
            redis,
            broker,
            config: Arc::new(config),
        };
        let listener = bind(state.config.addr)
            .map_err(|e| anyhow::anyhow!("API_ADDR {} cannot be bound: {e}", state.config.addr))?;
        Ok(Self {
            router: router(state.clone()),
            listener,
            state,
            shutdown,
            tasks: TaskTracker::new(),
        })
    }

    pub fn local_addr(&self) -> SocketAddr {
        self.listener
            .local_addr()
            .expect("a bound listener has an address")
    }

    /// Cancelling this token stops the server gracefully.
    pub fn shutdown_token(&self) -> CancellationToken {
        self.shutdown.clone()
    }

    pub async fn run_until_stopped(self) -> anyhow::Result<()> {
        let Self {
            listener,
            router,
            state,
            shutdown,
            tasks,
        } = self;
        tasks.spawn(
            state
                .cache
                .clone()
                .listen_for_invalidations(state.config.infra.clone(), shutdown.clone()),
        );
        tasks.spawn(state.hub.fanout().run(
            state.hub.clone(),
            state.config.infra.clone(),
            state.refresher.clone(),
            shutdown.clone(),
        ));
        tasks.spawn(state.refresher.clone().run(
            crate::refresh::Sources {
                pool: state.pool.clone(),
                redis: state.redis.clone(),
                cache: state.cache.clone(),
                ttls: state.config.cache,
            },
            state.config.cache_refresh_interval,
            shutdown.clone(),
        ));
        tasks.close();
        tracing::info!(addr = %listener.local_addr()?, "api listening");
        axum::serve(
            listener,
            router.into_make_service_with_connect_info::<SocketAddr>(),
        )
        .with_graceful_shutdown(shutdown.clone().cancelled_owned())
        .await?;
        // In-flight requests are done; now stop the background tasks and wait for them.
        shutdown.cancel();
        tasks.wait().await;
        state.broker.close().await;
        tracing::info!("api stopped");
        Ok(())
    }
}

/// Pending connections the kernel may queue before the api accepts them. An on-sale opens
/// with thousands of fans connecting within a second; tokio's default of 1,024 would turn
/// some of them away before the first request (the kernel caps it at `somaxconn`).
const LISTEN_BACKLOG: u32 = 8192;

fn bind(addr: SocketAddr) -> std::io::Result<TcpListener> {
    let socket = if addr.is_ipv4() {
        tokio::net::TcpSocket::new_v4()?
    } else {
        tokio::net::TcpSocket::new_v6()?
    };
    socket.set_reuseaddr(true)?;
    socket.set_nodelay(true)?;
    socket.bind(addr)?;
    socket.listen(LISTEN_BACKLOG)
}

async fn api_not_found() -> ApiError {
    ApiError::NotFound {
        code: "ROUTE_NOT_FOUND",
        message: "no such endpoint",
    }
}

async fn method_not_allowed() -> ApiError {
    ApiError::MethodNotAllowed
}

pub fn router(state: AppState) -> Router {
    let config = state.config.clone();
    let api = Router::new()
        .route("/auth/register", post(auth::register))
        .route("/auth/login", post(auth::login))
        .route("/auth/me", get(auth::me).patch(auth::update_me))
        .route("/auth/logout", post(auth::logout))
        .route("/events", get(events::list))
        .route("/events/{id}", get(events::detail))
        .route("/seats/layouts", get(seats::layouts))
        .route("/seats/events/{event_id}", get(seats::seat_map))
        .route("/seats/events/{event_id}/blocks", get(seats::block_summary))
        .route(
            "/seats/events/{event_id}/blocks/{block_id}",
            get(seats::block_seats),
        )
        .route("/seats/reserve", post(reservations::reserve_seats))
        .route(
            "/seats/requests/{request_id}",
            get(reservations::request_status),
        )
        .route(
            "/seats/reservation/{id}",
            get(reservations::get_seat_reservation),
        )
        .route("/reservations", post(reservations::order_tickets))
        .route("/reservations/my", get(reservations::mine))
        .route("/reservations/{id}", get(reservations::get))
        .route("/reservations/{id}/cancel", post(reservations::cancel))
        .route("/payments/methods", get(payments::methods))
        .route("/payments/process", post(payments::process))
        .route("/queue/{event_id}/challenge", get(queue::challenge))
        .route("/queue/{event_id}/join", post(queue::join))
        .route("/queue/{event_id}/status", get(queue::status))
        .route("/queue/{event_id}", delete(queue::leave))
        .route(
            "/admin/events",
            get(admin::list_events).post(admin::create_event),
        )
        .route("/admin/events/{id}", put(admin::update_event))
        .route("/admin/events/{id}/cancel", post(admin::cancel_event))
        .route(
            "/admin/events/{id}/cancel-impact",
            get(exports::cancel_impact),
        )
        .route(
            "/admin/events/{id}/reservations.csv",
            get(exports::reservations_csv),
        )
        .route("/admin/events/{id}/sales.csv", get(exports::sales_csv))
        .route(
            "/admin/events/{id}/poster",
            post(media::upload_poster).layer(DefaultBodyLimit::max(config.media.max_upload_bytes)),
        )
        .route("/admin/reservations", get(admin::list_reservations))
        .route(
            "/admin/layouts",
            get(admin::list_layouts).post(admin::create_layout),
        )
        .route("/admin/dashboard/stats", get(admin::dashboard_stats))
        .route("/admin/audit", get(admin::audit))
        .route("/reservations/{id}/tickets", get(tickets::list))
        .route("/checkin/scan", post(checkin::scan))
        .route("/checkin/sync", post(checkin::sync))
        .route("/checkin/me", get(checkin::me))
        .route(
            "/checkin/events/{event_id}/offline",
            get(checkin::offline_bundle),
        )
        .route(
            "/admin/events/{id}/gates",
            get(checkin::list_gates).post(checkin::create_gate),
        )
        .route("/admin/events/{id}/checkin", get(checkin::stats))
        .route("/health", get(health::health))
        .route("/openapi.json", get(openapi::document))
        .route("/docs", get(docs::page))
        .route("/docs/{asset}", get(docs::asset))
        .route_layer(middleware::from_fn(track_metrics))
        .fallback(api_not_found)
        .method_not_allowed_fallback(method_not_allowed);

    let mut app = Router::new()
        .nest("/api", api)
        .route("/ws", get(crate::ws::upgrade));
    if let tiketi_core::media::StoreConfig::Local { dir } = &config.media.store {
        // Uploaded posters, when they are stored on this machine.
        app = app.nest_service(
            "/media",
            ServiceBuilder::new()
                .layer(SetResponseHeaderLayer::overriding(
                    axum::http::header::CACHE_CONTROL,
                    media::immutable,
                ))
                .service(ServeDir::new(dir).not_found_service(axum::routing::any(api_not_found))),
        );
    }
    app = match &config.web_dist {
        Some(dist) if dist.join("index.html").is_file() => {
            app.fallback_service(crate::web::app(dist))
        }
        _ => app.fallback(api_not_found),
    };

    let mut layers = Router::new().merge(app);
    for header in security_headers() {
        layers = layers.layer(header);
    }
    let request_id = HeaderName::from_static("x-request-id");
    layers
        .layer(crate::socketio::layer(state.clone()))
        .layer(DefaultBodyLimit::max(config.body_limit_bytes))
        .layer(cors(&config))
        .layer(
            ServiceBuilder::new()
                .layer(SetRequestIdLayer::new(request_id.clone(), MakeRequestUuid))
                .layer(TraceLayer::new_for_http().make_span_with(|req: &Request<_>| {
                    let id = req.headers().get("x-request-id").and_then(|v| v.to_str().ok()).unwrap_or("-");
                    tracing::info_span!("request", method = %req.method(), path = %req.uri().path(), request_id = %id)
                }))
                .layer(PropagateRequestIdLayer::new(request_id)),
        )
        .with_state(state)
}

fn cors(config: &ApiConfig) -> CorsLayer {
    let origins: Vec<HeaderValue> = config
        .cors_origins
        .iter()
        .filter_map(|o| o.parse().ok())
        .collect();
    if origins.is_empty() {
        // Same-origin only: the web app is served by this process.
        return CorsLayer::new();
    }
    CorsLayer::new()
        .allow_origin(AllowOrigin::list(origins))
        .allow_methods([Method::GET, Method::POST, Method::PUT, Method::DELETE])
        .allow_headers([
            axum::http::header::AUTHORIZATION,
            axum::http::header::CONTENT_TYPE,
            axum::http::header::IF_NONE_MATCH,
            HeaderName::from_static("idempotency-key"),
            HeaderName::from_static("prefer"),
            HeaderName::from_static("x-admission-token"),
        ])
        .expose_headers([
            axum::http::header::ETAG,
            axum::http::header::RETRY_AFTER,
            HeaderName::from_static("x-request-id"),
        ])
        .max_age(std::time::Duration::from_secs(600))
}
