//! The errors of the `embedded-io` drivers, without a heap: every message is
//! `&'static str`s, numbers and short copies of module text.

use core::fmt;
use core::time::Duration;

use crate::dialog::SockError;
use crate::error::ParseError;
use crate::session::{CmeText, Failure};

/// The longest command name kept in an error (`QSSLCFG`, a raw line's `QIACT`).
pub const COMMAND_LEN: usize = 24;

/// The command an error is about: its name without `AT+` and its
/// sub-command keyword; shown as `AT+QSSLCFG="sslversion"`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CommandName {
    /// `QSSLOPEN`; a raw line's name (`QIACT`, or `AT` for a basic command).
    pub name: heapless::String<COMMAND_LEN>,
    pub sub: Option<&'static str>,
}

impl CommandName {
    /// The name (cut at [`COMMAND_LEN`] bytes) and sub-command.
    pub fn new(name: &str, sub: Option<&'static str>) -> Self {
        let mut s = heapless::String::new();
        for c in name.chars() {
            if s.push(c).is_err() {
                break;
            }
        }
        CommandName { name: s, sub }
    }
}

impl fmt::Display for CommandName {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.name.as_str() != "AT" {
            f.write_str("AT+")?;
        }
        f.write_str(&self.name)?;
        if let Some(sub) = self.sub {
            write!(f, "=\"{sub}\"")?;
        }
        Ok(())
    }
}

/// Module bytes shown printable: `\r`, `\n`, `\x1A`, … escaped.
#[derive(Clone, Copy)]
pub struct Escaped<'a>(pub &'a [u8]);

impl fmt::Display for Escaped<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for &b in self.0 {
            match b {
                b'\r' => f.write_str("\\r")?,
                b'\n' => f.write_str("\\n")?,
                b'"' => f.write_str("\\\"")?,
                b'\\' => f.write_str("\\\\")?,
                0x20..=0x7E => write!(f, "{}", char::from(b))?,
                _ => write!(f, "\\x{b:02X}")?,
            }
        }
        Ok(())
    }
}

impl fmt::Debug for Escaped<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "\"{self}\"")
    }
}

/// Everything that can go wrong running one command on a driver's modem.
/// `E` is the port's error type.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ModemError<E> {
    /// The command failed as the session saw it: a timeout, `ERROR`,
    /// `+CME ERROR`, an error code in the result URC, `SEND FAIL`, a restart,
    /// an invalid request (nothing written), …. `description` is the family's
    /// error-table text for the module's code ([`crate::session::Session::describe_error`]).
    Command {
        command: CommandName,
        failure: Failure,
        description: Option<&'static str>,
    },
    /// The information lines do not match the manual's template.
    Parse {
        command: CommandName,
        error: ParseError,
    },
    /// The port failed while `doing` (`writing`, `reading`).
    Io {
        command: CommandName,
        doing: &'static str,
        error: E,
    },
    /// The port reported end of file (the other side of the stream is gone).
    Closed { command: CommandName },
}

impl<E> ModemError<E> {
    /// The command the error is about.
    pub fn command(&self) -> &CommandName {
        match self {
            ModemError::Command { command, .. }
            | ModemError::Parse { command, .. }
            | ModemError::Io { command, .. }
            | ModemError::Closed { command } => command,
        }
    }

    /// The session's verdict, when the command itself failed.
    pub fn failure(&self) -> Option<&Failure> {
        match self {
            ModemError::Command { failure, .. } => Some(failure),
            _ => None,
        }
    }

    /// The module's numeric error code (`+CME ERROR: <n>`, or the code in a result URC).
    pub fn module_code(&self) -> Option<i64> {
        match self.failure()? {
            Failure::Module { code, .. } => Some(*code),
            Failure::Cme {
                code: CmeText::Numeric(n),
            } => Some(*n),
            _ => None,
        }
    }

    /// Whether nothing (or not the awaited thing) arrived in time.
    pub fn is_timeout(&self) -> bool {
        matches!(self.failure(), Some(Failure::Timeout { .. }))
    }

    /// Whether the module restarted (`RDY`) while the command waited.
    pub fn is_rebooted(&self) -> bool {
        matches!(self.failure(), Some(Failure::Rebooted))
    }

