//! TLS for PostgreSQL, Redis, RabbitMQ and SMTP, set up in one place so that every binary
//! trusts the same certificates: the system's trust store plus the PEM file named by
//! `TLS_CA_FILE` (managed databases and brokers are often signed by a private CA, such as
//! RDS's; so are company mail relays).
//!
//! Whether a connection uses TLS is decided by its URL alone: `sslmode=` on `DATABASE_URL`,
//! `rediss://` for `REDIS_URL`, `amqps://` for `AMQP_URL`, `smtps://` or `?tls=required` for
//! `SMTP_URL`. A rejected certificate or a failed handshake is a misconfiguration no retry
//! can fix, so [`rejection`] lets callers that otherwise retry quietly (the api's lazy pool,
//! the worker's reconnect loop) stop instead.

use std::{error::Error as StdError, path::PathBuf, str::FromStr, sync::OnceLock};

use base64::Engine;
use sqlx::postgres::PgConnectOptions;

/// The variable naming an extra CA bundle (PEM) that every TLS connection trusts.
pub const CA_FILE_VAR: &str = "TLS_CA_FILE";

/// Installs ring as the process's rustls provider: the three client libraries all build
/// their configs from the process default, and rustls refuses to pick one when more than
/// one provider is compiled in.
fn init() {
    static ONCE: OnceLock<()> = OnceLock::new();
    ONCE.get_or_init(|| {
        // Err only means another provider was installed first, which serves as well.
        let _ = rustls::crypto::ring::default_provider().install_default();
    });
}

/// The `TLS_CA_FILE` path, if set and not empty. Read at each connect rather than kept in
/// the binaries' configs, so that every connect function honours it without new arguments.
pub fn ca_file() -> anyhow::Result<Option<PathBuf>> {
    Ok(crate::infra::config::optional::<PathBuf>("TLS_CA_FILE")?)
}

/// The `TLS_CA_FILE` contents, checked to hold at least one PEM certificate, so that a
/// wrong path or file is reported as such rather than as an untrusted server later.
pub fn ca_pem() -> anyhow::Result<Option<String>> {
    let Some(path) = ca_file()? else {
        return Ok(None);
    };
    let pem = std::fs::read_to_string(&path)
        .map_err(|e| anyhow::anyhow!("{CA_FILE_VAR}={} cannot be read: {e}", path.display()))?;
    let certs = rustls_pemfile::certs(&mut pem.as_bytes())
        .collect::<Result<Vec<_>, _>>()
        .map_err(|e| anyhow::anyhow!("{CA_FILE_VAR}={} is not PEM: {e}", path.display()))?;
    if certs.is_empty() {
        anyhow::bail!("{CA_FILE_VAR}={} holds no PEM certificate", path.display());
    }
    Ok(Some(pem))
}

/// The SMTP transport for `SMTP_URL` (lettre's URL form: `smtp://…?tls=required` for
/// STARTTLS, `smtps://` for TLS from the first byte), trusting `TLS_CA_FILE` besides the
/// system's roots, as every other client does: a relay inside the company network often
/// has a certificate from a private CA.
pub fn smtp_transport(
    url: &str,
) -> anyhow::Result<lettre::transport::smtp::AsyncSmtpTransportBuilder> {
    use lettre::transport::smtp::client::{Certificate, Tls, TlsParameters};
    init();
    // Errors never repeat the URL: it may hold a password.
    let builder = lettre::AsyncSmtpTransport::<lettre::Tokio1Executor>::from_url(url)
        .map_err(|e| anyhow::anyhow!("SMTP_URL is invalid: {e}"))?;
    let Some(pem) = ca_pem()? else {
        return Ok(builder);
    };
    let parsed = url::Url::parse(url).map_err(|e| anyhow::anyhow!("SMTP_URL is invalid: {e}"))?;
    let host = parsed
        .host_str()
        .ok_or_else(|| anyhow::anyhow!("SMTP_URL names no host"))?
        .to_string();
    let mode = parsed
        .query_pairs()
        .find(|(k, _)| k == "tls")
        .map(|(_, v)| v.into_owned());
    let parameters = || -> anyhow::Result<TlsParameters> {
        let ca = Certificate::from_pem(pem.as_bytes())
            .map_err(|e| anyhow::anyhow!("{CA_FILE_VAR} cannot be used for SMTP: {e}"))?;
        TlsParameters::builder(host.clone())
            .add_root_certificate(ca)
            .build()
            .map_err(|e| anyhow::anyhow!("SMTP TLS cannot be set up: {e}"))
    };
    // The same modes lettre reads from the URL, with the extra root added.
    let tls = match (parsed.scheme(), mode.as_deref()) {
        ("smtps", _) => Tls::Wrapper(parameters()?),
        ("smtp", Some("required")) => Tls::Required(parameters()?),
        ("smtp", Some("opportunistic")) => Tls::Opportunistic(parameters()?),
        _ => return Ok(builder),
    };
    Ok(builder.tls(tls))
}

/// Connection options for `DATABASE_URL`. libpq's `sslmode` and `sslrootcert` parameters
/// are understood by sqlx itself; `TLS_CA_FILE` becomes the root certificate when the URL
/// names none (sqlx adds it to the system roots).
pub fn pg_options(url: &str) -> anyhow::Result<PgConnectOptions> {
    init();
    let options = PgConnectOptions::from_str(url)
        .map_err(|e| anyhow::anyhow!("DATABASE_URL is invalid: {e}"))?;
    if url.contains("sslrootcert=") {
        return Ok(options);
    }
    match ca_file()? {
        Some(path) => {
            ca_pem()?;
            Ok(options.ssl_root_cert(path))
        }
        None => Ok(options),
    }
}

