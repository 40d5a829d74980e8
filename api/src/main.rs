use clap::{Parser, Subcommand};
use tiketi_api::{ApiConfig, Application};
use tiketi_core::config::{Environment, Infra};

#[derive(Parser)]
#[command(name = "tiketi-api", about = "Tiketi HTTP + WebSocket gateway")]
struct Cli {
    #[command(subcommand)]
    command: Option<Command>,
}

#[derive(Subcommand)]
enum Command {
    /// Serve the API (the default).
    Serve,
    /// Apply database migrations to DATABASE_URL.
    Migrate,
    /// Load development seed data (refused when TIKETI_ENV=production).
    Seed,
}

#[tokio::main]
async fn main() {
    if let Err(e) = run(Cli::parse()).await {
        eprintln!("tiketi-api: {e:#}");
        std::process::exit(1);
    }
}

async fn run(cli: Cli) -> anyhow::Result<()> {
    match cli.command.unwrap_or(Command::Serve) {
        Command::Serve => {
            let config = ApiConfig::from_env()?;
            tiketi_core::telemetry::init_tracing(config.infra.log_format);
            let app = Application::build(config).await?;
            let shutdown = app.shutdown_token();
            tokio::spawn(async move {
                tiketi_core::telemetry::shutdown_signal().await;
                tracing::info!("shutdown signal received; finishing in-flight requests");
                shutdown.cancel();
            });
            app.run_until_stopped().await
        }
        Command::Migrate => {
            let infra = Infra::from_env()?;
            let pool = tiketi_core::db::connect(&infra.database_url, 2).await?;
            tiketi_core::db::migrate(&pool).await?;
            println!("migrations applied");
            Ok(())
        }
        Command::Seed => {
            let infra = Infra::from_env()?;
            if infra.environment == Environment::Production {
                anyhow::bail!("seed data is for development only (TIKETI_ENV=production)");
            }
            let pool = tiketi_core::db::connect(&infra.database_url, 2).await?;
            let report = tiketi_core::seed::load(&pool).await?;
            println!(
                "seed loaded: {} events created, {} refreshed, {} users",
                report.events_created, report.events_refreshed, report.users
            );
            Ok(())
        }
    }
}