    /// Whether the same call may succeed when repeated (`SEND FAIL`, a timeout).
    pub fn is_retryable(&self) -> bool {
        matches!(
            self.failure(),
            Some(Failure::SendFail | Failure::Timeout { .. })
        )
    }
}

fn described(f: &mut fmt::Formatter<'_>, d: Option<&'static str>) -> fmt::Result {
    match d {
        Some(d) => write!(f, " ({d})"),
        None => Ok(()),
    }
}

impl<E: fmt::Debug> fmt::Display for ModemError<E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ModemError::Command {
                command,
                failure,
                description,
            } => {
                write!(f, "{command}: ")?;
                fmt_failure(f, failure, *description)
            }
            ModemError::Parse { command, error } => write!(f, "{command}: {error}"),
            ModemError::Io {
                command,
                doing,
                error,
            } => write!(f, "{command}: I/O error {doing} the port: {error:?}"),
            ModemError::Closed { command } => write!(
                f,
                "{command}: the port reached end of file (the module's side of the stream is gone)"
            ),
        }
    }
}

/// The session's verdict in words.
pub(crate) fn fmt_failure(
    f: &mut fmt::Formatter<'_>,
    failure: &Failure,
    description: Option<&'static str>,
) -> fmt::Result {
    match failure {
        Failure::Validation(v) => write!(f, "{v}"),
        Failure::Timeout {
            waited,
            waiting_for,
        } => write!(f, "no {waiting_for} within {waited:?}"),
        Failure::Error => f.write_str("the module answered ERROR"),
        Failure::Cme { code } => {
            f.write_str("the module answered +CME ERROR: ")?;
            match code {
                CmeText::Numeric(n) => write!(f, "{n}")?,
                CmeText::Verbose(t) => write!(f, "{}", Escaped(t))?,
            }
            described(f, description)
        }
        Failure::Module { code, urc } => {
            write!(f, "the result {} reports error {code}", Escaped(urc))?;
            described(f, description)
        }
        Failure::SendFail => {
            f.write_str("SEND FAIL: the module could not send the data (retryable)")
        }
        Failure::NoCarrier => f.write_str("NO CARRIER: the connection ended"),
        Failure::Protocol {
            unexpected,
            expected,
        } => write!(
            f,
            "unexpected {:?} from the module; expected {expected}",
            Escaped(unexpected)
        ),
        Failure::Checksum {
            kind,
            local,
            module,
        } => write!(
            f,
            "the module reports {kind:?} checksum {module:#X}, but the data sent gives {local:#X}"
        ),
        Failure::Rebooted => {
            f.write_str("the module restarted (RDY); connections and settings are lost")
        }
        Failure::Overflow { what, limit } => write!(
            f,
            "the {what} does not fit the driver's buffer of {limit} bytes"
        ),
        Failure::Mode { expected } => write!(f, "not possible now: {expected}"),
    }
}

impl<E: fmt::Debug> core::error::Error for ModemError<E> {}

/// Everything that can go wrong on a driver's SSL socket.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SocketError<E> {
    /// A request of the operation `op` failed; the modem's error names the
    /// command and says why (the module's code with the manual's text, a
    /// timeout, `ERROR`, an I/O error, …).
    Command {
        family: &'static str,
        op: &'static str,
        error: ModemError<E>,
    },
    /// The module restarted (`RDY`) during `op`: the connection and every
    /// setting are gone. `during`: what the request under way reported.
    Rebooted {
        family: &'static str,
        op: &'static str,
        during: Option<ModemError<E>>,
    },
    /// Nothing arrived within the read's wait.
    ReadTimeout {
        family: &'static str,
        waited: Duration,
    },
    /// Received data did not fit the socket's receive queue of `capacity` bytes.
    Overflow {
        family: &'static str,
        lost: usize,
        capacity: usize,
    },
    /// The connection reported a failed request, but none had run (a bug).
    NoRequest {
        family: &'static str,
        op: &'static str,
    },
    /// What the connection itself refused, before or instead of a request: a
    /// value outside the manual (nothing written), an option or operation the
    /// family lacks, data the send cannot carry, not open, already open, the
    /// peer closed, every retry of a send failed.
    Connection(SockError),
    /// A multi-connection modem could not give or find a connection (no free
    /// id, an id in use or out of range, a connection already closed).
    Connections(crate::dialog::MuxError),
}

