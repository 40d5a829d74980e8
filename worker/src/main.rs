use tiketi_worker::WorkerConfig;

#[tokio::main]
async fn main() {
    if let Err(e) = run().await {
        eprintln!("tiketi-worker: {e:#}");
        std::process::exit(1);
    }
}

async fn run() -> anyhow::Result<()> {
    let config = WorkerConfig::from_env()?;
    tiketi_core::infra::telemetry::init_tracing(config.infra.log_format);
    tiketi_core::infra::telemetry::install_metrics(config.metrics_addr)?;
    tiketi_core::infra::telemetry::describe_metrics(tiketi_core::infra::telemetry::Binary::Worker);
    let pool = tiketi_core::infra::db::connect(
        &config.infra.database_url,
        config.infra.database_max_connections,
    )
    .await?;
    let shutdown = tokio_util::sync::CancellationToken::new();
    let stop = shutdown.clone();
    tokio::spawn(async move {
        tiketi_core::infra::telemetry::shutdown_signal().await;
        tracing::info!("shutdown signal received; finishing the batches in hand");
        stop.cancel();
    });
    tracing::info!(
        partitions = config.partitions,
        index = config.worker_index,
        "worker starting"
    );
    tiketi_worker::run(config, pool, shutdown).await?;
    tracing::info!("worker stopped");
    Ok(())
}
