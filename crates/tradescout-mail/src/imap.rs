//! IMAP: connect over implicit TLS, STARTTLS or plain TCP, log in, and fetch the messages newer
//! than a known UID in batches, so a sync can commit each batch and resume after the last one.
//!
//! ```no_run
//! # async fn sync(cfg: tradescout_mail::imap::ImapConfig) -> Result<(), tradescout_mail::MailError> {
//! use tradescout_mail::imap::ImapClient;
//!
//! let mut client = ImapClient::connect(&cfg).await?;
//! let status = client.select("INBOX").await?;
//! // Resume after the last UID stored for this UIDVALIDITY (0 for a first sync).
//! let mut new = client.new_messages(0, 50, 25 << 20).await?;
//! while let Some(batch) = new.next_batch().await? {
//!     // store batch.messages and batch.skipped, then remember batch.last_uid
//! #   let _ = (status.uidvalidity, batch.last_uid);
//! }
//! client.logout().await?;
//! # Ok(()) }
//! ```
//!
//! Every network step is bounded by [`ImapConfig::timeout`]; TLS uses rustls with the `ring`
//! provider and checks the certificate against the configured host (name or IP address).

mod fetch;
mod mailbox_name;
mod transport;

use std::fmt;
use std::future::Future;
use std::path::PathBuf;
use std::time::Duration;

use async_imap::imap_proto::{Response, Status};
use async_imap::{Client, Session};
use tokio::net::TcpStream;

use crate::error::MailError;
use transport::Transport;

pub use fetch::{
    FetchBatch, FetchSummary, FetchedMessage, NewMessages, SkipReason, SkippedMessage,
};
pub use mailbox_name::encode_mailbox_name;

/// How the connection to the IMAP server is secured.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Security {
    /// TLS from the first byte (IMAPS, usually port 993).
    Tls,
    /// Plain connection upgraded with STARTTLS before logging in (usually port 143).
    StartTls,
    /// No encryption at all; the password crosses the network in clear. For loopback and tests.
    Plain,
}

/// Where and how to connect and log in.
#[derive(Clone)]
pub struct ImapConfig {
    pub host: String,
    pub port: u16,
    pub user: String,
    pub password: String,
    pub security: Security,
    /// A PEM file of CA certificates to trust in addition to the built-in web PKI roots, for
    /// servers with a private CA.
    pub ca_file: Option<PathBuf>,
    /// Upper bound for each network step: connecting, the TLS handshake, each command's answer
    /// and each message of a fetch.
    pub timeout: Duration,
}

impl fmt::Debug for ImapConfig {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ImapConfig")
            .field("host", &self.host)
            .field("port", &self.port)
            .field("user", &self.user)
            .field("password", &"<redacted>")
            .field("security", &self.security)
            .field("ca_file", &self.ca_file)
            .field("timeout", &self.timeout)
            .finish()
    }
}

/// What SELECT reports about a mailbox. A sync keys its stored UIDs by `uidvalidity`: when it
/// changes, the old UIDs mean nothing and the mailbox must be read again from UID 0.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct MailboxStatus {
    pub uidvalidity: u32,
    pub uidnext: Option<u32>,
    pub exists: u32,
}

/// A logged-in IMAP connection. After an error (a timeout above all) the connection may be
/// mid-response: drop it and connect again rather than sending more commands.
#[derive(Debug)]
pub struct ImapClient {
    session: Session<Transport>,
    peer: Peer,
    selected: Option<String>,
}

