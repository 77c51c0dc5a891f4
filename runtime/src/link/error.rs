//! The link's one error type.

use std::time::Duration;

use crate::error::{ParseError, ValidationError};
use crate::request::ChecksumKind;

/// The code of a `+CME ERROR`, owned.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CmeError {
    Numeric(i64),
    Verbose(String),
}

impl std::fmt::Display for CmeError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            CmeError::Numeric(n) => write!(f, "{n}"),
            CmeError::Verbose(s) => f.write_str(s),
        }
    }
}

fn described(d: &Option<&'static str>) -> String {
    d.map(|d| format!(" ({d})")).unwrap_or_default()
}

/// Everything that can go wrong talking to a module. `command` is the command
/// line's name as sent, e.g. `AT+QSSLOPEN` or `AT+QSSLCFG="sslversion"`.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum LinkError {
    /// Nothing (or not the awaited thing) arrived in time.
    #[error("{command}: no {waiting_for} within {waited:?}")]
    Timeout {
        command: String,
        waited: Duration,
        /// `final result code`, `> prompt`, `result URC`, …
        waiting_for: &'static str,
    },
    /// A plain `ERROR`.
    #[error("{command}: the module answered ERROR")]
    Error { command: String },
    /// `+CME ERROR: <n>` or `+CME ERROR: <text>`.
    #[error("{command}: the module answered +CME ERROR: {code}{}", described(.description))]
    Cme {
        command: String,
        code: CmeError,
        /// From the family's error table, when the code is in it.
        description: Option<&'static str>,
    },
    /// The result URC of a two-phase command reports an error (`+QSSLOPEN: 1,552`).
    #[error("{command}: the result {urc} reports error {code}{}", described(.description))]
    Module {
        command: String,
        code: i64,
        description: Option<&'static str>,
        /// The URC line as received.
        urc: String,
    },
    /// `SEND FAIL`: the module could not send the data now; retrying may succeed.
    #[error("{command}: SEND FAIL: the module could not send the data (retryable)")]
    SendFail { command: String },
    /// The request (or its payload) is invalid; nothing was written.
    #[error(transparent)]
    Validation(#[from] ValidationError),
    /// The response lines do not match the manual's template.
    #[error("{command}: {source}")]
    Parse {
        command: String,
        #[source]
        source: ParseError,
    },
    /// The module sent something the dialog does not allow here.
    #[error("{command}: unexpected {unexpected:?} from the module; expected {expected}")]
    Protocol {
        command: String,
        /// The bytes, printable (`\r`, `\x1A`, …).
        unexpected: String,
        expected: &'static str,
    },
    /// The module's checksum of a data phase differs from ours.
    #[error(
        "{command}: the module reports {kind:?} checksum {module:#X}, but the data sent gives {local:#X}"
    )]
    Checksum {
        command: String,
        kind: ChecksumKind,
        local: u64,
        module: u64,
    },
    /// `NO CARRIER`: the connection ended (transparent mode left).
    #[error("{command}: NO CARRIER: the connection ended")]
    NoCarrier { command: String },
    /// The module restarted (it printed `RDY`) while the command waited: every
    /// connection and setting is gone.
    #[error("{command}: the module restarted (RDY); connections and settings are lost")]
    Rebooted { command: String },
    /// What the module sent does not fit the link's bounded buffers.
    #[error("{command}: the {what} does not fit the link's buffer of {limit} bytes")]
    Overflow {
        command: String,
        what: &'static str,
        limit: usize,
    },
    /// The link is in the wrong mode for this call.
    #[error("{command}: not possible now: {expected}")]
    Mode {
        command: String,
        expected: &'static str,
    },
    /// The transport failed.
    #[error("{context}: I/O error: {source}")]
    Io {
        context: String,
        #[source]
        source: std::io::Error,
    },
}

impl LinkError {
    /// Whether the same call may succeed when repeated (`SEND FAIL`, a timeout).
    pub fn is_retryable(&self) -> bool {
        matches!(self, LinkError::SendFail { .. } | LinkError::Timeout { .. })
    }
}
