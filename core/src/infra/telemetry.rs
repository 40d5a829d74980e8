//! Logs and metrics setup shared by every binary, so all of them speak the same format
//! and histogram buckets.

use metrics_exporter_prometheus::{Matcher, PrometheusBuilder, PrometheusHandle};
use tracing_subscriber::{fmt, prelude::*, EnvFilter};

use crate::infra::config::LogFormat;

/// Installs the global `tracing` subscriber. `RUST_LOG` filters; `LOG_FORMAT` picks
/// human-readable or JSON lines.
pub fn init_tracing(format: LogFormat) {
    let filter = EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| EnvFilter::new("info,sqlx=warn,lapin=warn,tower_http=info"));
    let registry = tracing_subscriber::registry().with(filter);
    // `try_init` so tests that build several apps in one process do not panic.
    let _ = match format {
        LogFormat::Pretty => registry.with(fmt::layer().with_target(false)).try_init(),
        LogFormat::Json => registry
            .with(
                fmt::layer()
                    .json()
                    .flatten_event(true)
                    .with_current_span(true),
            )
            .try_init(),
    };
}

/// Millisecond-scale buckets (0.5 ms … 10 s) for every `*_seconds` histogram.
pub const LATENCY_BUCKETS: &[f64] = &[
    0.0005, 0.001, 0.0025, 0.005, 0.0075, 0.01, 0.025, 0.05, 0.075, 0.1, 0.25, 0.5, 0.75, 1.0, 2.5,
    5.0, 10.0,
];

/// Installs the Prometheus recorder once per process and returns a handle that renders
/// `/metrics`. With `listen`, the exporter also serves `/metrics` on that address (for the
/// worker and sweeper, which have no router of their own); it must then be called inside a
/// Tokio runtime. Later calls (tests building several apps) get the first handle back.
pub fn install_metrics(listen: Option<std::net::SocketAddr>) -> anyhow::Result<PrometheusHandle> {
    static HANDLE: std::sync::OnceLock<PrometheusHandle> = std::sync::OnceLock::new();
    if let Some(handle) = HANDLE.get() {
        return Ok(handle.clone());
    }
    let builder = PrometheusBuilder::new()
        .set_buckets_for_metric(Matcher::Suffix("_seconds".into()), LATENCY_BUCKETS)?
        .set_buckets_for_metric(
            Matcher::Full("tiketi_worker_batch_size".into()),
            &[1.0, 2.0, 4.0, 8.0, 16.0, 32.0, 64.0, 128.0],
        )?;
    // `build()` binds an HTTP listener (0.0.0.0:9000 by default) even when none was asked
    // for; without an address, build the recorder alone.
    let (recorder, exporter) = match listen {
        Some(addr) => {
            let (recorder, exporter) = builder
                .with_http_listener(addr)
                .build()
                .map_err(|e| anyhow::anyhow!("METRICS_ADDR {addr} cannot be served: {e}"))?;
            (recorder, Some(exporter))
        }
        None => (builder.build_recorder(), None),
    };
    let handle = recorder.handle();
    if HANDLE.set(handle.clone()).is_err() {
        // Another thread won the race; its recorder is the global one.
        return Ok(HANDLE.get().expect("set above").clone());
    }
    metrics::set_global_recorder(recorder)?;
    if let Some(exporter) = exporter {
        tokio::spawn(async move {
            if let Err(e) = exporter.await {
                tracing::error!(error = ?e, "metrics listener stopped");
            }
        });
    }
    let upkeep = handle.clone();
    // Histograms are drained periodically; without this their memory grows.
    std::thread::spawn(move || loop {
        std::thread::sleep(std::time::Duration::from_secs(5));
        upkeep.run_upkeep();
    });
    Ok(handle)
}

/// The process a metric comes from: each binary exports only the metrics it owns.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Binary {
    Api,
    Worker,
    Sweeper,
}

/// Reservation outcomes the worker records (`reserved` or a rejection code).
const WORKER_OUTCOMES: &[&str] = &[
    "reserved",
    "SEAT_UNAVAILABLE",
    "SOLD_OUT",
    "ALREADY_HOLDING",
    "EVENT_NOT_ON_SALE",
    "INVALID_ORDER",
];

