use tiketi_sweeper::{Sweeper, SweeperConfig};

#[tokio::main]
async fn main() {
    if let Err(e) = run().await {
        eprintln!("tiketi-sweeper: {e:#}");
        std::process::exit(1);
    }
}

async fn run() -> anyhow::Result<()> {
    let config = SweeperConfig::from_env()?;
    tiketi_core::infra::telemetry::init_tracing(config.infra.log_format);
    tiketi_core::infra::telemetry::install_metrics(config.metrics_addr)?;
    tiketi_core::infra::telemetry::describe_metrics(tiketi_core::infra::telemetry::Binary::Sweeper);
    let pool = tiketi_core::infra::db::connect(&config.infra.database_url, 5).await?;
    let shutdown = tokio_util::sync::CancellationToken::new();
    let stop = shutdown.clone();
    tokio::spawn(async move {
        tiketi_core::infra::telemetry::shutdown_signal().await;
        tracing::info!("shutdown signal received");
        stop.cancel();
    });
    tracing::info!("sweeper starting");
    Sweeper::new(config, pool).await?.run(shutdown).await;
    tracing::info!("sweeper stopped");
    Ok(())
}