impl ImapClient {
    /// Connects, secures the connection as configured, reads the greeting and logs in.
    pub async fn connect(cfg: &ImapConfig) -> Result<ImapClient, MailError> {
        let peer = Peer {
            server: format!("{}:{}", cfg.host, cfg.port),
            timeout: cfg.timeout,
        };
        // Build the TLS setup first so a bad CA file is reported before any network traffic.
        let tls = match cfg.security {
            Security::Plain => None,
            Security::Tls | Security::StartTls => Some(transport::tls_connector(cfg).await?),
        };
        let tcp = peer
            .bounded(
                "connecting",
                TcpStream::connect((cfg.host.as_str(), cfg.port)),
            )
            .await?
            .map_err(|e| MailError::ImapConnect {
                server: peer.server.clone(),
                reason: e.to_string(),
            })?;
        // Latency matters more than throughput for the many small command lines.
        let _ = tcp.set_nodelay(true);

        let mut client = match (&tls, cfg.security) {
            (Some(tls), Security::Tls) => {
                let stream = transport::handshake(tls, cfg, &peer, tcp).await?;
                Client::new(Transport::Tls(Box::new(stream)))
            }
            _ => Client::new(Transport::Plain(tcp)),
        };
        peer.greeting(&mut client).await?;

        if let (Some(tls), Security::StartTls) = (&tls, cfg.security) {
            peer.bounded(
                "asking for STARTTLS",
                client.run_command_and_check_ok("STARTTLS", None),
            )
            .await?
            .map_err(|e| MailError::ImapTls {
                server: peer.server.clone(),
                reason: format!("the server refused STARTTLS: {}", describe(&e)),
            })?;
            let Transport::Plain(tcp) = client.into_inner() else {
                return Err(MailError::ImapTls {
                    server: peer.server.clone(),
                    reason: "STARTTLS on a connection that is already encrypted".into(),
                });
            };
            let stream = transport::handshake(tls, cfg, &peer, tcp).await?;
            // No greeting follows STARTTLS; anything the server sent before the handshake was
            // dropped with the plain stream, as RFC 3501 requires.
            client = Client::new(Transport::Tls(Box::new(stream)));
        }

        let session = peer
            .bounded("logging in", client.login(&cfg.user, &cfg.password))
            .await?
            .map_err(|(e, _)| MailError::ImapLogin {
                server: peer.server.clone(),
                user: cfg.user.clone(),
                reason: describe(&e),
            })?;
        Ok(ImapClient {
            session,
            peer,
            selected: None,
        })
    }

    /// Selects a mailbox (read-write, as IMAP requires for SELECT; nothing here writes to it).
    pub async fn select(&mut self, mailbox: &str) -> Result<MailboxStatus, MailError> {
        let encoded = encode_mailbox_name(mailbox)?;
        self.selected = None;
        let action = format!("selecting mailbox {mailbox:?}");
        let found = self
            .peer
            .bounded(&action, self.session.select(&encoded))
            .await?
            .map_err(|e| self.peer.mailbox_error(mailbox, "cannot select it", &e))?;
        let uidvalidity = found.uid_validity.ok_or_else(|| MailError::ImapMailbox {
            server: self.peer.server.clone(),
            mailbox: mailbox.to_string(),
            reason: "the server sent no UIDVALIDITY, so new messages cannot be tracked".into(),
        })?;
        self.selected = Some(mailbox.to_string());
        Ok(MailboxStatus {
            uidvalidity,
            uidnext: found.uid_next,
            exists: found.exists,
        })
    }

    /// Appends a message to a mailbox (which must exist).
    pub async fn append(&mut self, mailbox: &str, raw: &[u8]) -> Result<(), MailError> {
        let encoded = encode_mailbox_name(mailbox)?;
        // async-imap puts the name between quotes as given, so escape it here.
        let quoted = encoded.replace('\\', "\\\\").replace('"', "\\\"");
        let action = format!("appending a message to mailbox {mailbox:?}");
        self.peer
            .bounded(&action, self.session.append(&quoted, None, None, raw))
            .await?
            .map_err(|e| self.peer.mailbox_error(mailbox, "cannot append to it", &e))
    }

    /// Creates a mailbox.
    pub async fn create(&mut self, mailbox: &str) -> Result<(), MailError> {
        let encoded = encode_mailbox_name(mailbox)?;
        let action = format!("creating mailbox {mailbox:?}");
        self.peer
            .bounded(&action, self.session.create(&encoded))
            .await?
            .map_err(|e| self.peer.mailbox_error(mailbox, "cannot create it", &e))
    }