impl<E> SocketError<E> {
    /// The modem's error of the failed request, when one failed.
    pub fn modem_error(&self) -> Option<&ModemError<E>> {
        match self {
            SocketError::Command { error, .. } => Some(error),
            SocketError::Rebooted { during, .. } => during.as_ref(),
            _ => None,
        }
    }

    /// The module's numeric error code, when it reported one.
    pub fn module_code(&self) -> Option<i64> {
        self.modem_error().and_then(ModemError::module_code)
    }

    /// Whether the arguments (not the module or the connection) are at fault.
    pub fn is_usage(&self) -> bool {
        matches!(
            self,
            SocketError::Connection(
                SockError::Validation(_)
                    | SockError::Unsupported { .. }
                    | SockError::Unsendable { .. }
            )
        )
    }
}

impl<E: fmt::Debug> fmt::Display for SocketError<E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            SocketError::Command { family, op, error } => {
                write!(f, "{op} failed: {error} ({family})")
            }
            SocketError::Rebooted {
                family,
                op,
                during,
            } => {
                write!(
                    f,
                    "the module restarted (RDY) during {op}; the SSL connection is lost ({family})"
                )?;
                match during {
                    Some(e) => write!(f, ": {e}"),
                    None => Ok(()),
                }
            }
            SocketError::ReadTimeout { family, waited } => {
                write!(f, "read: no data within {waited:?} ({family})")
            }
            SocketError::Overflow {
                family,
                lost,
                capacity,
            } => write!(
                f,
                "{lost} received byte(s) were lost: the receive queue of {capacity} bytes was full ({family}); read more often or raise the capacity"
            ),
            SocketError::NoRequest { family, op } => write!(
                f,
                "{op}: the connection reported a failed request, but no request had run ({family})"
            ),
            SocketError::Connection(e) => write!(f, "{e}"),
            SocketError::Connections(e) => write!(f, "{e}"),
        }
    }
}

impl<E: fmt::Debug> core::error::Error for SocketError<E> {}

impl fmt::Display for SockError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            SockError::Failed => f.write_str("the request last run failed"),
            SockError::Validation(v) => write!(f, "{v}"),
            SockError::Unsupported { family, what, hint } => {
                write!(f, "{what} is not supported by {family}: {hint}")
            }
            SockError::Unsendable {
                family,
                command,
                byte,
                index,
                why,
            } => write!(
                f,
                "{command}: byte {byte:#04X} at offset {index} of the data cannot be sent: {why} ({family})"
            ),
            SockError::NotOpen { family, op } => write!(
                f,
                "cannot {op}: the SSL connection is not open ({family}); expected open() first"
            ),
            SockError::AlreadyOpen { family } => write!(
                f,
                "open: the SSL connection is already open ({family}); expected close() before opening again"
            ),
            SockError::PeerClosed { family, op } => {
                write!(f, "cannot {op}: the peer closed the SSL connection ({family})")
            }
            SockError::TimedOut => f.write_str("nothing arrived within the read's wait"),
            SockError::SendFail {
                family,
                command,
                attempts,
                sent,
                total,
            } => write!(
                f,
                "{command} failed: SEND FAIL {attempts} time(s) in a row, after {sent} of {total} bytes were sent; the module's send buffer stayed full ({family})"
            ),
            SockError::Rebooted { family } => write!(
                f,
                "the module restarted (RDY) while the connection was open ({family})"
            ),
            SockError::Overflow { family, lost } => write!(
                f,
                "{lost} received byte(s) did not fit the receive queue ({family})"
            ),
            SockError::Malformed { family, frame } => write!(
                f,
                "the module sent \"{}\"; expected {} ({family})",
                Escaped(frame),
                crate::dialog::machine::MALFORMED_EXPECTED
            ),
            SockError::ShortData {
                family,
                announced,
                arrived,
            } => write!(
                f,
                "the module sent {arrived} of the {announced} bytes its data header announced; expected {} ({family})",
                crate::dialog::machine::SHORT_EXPECTED
            ),
        }
    }
}
