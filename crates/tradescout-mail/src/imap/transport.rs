//! The byte stream under the IMAP session: plain TCP or rustls (ring provider) over TCP.

use std::io;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};

use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};
use tokio::net::TcpStream;
use tokio_rustls::client::TlsStream;
use tokio_rustls::rustls::pki_types::ServerName;
use tokio_rustls::rustls::{self, CertificateError, ClientConfig, RootCertStore};
use tokio_rustls::TlsConnector;

use super::{ImapConfig, Peer};
use crate::error::MailError;

#[derive(Debug)]
pub(super) enum Transport {
    Plain(TcpStream),
    Tls(Box<TlsStream<TcpStream>>),
}

/// A TLS client trusting the web PKI roots plus the configured CA file, with the `ring`
/// provider installed explicitly rather than taken from a process-wide default.
pub(super) async fn tls_connector(cfg: &ImapConfig) -> Result<TlsConnector, MailError> {
    let mut roots = RootCertStore::empty();
    roots.extend(webpki_roots::TLS_SERVER_ROOTS.iter().cloned());
    if let Some(path) = &cfg.ca_file {
        let pem = tokio::fs::read(path)
            .await
            .map_err(|source| MailError::Io {
                path: path.clone(),
                source,
            })?;
        let ca_error = |reason: String| MailError::CaFile {
            path: path.clone(),
            reason,
        };
        let mut added = 0usize;
        for cert in rustls_pemfile::certs(&mut pem.as_slice()) {
            let cert = cert.map_err(|e| ca_error(format!("not valid PEM: {e}")))?;
            roots
                .add(cert)
                .map_err(|e| ca_error(format!("not a usable CA certificate: {e}")))?;
            added += 1;
        }
        if added == 0 {
            return Err(ca_error("no PEM certificate found in it".into()));
        }
    }
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let config = ClientConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .map_err(|e| MailError::ImapTls {
            server: format!("{}:{}", cfg.host, cfg.port),
            reason: format!("cannot set up TLS: {e}"),
        })?
        .with_root_certificates(roots)
        .with_no_client_auth();
    Ok(TlsConnector::from(Arc::new(config)))
}

/// Runs the TLS handshake, checking the certificate against the configured host: a DNS name,
/// or an IP address matched against the certificate's IP SANs.
pub(super) async fn handshake(
    tls: &TlsConnector,
    cfg: &ImapConfig,
    peer: &Peer,
    tcp: TcpStream,
) -> Result<TlsStream<TcpStream>, MailError> {
    let tls_error = |reason: String| MailError::ImapTls {
        server: peer.server.clone(),
        reason,
    };
    let name = ServerName::try_from(cfg.host.clone()).map_err(|_| {
        tls_error(format!(
            "{:?} is not a valid DNS name or IP address",
            cfg.host
        ))
    })?;
    peer.bounded("in the TLS handshake", tls.connect(name, tcp))
        .await?
        .map_err(|e| tls_error(explain_handshake_error(&e, &cfg.host)))
}

/// The handshake error in words, with a hint for the certificate problems users can fix.
fn explain_handshake_error(e: &io::Error, host: &str) -> String {
    let hint = match e
        .get_ref()
        .and_then(|inner| inner.downcast_ref::<rustls::Error>())
    {
        Some(rustls::Error::InvalidCertificate(cert)) => match cert {
            CertificateError::UnknownIssuer => {
                " (the certificate is not signed by a trusted CA; if the server uses a private CA, \
                 pass its PEM file as the CA file)"
                    .to_string()
            }
            CertificateError::NotValidForName | CertificateError::NotValidForNameContext { .. } => {
                format!(" (the certificate does not name {host:?}; connect with the host name it was issued for)")
            }
            CertificateError::Expired | CertificateError::ExpiredContext { .. } => {
                " (the certificate has expired, or this machine's clock is wrong)".to_string()
            }
            _ => String::new(),
        },
        _ => String::new(),
    };
    format!("{e}{hint}")
}

impl AsyncRead for Transport {
    fn poll_read(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        match self.get_mut() {
            Transport::Plain(s) => Pin::new(s).poll_read(cx, buf),
            Transport::Tls(s) => Pin::new(s.as_mut()).poll_read(cx, buf),
        }
    }
}

impl AsyncWrite for Transport {
    fn poll_write(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        match self.get_mut() {
            Transport::Plain(s) => Pin::new(s).poll_write(cx, buf),
            Transport::Tls(s) => Pin::new(s.as_mut()).poll_write(cx, buf),
        }
    }

    fn poll_flush(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        match self.get_mut() {
            Transport::Plain(s) => Pin::new(s).poll_flush(cx),
            Transport::Tls(s) => Pin::new(s.as_mut()).poll_flush(cx),
        }
    }

    fn poll_shutdown(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        match self.get_mut() {
            Transport::Plain(s) => Pin::new(s).poll_shutdown(cx),
            Transport::Tls(s) => Pin::new(s.as_mut()).poll_shutdown(cx),
        }
    }
}
