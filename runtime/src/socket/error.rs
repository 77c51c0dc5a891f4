//! The socket's error type: what failed (the command), why (the module's code and
//! text, or the link's error), and which family answered.

use crate::error::ValidationError;
use crate::link::{CmeError, LinkError};

fn described(d: &Option<&'static str>) -> String {
    d.map(|d| format!(" {d}"))
        .unwrap_or_else(|| " (a code the manual's error table does not list)".to_string())
}

/// `QSSLOPEN failed: no result URC within 450s (quectel-ec2x)`: the command and
/// the family once each, whatever the link's own message already names.
fn link_message(command: &str, source: &LinkError, family: &str) -> String {
    let inner = source.to_string();
    let inner = inner
        .strip_prefix(command)
        .and_then(|r| r.strip_prefix(": "))
        .unwrap_or(&inner);
    let tail = format!(" ({family})");
    let inner = inner.strip_suffix(&tail).unwrap_or(inner);
    format!("{command} failed: {inner}{tail}")
}

/// Everything that can go wrong on an [`SslSocket`](super::SslSocket).
/// `command` names the AT command (`QSSLOPEN`, `QSSLCFG "seclevel"`).
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum SocketError {
    /// The module reported an error code: a result URC (`+QSSLOPEN: 4,566`) or
    /// `+CME ERROR: <n>`. `description` is the family's error table entry.
    #[error("{command} failed: {code}{} ({family})", described(.description))]
    Module {
        family: &'static str,
        command: String,
        /// `566`, `-2`, or a verbose `+CME ERROR` text.
        code: String,
        description: Option<&'static str>,
    },
    /// The module answered a plain `ERROR`.
    #[error("{command} failed: the module answered ERROR ({family})")]
    Error {
        family: &'static str,
        command: String,
    },
    /// `SEND FAIL` every time, `attempts` times in a row.
    #[error(
        "{command} failed: SEND FAIL {attempts} time(s) in a row, after {sent} of {total} bytes were sent; the module's send buffer stayed full ({family})"
    )]
    SendFail {
        family: &'static str,
        command: String,
        attempts: u32,
        sent: usize,
        total: usize,
    },
    /// A value is outside what the manual allows; nothing was written.
    #[error(transparent)]
    Validation(#[from] ValidationError),
    /// A payload the family's send command cannot carry (ML302 ends its data
    /// with Ctrl+Z, so data containing Ctrl+Z or ESC cannot be sent).
    #[error("{command}: byte {byte:#04X} at offset {index} of the data cannot be sent: {why} ({family})")]
    Unsendable {
        family: &'static str,
        command: &'static str,
        byte: u8,
        index: usize,
        why: &'static str,
    },
    /// The family has no command for what was asked.
    #[error("{what} is not supported by {family}: {hint}")]
    Unsupported {
        family: &'static str,
        what: &'static str,
        hint: &'static str,
    },
    /// The call needs an open connection.
    #[error("cannot {op}: the SSL connection is not open ({family}); expected open() first")]
    NotOpen {
        family: &'static str,
        op: &'static str,
    },
    /// The peer closed the connection; nothing more can be written.
    #[error("cannot {op}: the peer closed the SSL connection ({family})")]
    PeerClosed {
        family: &'static str,
        op: &'static str,
    },
    /// Nothing arrived within the read timeout.
    #[error("read: no data within {waited:?} ({family})")]
    ReadTimeout {
        family: &'static str,
        waited: std::time::Duration,
    },
    /// The module answered something the dialog does not allow.
    #[error("{command}: the module answered {got}; expected {expected} ({family})")]
    Protocol {
        family: &'static str,
        command: String,
        got: String,
        expected: &'static str,
    },
    /// The module restarted (it printed `RDY`) while a command was under way;
    /// the connection and every setting are gone.
    #[error("the module restarted (RDY) during {command}; the SSL connection is lost: {cause}")]
    Rebooted {
        family: &'static str,
        command: String,
        /// What the command itself reported (usually a timeout).
        cause: String,
    },
    /// Pushed data did not fit [`SslConfig::rx_capacity`](super::SslConfig::rx_capacity):
    /// `lost` bytes are gone (read more often, or raise the capacity).
    #[error("{lost} received byte(s) were lost: the receive buffer of {capacity} bytes was full ({family})")]
    Overflow {
        family: &'static str,
        lost: usize,
        capacity: usize,
    },
    /// A [`Modem`](super::Modem) could not give or find a connection (no free
    /// id, an id in use or out of range, a connection already closed).
    #[error("{0}")]
    Connections(crate::dialog::MuxError),
    /// Anything else from the link (timeouts, I/O, framing).
    #[error("{}", link_message(command, source, family))]
    Link {
        family: &'static str,
        command: String,
        /// Boxed: a link error is large, and errors are the rare path.
        #[source]
        source: Box<LinkError>,
    },
}

impl SocketError {
    /// Files a link error under the command that caused it.
    pub fn from_link(family: &'static str, command: impl Into<String>, e: LinkError) -> Self {
        let command = command.into();
        match e {
            LinkError::Module {
                code, description, ..
            } => SocketError::Module {
                family,
                command,
                code: code.to_string(),
                description,
            },
            LinkError::Cme {
                code, description, ..
            } => SocketError::Module {
                family,
                command,
                code: match code {
                    CmeError::Numeric(n) => n.to_string(),
                    CmeError::Verbose(t) if t.is_empty() => "an empty +CME ERROR:".to_string(),
                    CmeError::Verbose(t) => t,
                },
                description,
            },
            LinkError::Error { .. } => SocketError::Error { family, command },
            LinkError::SendFail { .. } => SocketError::SendFail {
                family,
                command,
                attempts: 1,
                sent: 0,
                total: 0,
            },
            LinkError::Validation(v) => SocketError::Validation(v),
            source => SocketError::Link {
                family,
                command,
                source: Box::new(source),
            },
        }
    }

    /// Whether the arguments (not the module or the connection) are at fault:
    /// a value out of the manual's range, an unsupported option, unsendable data.
    pub fn is_usage(&self) -> bool {
        matches!(
            self,
            SocketError::Validation(_)
                | SocketError::Unsupported { .. }
                | SocketError::Unsendable { .. }
        )
    }

    /// The module's error code, when it reported one.
    pub fn module_code(&self) -> Option<&str> {
        match self {
            SocketError::Module { code, .. } => Some(code),
            _ => None,
        }
    }

    fn io_kind(&self) -> std::io::ErrorKind {
        use std::io::ErrorKind;
        match self {
            SocketError::Validation(_)
            | SocketError::Unsendable { .. }
            | SocketError::Unsupported { .. } => ErrorKind::InvalidInput,
            SocketError::NotOpen { .. } => ErrorKind::NotConnected,
            SocketError::PeerClosed { .. } => ErrorKind::BrokenPipe,
            SocketError::ReadTimeout { .. } => ErrorKind::TimedOut,
            SocketError::Link { source, .. } => match source.as_ref() {
                LinkError::Timeout { .. } => ErrorKind::TimedOut,
                LinkError::Io { source, .. } => source.kind(),
                _ => ErrorKind::Other,
            },
            _ => ErrorKind::Other,
        }
    }
}

impl From<SocketError> for std::io::Error {
    fn from(e: SocketError) -> Self {
        std::io::Error::new(e.io_kind(), e)
    }
}
