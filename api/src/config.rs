//! The api binary's typed configuration, read once from the environment at start-up.

use std::{net::SocketAddr, path::PathBuf, time::Duration};

use tiketi_core::infra::config::{optional, ranged, var_or, ConfigError, Infra};

#[derive(Debug, Clone)]
pub struct ApiConfig {
    pub infra: Infra,
    pub addr: SocketAddr,
    /// Where `/metrics` is served; never on the public api port.
    pub metrics_addr: Option<SocketAddr>,
    pub jwt_secret: String,
    pub jwt_ttl: Duration,
    pub cors_origins: Vec<String>,
    pub web_dist: Option<PathBuf>,
    pub body_limit_bytes: usize,
    /// Take the client address from `X-Forwarded-For` (only behind our own load balancer).
    pub trust_proxy: bool,
    /// How many proxies of ours append to `X-Forwarded-For`: the client address is that
    /// many hops from the right, so whatever the client wrote to the left is ignored.
    pub trusted_proxy_hops: usize,
    pub auth_rate_per_ip_per_minute: u32,
    pub auth_rate_per_email_per_minute: u32,
    /// Waiting-room join, status and leave calls, per fan and per client address.
    pub queue_rate_per_user_per_minute: u32,
    pub queue_rate_per_ip_per_minute: u32,
    /// Seat reserves and ticket orders, per fan (together).
    pub reserve_rate_per_user_per_minute: u32,
    /// Open WebSockets per client address, per api process.
    pub ws_max_connections_per_ip: usize,
    /// How often an open WebSocket re-checks its token (sign-out, expiry).
    pub ws_token_recheck: Duration,
    pub cache: CacheTtls,
    pub partitions: u16,
    pub max_seats_per_order: usize,
    pub reserve_reply_timeout: Duration,
    pub mock_payment_latency: Duration,
    /// How often a changed event's seat map and detail are rebuilt in the cache.
    pub cache_refresh_interval: Duration,
}

#[derive(Debug, Clone, Copy)]
pub struct CacheTtls {
    pub event_list: Duration,
    pub event_detail: Duration,
    pub seat_map: Duration,
    pub local: Duration,
}

impl ApiConfig {
    pub fn from_env() -> Result<Self, ConfigError> {
        let infra = Infra::from_env()?;
        let addr = var_or("API_ADDR", SocketAddr::from(([127, 0, 0, 1], 3001)))?;
        let metrics_addr: Option<SocketAddr> = optional("METRICS_ADDR")?;
        let listeners: Vec<SocketAddr> = std::iter::once(addr).chain(metrics_addr).collect();
        let jwt_secret = tiketi_core::infra::config::jwt_secret(infra.environment, &listeners)?;
        let cors_origins = var_or::<String>("CORS_ORIGINS", String::new())?
            .split(',')
            .map(|s| s.trim().to_string())
            .filter(|s| !s.is_empty())
            .collect();
        Ok(Self {
            addr,
            metrics_addr,
            jwt_secret,
            jwt_ttl: Duration::from_secs(ranged("JWT_TTL_SECONDS", 86_400, 60..=2_592_000)?),
            cors_origins,
            web_dist: optional::<PathBuf>("WEB_DIST")?,
            body_limit_bytes: ranged("BODY_LIMIT_BYTES", 64 * 1024, 1024..=10 * 1024 * 1024)?,
            trust_proxy: var_or("TRUST_PROXY", false)?,
            trusted_proxy_hops: ranged("TRUSTED_PROXY_HOPS", 1usize, 1..=16)?,
            auth_rate_per_ip_per_minute: ranged("AUTH_RATE_PER_IP_PER_MINUTE", 60, 1..=1_000_000)?,
            auth_rate_per_email_per_minute: ranged(
                "AUTH_RATE_PER_EMAIL_PER_MINUTE",
                10,
                1..=1_000_000,
            )?,
            queue_rate_per_user_per_minute: ranged(
                "QUEUE_RATE_PER_USER_PER_MINUTE",
                120,
                1..=1_000_000,
            )?,
            queue_rate_per_ip_per_minute: ranged(
                "QUEUE_RATE_PER_IP_PER_MINUTE",
                6_000,
                1..=100_000_000,
            )?,
            reserve_rate_per_user_per_minute: ranged(
                "RESERVE_RATE_PER_USER_PER_MINUTE",
                30,
                1..=1_000_000,
            )?,
            ws_max_connections_per_ip: ranged("WS_MAX_CONNECTIONS_PER_IP", 50usize, 1..=1_000_000)?,
            ws_token_recheck: Duration::from_millis(ranged(
                "WS_TOKEN_RECHECK_MS",
                15_000u64,
                100..=3_600_000,
            )?),
            cache: CacheTtls {
                event_list: Duration::from_secs(ranged(
                    "CACHE_TTL_EVENT_LIST_SECONDS",
                    30,
                    1..=3600,
                )?),
                event_detail: Duration::from_secs(ranged(
                    "CACHE_TTL_EVENT_DETAIL_SECONDS",
                    60,
                    1..=3600,
                )?),
                seat_map: Duration::from_secs(ranged("CACHE_TTL_SEAT_MAP_SECONDS", 60, 1..=3600)?),
                local: Duration::from_millis(ranged("LOCAL_CACHE_TTL_MS", 1000, 1..=60_000)?),
            },
            partitions: ranged("PARTITIONS", 8u16, 1..=256)?,
            max_seats_per_order: ranged("MAX_SEATS_PER_ORDER", 4usize, 1..=20)?,
            reserve_reply_timeout: Duration::from_millis(ranged(
                "RESERVE_REPLY_TIMEOUT_MS",
                5000u64,
                10..=60_000,
            )?),
            mock_payment_latency: Duration::from_millis(ranged(
                "MOCK_PAYMENT_LATENCY_MS",
                300u64,
                0..=30_000,
            )?),
            cache_refresh_interval: Duration::from_millis(ranged(
                "CACHE_REFRESH_INTERVAL_MS",
                250u64,
                10..=60_000,
            )?),
            infra,
        })
    }
}