/// Describes the metrics `binary` owns (`# HELP` lines) and starts its counters and gauges
/// at zero. A series that only appears with its first event makes `rate()` miss that
/// event and leaves dashboards at "no data" where the truth is 0 dropped clients or 0
/// expired holds. Call once after [`install_metrics`]; calling again changes nothing.
pub fn describe_metrics(binary: Binary) {
    use metrics::{describe_counter, describe_gauge, describe_histogram, Unit};
    match binary {
        Binary::Api => {
            describe_counter!(
                "tiketi_http_requests_total",
                "HTTP requests by route template, method and status"
            );
            describe_histogram!(
                "tiketi_http_request_duration_seconds",
                Unit::Seconds,
                "HTTP request latency by route template and method"
            );
            describe_histogram!(
                "tiketi_amqp_publish_seconds",
                Unit::Seconds,
                "Publishing a command until RabbitMQ confirms it"
            );
            describe_gauge!("tiketi_ws_connections", "Open WebSocket connections");
            describe_counter!(
                "tiketi_ws_messages_sent_total",
                "Messages written to WebSocket clients"
            );
            describe_counter!(
                "tiketi_ws_dropped_clients_total",
                "WebSocket clients disconnected because they read too slowly"
            );
            metrics::gauge!("tiketi_ws_connections").increment(0.0);
            metrics::counter!("tiketi_ws_messages_sent_total").increment(0);
            metrics::counter!("tiketi_ws_dropped_clients_total").increment(0);
            metrics::counter!("tiketi_reservation_requests_total", "outcome" => "fast_reject")
                .increment(0);
            for cache in [
                "event_list",
                "event_detail",
                "seat_map",
                "block_summary",
                "block_seats",
                "layouts",
            ] {
                for result in ["local_hit", "hit", "miss"] {
                    metrics::counter!("tiketi_cache_requests_total", "cache" => cache, "result" => result)
                        .increment(0);
                }
            }
        }
        Binary::Worker => {
            describe_histogram!(
                "tiketi_worker_batch_size",
                Unit::Count,
                "Commands decided together in one transaction"
            );
            describe_histogram!(
                "tiketi_worker_command_seconds",
                Unit::Seconds,
                "Worker time per command (batch time / batch size)"
            );
            describe_histogram!(
                "tiketi_seat_lock_acquire_seconds",
                Unit::Seconds,
                "Taking one command's seat locks in Redis"
            );
            describe_counter!(
                "tiketi_seat_lock_conflicts_total",
                "Commands rejected because another request held a seat"
            );
            describe_histogram!(
                "tiketi_reservation_e2e_seconds",
                Unit::Seconds,
                "From the api accepting a reserve request to the worker's decision"
            );
            describe_counter!(
                "tiketi_worker_poison_messages_total",
                "Unreadable commands dead-lettered"
            );
            metrics::counter!("tiketi_seat_lock_conflicts_total").increment(0);
            metrics::counter!("tiketi_worker_poison_messages_total").increment(0);
            for outcome in WORKER_OUTCOMES {
                metrics::counter!("tiketi_reservation_requests_total", "outcome" => *outcome)
                    .increment(0);
            }
        }
        Binary::Sweeper => {
            describe_counter!(
                "tiketi_holds_expired_total",
                "Holds released because they expired unpaid"
            );
            describe_gauge!(
                "tiketi_sweeper_leader",
                "1 while this sweeper holds the leader lease"
            );
            describe_counter!(
                "tiketi_seat_state_drift_total",
                "Seats whose Redis state the reconciler corrected"
            );
            metrics::counter!("tiketi_holds_expired_total").increment(0);
            metrics::counter!("tiketi_seat_state_drift_total").increment(0);
            describe_counter!(
                "tiketi_mail_sent_total",
                "E-mails the SMTP server accepted, by kind"
            );
            describe_counter!(
                "tiketi_mail_failed_total",
                "E-mails given up, by kind and reason (permanent refusal or attempts used up)"
            );
            describe_counter!(
                "tiketi_mail_retries_total",
                "E-mail attempts that failed and will be retried, by kind"
            );
            describe_counter!(
                "tiketi_mail_skipped_total",
                "E-mails dropped because what they announced no longer held, by kind"
            );
            describe_gauge!(
                "tiketi_mail_queue_depth",
                "E-mails in the outbox not yet sent (pending or being sent)"
            );
            describe_gauge!(
                "tiketi_mail_oldest_pending_seconds",
                Unit::Seconds,
                "Age of the oldest e-mail not yet sent"
            );
        }
    }
    if binary != Binary::Sweeper {
        describe_counter!(
            "tiketi_reservation_requests_total",
            "Reservation requests by outcome (api: fast_reject; worker: the decision)"
        );
    }
    describe_counter!(
        "tiketi_cache_requests_total",
        "Cache lookups by cache and result (local_hit, hit, miss)"
    );
}

/// Resolves on SIGINT (Ctrl-C) or SIGTERM.
pub async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! {
        _ = ctrl_c => {},
        _ = term => {},
    }
}
