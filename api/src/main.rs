use clap::{Parser, Subcommand};
use tiketi_api::{ApiConfig, Application};
use tiketi_core::infra::config::{Environment, Infra};

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
    /// Check the reservation invariants against the database; exits 1 on any violation.
    Audit,
    /// Administrator accounts: production loads no seed, so this makes the first admin.
    Admin {
        #[command(subcommand)]
        command: AdminCommand,
    },
    /// Print access tokens of seeded load-test fans as JSON (fan0001@tiketi.gg …), signed
    /// with JWT_SECRET, so load tests need not sign in hundreds of times.
    Tokens {
        #[arg(long, default_value_t = 100)]
        count: u32,
        #[arg(long, default_value_t = 0)]
        offset: u32,
    },
}

#[derive(Subcommand)]
enum AdminCommand {
    /// Create an administrator. The password is read from TIKETI_ADMIN_PASSWORD or, when
    /// that is unset, from the first line of standard input (never from the command line,
    /// where other users of the machine could read it); the same rules and argon2 hashing
    /// as registration.
    Create {
        #[arg(long)]
        email: String,
        #[arg(long, default_value = "Administrator")]
        name: String,
    },
}

/// The new admin's password: TIKETI_ADMIN_PASSWORD, else one line of standard input.
fn admin_password() -> anyhow::Result<String> {
    if let Some(p) = std::env::var("TIKETI_ADMIN_PASSWORD")
        .ok()
        .filter(|p| !p.is_empty())
    {
        return Ok(p);
    }
    let mut line = String::new();
    std::io::stdin().read_line(&mut line)?;
    Ok(line.trim_end_matches(['\r', '\n']).to_string())
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
            tiketi_core::infra::telemetry::init_tracing(config.infra.log_format);
            let app = Application::build(config).await?;
            let shutdown = app.shutdown_token();
            tokio::spawn(async move {
                tiketi_core::infra::telemetry::shutdown_signal().await;
                tracing::info!("shutdown signal received; finishing in-flight requests");
                shutdown.cancel();
            });
            app.run_until_stopped().await
        }
        Command::Migrate => {
            let infra = Infra::from_env()?;
            let pool = tiketi_core::infra::db::connect(&infra.database_url, 2).await?;
            tiketi_core::infra::db::migrate(&pool).await?;
            println!("migrations applied");
            Ok(())
        }
        Command::Seed => {
            let infra = Infra::from_env()?;
            if infra.environment == Environment::Production {
                anyhow::bail!("seed data is for development only (TIKETI_ENV=production)");
            }
            let pool = tiketi_core::infra::db::connect(&infra.database_url, 2).await?;
            let report = tiketi_core::seed::load(&pool).await?;
            println!(
                "seed loaded: {} events created, {} refreshed, {} users",
                report.events_created, report.events_refreshed, report.users
            );
            Ok(())
        }
        Command::Audit => {
            let infra = Infra::from_env()?;
            let pool = tiketi_core::infra::db::connect(&infra.database_url, 2).await?;
            let mut violations = tiketi_core::reservation::audit::violations(&pool).await?;
            let mut redis = tiketi_core::infra::redis::connect(&infra).await?;
            let keys = tiketi_core::infra::redis::Keys::new(infra.redis_prefix.clone());
            for (event, title, order) in
                tiketi_core::reservation::audit::admission_order(&pool, &mut redis, &keys).await?
            {
                if order.admitted > 0 {
                    println!(
                        "audit: waiting room of {title} ({event}): {} fans admitted, {} admission-order inversions",
                        order.admitted, order.inversions
                    );
                }
                if order.inversions > 0 {
                    violations.push(format!(
                        "waiting room of {event}: {} admission-order inversions",
                        order.inversions
                    ));
                }
            }
            if violations.is_empty() {
                println!("audit: no double bookings; seats, stock and payments agree with the reservations");
                Ok(())
            } else {
                for v in &violations {
                    println!("audit: {v}");
                }
                anyhow::bail!("{} invariant violations", violations.len())
            }
        }
        Command::Admin {
            command: AdminCommand::Create { email, name },
        } => {
            use tiketi_core::{user, user::auth};
            let email = auth::Email::parse(&email).map_err(|e| anyhow::anyhow!("--email: {e}"))?;
            let name = auth::UserName::parse(&name).map_err(|e| anyhow::anyhow!("--name: {e}"))?;
            let password = auth::NewPassword::parse(&admin_password()?)
                .map_err(|e| anyhow::anyhow!("password: {e}"))?;
            let hash = tokio::task::spawn_blocking(move || password.hash()).await??;
            let infra = Infra::from_env()?;
            let pool = tiketi_core::infra::db::connect(&infra.database_url, 2).await?;
            let user = user::create(
                &pool,
                &email,
                &name,
                &hash,
                auth::Role::Admin,
                Default::default(),
            )
            .await?;
            println!("admin created: {} ({})", email.as_str(), user.id);
            Ok(())
        }
        Command::Tokens { count, offset } => {
            let config = ApiConfig::from_env()?;
            if config.infra.environment == Environment::Production {
                anyhow::bail!("load-test tokens are for development only (TIKETI_ENV=production)");
            }
            let pool = tiketi_core::infra::db::connect(&config.infra.database_url, 2).await?;
            let emails: Vec<String> = (offset + 1..=offset + count)
                .map(|i| format!("fan{i:04}@tiketi.gg"))
                .collect();
            let users = sqlx::query!(
                "SELECT id, email FROM users WHERE email = ANY($1) ORDER BY email",
                &emails
            )
            .fetch_all(&pool)
            .await?;
            let keys = tiketi_core::infra::redis::Keys::new(config.infra.redis_prefix.clone());
            let tokens =
                tiketi_core::user::auth::Tokens::new(&config.jwt_secret, config.jwt_ttl, keys);
            let list: Vec<serde_json::Value> = users
                .into_iter()
                .map(|u| {
                    let (id, email) = (u.id, u.email);
                    let token = tokens
                        .issue(id, tiketi_core::user::auth::Role::Fan)
                        .map(|t| t.0)
                        .unwrap_or_default();
                    serde_json::json!({ "id": id, "email": email, "token": token })
                })
                .collect();
            println!("{}", serde_json::to_string(&list)?);
            Ok(())
        }
    }
}
