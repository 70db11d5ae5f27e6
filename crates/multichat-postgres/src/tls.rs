//! The connection's TLS, from the URL's `sslmode` and the `tls` feature: rustls with the webpki
//! roots (plus `PostgresConfig::tls_root_certificate`) when the feature is on; plaintext when it
//! is off, and then a URL or config that requires TLS is refused rather than silently ignored.

use deadpool_postgres::{Manager, ManagerConfig};
use multichat_core::{Error, Result};

use crate::config::PostgresConfig;

/// What connections are made with: rustls.
#[cfg(feature = "tls")]
pub type Tls = tokio_postgres_rustls::MakeRustlsConnect;

/// What connections are made with: plaintext (this build has no TLS).
#[cfg(not(feature = "tls"))]
pub type Tls = tokio_postgres::NoTls;

/// The pool's connection manager for `pg`, made with `tls`.
pub fn manager(pg: tokio_postgres::Config, tls: Tls, manager: ManagerConfig) -> Manager {
    Manager::from_config(pg, tls, manager)
}

/// The TLS of the connections to `pg`.
#[cfg(feature = "tls")]
pub fn connector(_pg: &tokio_postgres::Config, config: &PostgresConfig) -> Result<Tls> {
    use std::sync::Arc;

    let invalid = |e: String| Error::invalid("TLS", e);
    let mut roots = rustls::RootCertStore::empty();
    roots.extend(webpki_roots::TLS_SERVER_ROOTS.iter().cloned());
    if let Some(path) = &config.tls_root_certificate {
        use rustls_pki_types::pem::PemObject;
        let certs = rustls_pki_types::CertificateDer::pem_file_iter(path)
            .map_err(|e| invalid(format!("{}: {e}", path.display())))?;
        for cert in certs {
            let cert = cert.map_err(|e| invalid(format!("{}: {e}", path.display())))?;
            roots.add(cert).map_err(|e| invalid(e.to_string()))?;
        }
    }
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let tls = rustls::ClientConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .map_err(|e| invalid(e.to_string()))?
        .with_root_certificates(roots)
        .with_no_client_auth();
    Ok(tokio_postgres_rustls::MakeRustlsConnect::new(tls))
}

/// The TLS of the connections to `pg`: none in this build, and a URL or config that requires
/// it is refused.
#[cfg(not(feature = "tls"))]
pub fn connector(pg: &tokio_postgres::Config, config: &PostgresConfig) -> Result<Tls> {
    let required = pg.get_ssl_mode() == tokio_postgres::config::SslMode::Require;
    if required || config.tls_root_certificate.is_some() {
        return Err(Error::invalid(
            "TLS",
            "sslmode=require and a TLS root certificate need the `tls` feature of \
             multichat-postgres (`postgres-tls` of multichat)",
        ));
    }
    Ok(tokio_postgres::NoTls)
}