/// A Redis client for `REDIS_URL`, trusting `TLS_CA_FILE` for `rediss://`.
pub fn redis_client(url: &str) -> redis::RedisResult<redis::Client> {
    match redis_certificates(url)? {
        None => redis::Client::open(url),
        Some(certs) => redis::Client::build_with_tls(url, certs),
    }
}

/// The roots for a `rediss://` connection when `TLS_CA_FILE` is set (None: the redis
/// crate's own default, the system's store). They are that file plus the system's roots,
/// because the redis crate replaces its roots with what it is given instead of adding to
/// them. A cluster client takes the same value (`ClusterClientBuilder::certs`).
pub fn redis_certificates(url: &str) -> redis::RedisResult<Option<redis::TlsCertificates>> {
    init();
    if !url.starts_with("rediss://") {
        return Ok(None);
    }
    let extra = ca_pem().map_err(|e| io_error(e.to_string()))?;
    Ok(extra.map(|pem| redis::TlsCertificates {
        client_tls: None,
        root_cert: Some(format!("{pem}\n{}", system_roots_pem()).into_bytes()),
    }))
}

fn io_error(message: String) -> redis::RedisError {
    std::io::Error::new(std::io::ErrorKind::InvalidInput, message).into()
}

/// The system's trust store as PEM, read once: it does not change while a process runs.
fn system_roots_pem() -> &'static str {
    static PEM: OnceLock<String> = OnceLock::new();
    PEM.get_or_init(|| {
        let engine = base64::engine::general_purpose::STANDARD;
        // Certificates the store could not parse are skipped, as every rustls user does.
        let found = rustls_native_certs::load_native_certs().unwrap_or_default();
        found
            .iter()
            .map(|der| {
                let body = engine.encode(der.as_ref());
                let lines: Vec<&str> = body
                    .as_bytes()
                    .chunks(64)
                    .map(|c| std::str::from_utf8(c).unwrap_or_default())
                    .collect();
                format!(
                    "-----BEGIN CERTIFICATE-----\n{}\n-----END CERTIFICATE-----\n",
                    lines.join("\n")
                )
            })
            .collect()
    })
}

/// Opens a RabbitMQ connection to `url`; for `amqps://`, `TLS_CA_FILE` is trusted on top of
/// the system's roots.
pub async fn amqp_connect(
    url: &str,
    properties: lapin::ConnectionProperties,
) -> anyhow::Result<lapin::Connection> {
    init();
    let tls = lapin::tcp::OwnedTLSConfig {
        identity: None,
        cert_chain: if url.starts_with("amqps://") {
            ca_pem()?
        } else {
            None
        },
    };
    lapin::Connection::connect_with_config(url, properties, tls)
        .await
        .map_err(|e| connect_error("AMQP_URL", &e))
}

/// The error for a failed connection to the service named by `var`, saying whether TLS
/// rejected it (and why) so that an operator knows to look at certificates, not the network.
pub fn connect_error(var: &str, err: &(dyn StdError + 'static)) -> anyhow::Error {
    match rejection(err) {
        Some(reason) => anyhow::Error::new(Rejected(format!(
            "cannot connect to {var}: TLS handshake or certificate verification failed: {reason}"
        ))),
        None => anyhow::anyhow!("cannot connect to {var}: {err}"),
    }
}

/// A connection refused by TLS: retrying will not help.
#[derive(Debug, thiserror::Error)]
#[error("{0}")]
pub struct Rejected(String);

/// True when `err` is (or wraps) a TLS rejection from [`connect_error`].
pub fn is_rejected(err: &anyhow::Error) -> bool {
    err.downcast_ref::<Rejected>().is_some()
}

/// The TLS reason inside `err`, if any part of its chain is a rustls error. `io::Error`
/// hides what it wraps from `source()`, so its payload is followed explicitly.
pub fn rejection(err: &(dyn StdError + 'static)) -> Option<String> {
    let mut next: Option<&(dyn StdError + 'static)> = Some(err);
    while let Some(e) = next {
        if let Some(tls) = e.downcast_ref::<rustls::Error>() {
            return Some(tls.to_string());
        }
        if let Some(io) = e.downcast_ref::<std::io::Error>() {
            if let Some(inner) = io.get_ref() {
                if let Some(found) = rejection(inner) {
                    return Some(found);
                }
            }
        }
        next = e.source();
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_a_rustls_error_inside_io_errors() {
        let tls = rustls::Error::InvalidCertificate(rustls::CertificateError::UnknownIssuer);
        let io = std::io::Error::new(std::io::ErrorKind::InvalidData, tls);
        let outer = std::io::Error::other(io);
        let reason = rejection(&outer).expect("found");
        assert!(reason.contains("UnknownIssuer"), "{reason}");
        let err = connect_error("AMQP_URL", &outer);
        assert!(is_rejected(&err));
        assert!(err
            .to_string()
            .starts_with("cannot connect to AMQP_URL: TLS"));
    }

    #[test]
    fn plain_network_errors_are_not_rejections() {
        let io = std::io::Error::new(std::io::ErrorKind::ConnectionRefused, "refused");
        assert_eq!(rejection(&io), None);
        let err = connect_error("REDIS_URL", &io);
        assert!(!is_rejected(&err));
        assert_eq!(err.to_string(), "cannot connect to REDIS_URL: refused");
    }

    #[test]
    fn system_roots_are_pem() {
        let pem = system_roots_pem();
        let parsed = rustls_pemfile::certs(&mut pem.as_bytes())
            .collect::<Result<Vec<_>, _>>()
            .unwrap();
        assert_eq!(
            parsed.len(),
            rustls_native_certs::load_native_certs()
                .unwrap_or_default()
                .len()
        );
    }
}
