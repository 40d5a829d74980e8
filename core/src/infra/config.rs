//! Reading typed configuration from the environment. Each binary owns its config struct;
//! this module owns the parsing rules so that every invalid value stops the process with a
//! message naming the variable.

use std::{fmt::Display, str::FromStr};

#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    #[error("{name} is required but not set{hint}")]
    Missing {
        name: &'static str,
        hint: &'static str,
    },
    #[error("{name} has an invalid value {value:?}: {reason}")]
    Invalid {
        name: &'static str,
        value: String,
        reason: String,
    },
}

/// Reads `name`, falling back to `default` when unset or empty.
pub fn var_or<T>(name: &'static str, default: T) -> Result<T, ConfigError>
where
    T: FromStr,
    T::Err: Display,
{
    match raw(name) {
        None => Ok(default),
        Some(value) => parse(name, value),
    }
}

/// Reads a required variable.
pub fn required<T>(name: &'static str, hint: &'static str) -> Result<T, ConfigError>
where
    T: FromStr,
    T::Err: Display,
{
    match raw(name) {
        None => Err(ConfigError::Missing { name, hint }),
        Some(value) => parse(name, value),
    }
}

/// Reads an optional variable.
pub fn optional<T>(name: &'static str) -> Result<Option<T>, ConfigError>
where
    T: FromStr,
    T::Err: Display,
{
    raw(name).map(|v| parse(name, v)).transpose()
}

/// A number that must lie in `range`.
pub fn ranged<T>(
    name: &'static str,
    default: T,
    range: std::ops::RangeInclusive<T>,
) -> Result<T, ConfigError>
where
    T: FromStr + PartialOrd + Display + Copy,
    T::Err: Display,
{
    let value = var_or(name, default)?;
    if range.contains(&value) {
        Ok(value)
    } else {
        Err(ConfigError::Invalid {
            name,
            value: value.to_string(),
            reason: format!("must be between {} and {}", range.start(), range.end()),
        })
    }
}

fn raw(name: &str) -> Option<String> {
    std::env::var(name).ok().filter(|v| !v.trim().is_empty())
}

fn parse<T>(name: &'static str, value: String) -> Result<T, ConfigError>
where
    T: FromStr,
    T::Err: Display,
{
    value
        .trim()
        .parse()
        .map_err(|e: T::Err| ConfigError::Invalid {
            name,
            value,
            reason: e.to_string(),
        })
}

/// Which kind of deployment this is; development conveniences (seed data, a default JWT
/// secret) exist only outside production.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Environment {
    Dev,
    Test,
    Production,
}

impl FromStr for Environment {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.to_ascii_lowercase().as_str() {
            "dev" | "development" | "local" => Ok(Self::Dev),
            "test" => Ok(Self::Test),
            "prod" | "production" => Ok(Self::Production),
            other => Err(format!("expected dev, test or production, got {other}")),
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LogFormat {
    Pretty,
    Json,
}

impl FromStr for LogFormat {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.to_ascii_lowercase().as_str() {
            "pretty" | "text" => Ok(Self::Pretty),
            "json" => Ok(Self::Json),
            other => Err(format!("expected pretty or json, got {other}")),
        }
    }
}

/// Connection settings every binary shares.
#[derive(Debug, Clone)]
pub struct Infra {
    pub environment: Environment,
    pub database_url: String,
    pub database_max_connections: u32,
    pub redis_url: String,
    /// `REDIS_MODE`; in cluster mode `redis_url` lists seed nodes separated by commas.
    pub redis_mode: crate::infra::redis::RedisMode,
    /// One node URL, or several nodes of one cluster separated by commas.
    pub amqp_url: String,
    /// `x-quorum-initial-group-size` of the partition queues; `None` leaves it to the
    /// broker (RabbitMQ 3.10: every node; newer: up to 3).
    pub amqp_quorum_group_size: Option<u16>,
    /// Prefix of every Redis key and channel, so tests and stacks can share one server.
    pub redis_prefix: String,
    /// Prefix of every exchange and queue, for the same reason.
    pub amqp_prefix: String,
    pub log_format: LogFormat,
}

impl Infra {
    pub fn from_env() -> Result<Self, ConfigError> {
        Ok(Self {
            // Production-like unless the operator says otherwise: forgetting the variable
            // must never switch on development conveniences.
            environment: var_or("TIKETI_ENV", Environment::Production)?,
            database_url: required(
                "DATABASE_URL",
                " (e.g. postgres://tiketi:tiketi@127.0.0.1:5432/tiketi; `make run` sets it)",
            )?,
            database_max_connections: ranged("DATABASE_MAX_CONNECTIONS", 20, 1..=500)?,
            redis_url: var_or("REDIS_URL", "redis://127.0.0.1:6379".to_string())?,
            redis_mode: var_or("REDIS_MODE", crate::infra::redis::RedisMode::Standalone)?,
            amqp_url: amqp_url()?,
            amqp_quorum_group_size: match optional::<u16>("AMQP_QUORUM_GROUP_SIZE")? {
                Some(n) if !(1..=99).contains(&n) => {
                    return Err(ConfigError::Invalid {
                        name: "AMQP_QUORUM_GROUP_SIZE",
                        value: n.to_string(),
                        reason: "must be between 1 and 99".into(),
                    })
                }
                n => n,
            },
            redis_prefix: var_or("REDIS_PREFIX", "tiketi".to_string())?,
            amqp_prefix: var_or("AMQP_PREFIX", "tiketi".to_string())?,
            log_format: var_or("LOG_FORMAT", LogFormat::Pretty)?,
        })
    }
}

/// `AMQP_URL`, every node of the list checked so a typo stops the process at start-up.
fn amqp_url() -> Result<String, ConfigError> {
    let list = var_or(
        "AMQP_URL",
        "amqp://guest:guest@127.0.0.1:5672/%2f".to_string(),
    )?;
    crate::infra::amqp::node_urls(&list).map_err(|reason| ConfigError::Invalid {
        name: "AMQP_URL",
        value: "(hidden)".into(),
        reason,
    })?;
    Ok(list)
}

const DEV_JWT_SECRET: &str = "tiketi-dev-secret-not-for-production";

/// `JWT_SECRET`: signs access tokens (api) and admission tokens (api and sweeper). Required
/// and long enough to resist guessing. The one exception is a development machine: with
/// `TIKETI_ENV=dev` chosen explicitly and every listener of the process on loopback, an
/// unset secret falls back to a development constant nobody else can reach.
pub fn jwt_secret(
    environment: Environment,
    listeners: &[std::net::SocketAddr],
) -> Result<String, ConfigError> {
    secret_or_dev_default(optional::<String>("JWT_SECRET")?, environment, listeners)
}

fn secret_or_dev_default(
    secret: Option<String>,
    environment: Environment,
    listeners: &[std::net::SocketAddr],
) -> Result<String, ConfigError> {
    match secret {
        Some(s) if s.len() < 16 => Err(ConfigError::Invalid {
            name: "JWT_SECRET",
            value: "(hidden)".into(),
            reason: "must be at least 16 characters".into(),
        }),
        Some(s) => Ok(s),
        None if environment == Environment::Dev
            && listeners.iter().all(|a| a.ip().is_loopback()) =>
        {
            Ok(DEV_JWT_SECRET.to_string())
        }
        None => Err(ConfigError::Missing {
            name: "JWT_SECRET",
            hint: " (a development default is used only with TIKETI_ENV=dev on a loopback address)",
        }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn environment_and_log_format_parse_known_values_only() {
        assert_eq!(
            "production".parse::<Environment>(),
            Ok(Environment::Production)
        );
        assert_eq!("DEV".parse::<Environment>(), Ok(Environment::Dev));
        assert!("staging".parse::<Environment>().is_err());
        assert_eq!("json".parse::<LogFormat>(), Ok(LogFormat::Json));
        assert!("xml".parse::<LogFormat>().is_err());
    }

    #[test]
    fn no_known_secret_unless_development_mode_on_loopback() {
        let loopback: std::net::SocketAddr = "127.0.0.1:3001".parse().unwrap();
        let public: std::net::SocketAddr = "0.0.0.0:3001".parse().unwrap();
        let dev = Environment::Dev;
        assert_eq!(
            secret_or_dev_default(None, dev, &[loopback]).unwrap(),
            DEV_JWT_SECRET
        );
        assert!(secret_or_dev_default(None, dev, &[loopback, public]).is_err());
        assert!(secret_or_dev_default(None, Environment::Test, &[loopback]).is_err());
        assert!(secret_or_dev_default(None, Environment::Production, &[loopback]).is_err());
        assert!(secret_or_dev_default(Some("short".into()), dev, &[loopback]).is_err());
        let set = "a-secret-of-enough-length".to_string();
        assert_eq!(
            secret_or_dev_default(Some(set.clone()), Environment::Production, &[public]).unwrap(),
            set
        );
    }

    #[test]
    fn invalid_value_names_the_variable() {
        // A name no other test touches, so tests running in parallel cannot interfere.
        std::env::set_var("TIKETI_CONFIG_TEST_NUMBER", "many");
        let err = var_or::<u32>("TIKETI_CONFIG_TEST_NUMBER", 1).unwrap_err();
        assert!(
            err.to_string().contains("TIKETI_CONFIG_TEST_NUMBER"),
            "{err}"
        );
        std::env::set_var("TIKETI_CONFIG_TEST_NUMBER", "9000");
        let err = ranged::<u32>("TIKETI_CONFIG_TEST_NUMBER", 1, 1..=10).unwrap_err();
        assert!(err.to_string().contains("between 1 and 10"), "{err}");
        let err = required::<String>("TIKETI_CONFIG_TEST_UNSET", "").unwrap_err();
        assert!(
            err.to_string().contains("TIKETI_CONFIG_TEST_UNSET"),
            "{err}"
        );
    }
}