    /// Logs out and closes the connection.
    pub async fn logout(mut self) -> Result<(), MailError> {
        self.peer
            .bounded("logging out", self.session.logout())
            .await?
            .map_err(|e| MailError::ImapServer {
                server: self.peer.server.clone(),
                reason: format!("logout failed: {}", describe(&e)),
            })
    }

    /// The mailbox currently selected, if any.
    pub fn selected(&self) -> Option<&str> {
        self.selected.as_deref()
    }

    fn selected_mailbox(&self) -> Result<String, MailError> {
        self.selected.clone().ok_or_else(|| MailError::ImapServer {
            server: self.peer.server.clone(),
            reason: "no mailbox is selected; call select first".into(),
        })
    }
}

/// The server being talked to, for bounding steps and naming it in errors.
#[derive(Debug, Clone)]
struct Peer {
    server: String,
    timeout: Duration,
}

impl Peer {
    async fn bounded<T>(
        &self,
        action: &str,
        step: impl Future<Output = T>,
    ) -> Result<T, MailError> {
        tokio::time::timeout(self.timeout, step)
            .await
            .map_err(|_| MailError::ImapTimeout {
                server: self.server.clone(),
                action: action.to_string(),
                after: self.timeout,
            })
    }

    /// Reads the server greeting; a BYE (server busy, or refusing us) becomes an error.
    async fn greeting(&self, client: &mut Client<Transport>) -> Result<(), MailError> {
        let greeting = self
            .bounded("waiting for the greeting", client.read_response())
            .await?;
        let refused = |reason: String| MailError::ImapServer {
            server: self.server.clone(),
            reason,
        };
        match greeting {
            None => Err(refused("the connection closed before the greeting".into())),
            Some(Err(e)) => Err(refused(format!("cannot read the greeting: {e}"))),
            Some(Ok(data)) => match data.parsed() {
                Response::Data {
                    status: Status::Ok | Status::PreAuth,
                    ..
                } => Ok(()),
                Response::Data {
                    status: Status::Bye,
                    information,
                    ..
                } => Err(refused(format!(
                    "the server said goodbye instead of hello: {}",
                    information.as_deref().unwrap_or("(no reason given)")
                ))),
                other => Err(refused(format!("unexpected greeting: {other:?}"))),
            },
        }
    }

    fn mailbox_error(&self, mailbox: &str, what: &str, e: &async_imap::error::Error) -> MailError {
        MailError::ImapMailbox {
            server: self.server.clone(),
            mailbox: mailbox.to_string(),
            reason: format!("{what}: {}", describe(e)),
        }
    }
}

/// A readable account of an async-imap error: the server's own words for NO and BAD.
fn describe(e: &async_imap::error::Error) -> String {
    use async_imap::error::Error;
    match e {
        Error::No(detail) => format!("the server answered NO: {}", server_words(detail)),
        Error::Bad(detail) => format!("the server answered BAD: {}", server_words(detail)),
        Error::ConnectionLost => "the server closed the connection".to_string(),
        Error::Io(io) => format!("connection error: {io}"),
        other => other.to_string(),
    }
}

/// async-imap reports NO/BAD as `code: …, info: Some("text")`; pull out the text.
fn server_words(detail: &str) -> String {
    detail
        .split_once("info: Some(\"")
        .and_then(|(_, rest)| rest.rsplit_once("\")"))
        .map(|(text, _)| text.replace("\\\"", "\""))
        .unwrap_or_else(|| detail.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn server_words_are_pulled_out_of_async_imap_details() {
        let detail = r#"code: None, info: Some("[AUTHENTICATIONFAILED] Authentication failed.")"#;
        assert_eq!(
            server_words(detail),
            "[AUTHENTICATIONFAILED] Authentication failed."
        );
        assert_eq!(server_words("odd"), "odd");
    }

    #[test]
    fn config_debug_hides_the_password() {
        let cfg = ImapConfig {
            host: "imap.example.com".into(),
            port: 993,
            user: "sales".into(),
            password: "hunter2".into(),
            security: Security::Tls,
            ca_file: None,
            timeout: Duration::from_secs(30),
        };
        assert!(!format!("{cfg:?}").contains("hunter2"));
    }
}
