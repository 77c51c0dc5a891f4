//! `SslSocket`: the blocking driver of [`crate::dialog::Connection`]. It runs
//! the requests the connection asks for on the link, polls and sleeps on the
//! link's clock, routes the link's URCs to the connection, and files every
//! failure under the command that caused it.

use std::collections::VecDeque;
use std::time::Duration;

use super::config::{CertKind, SslConfig};
use super::error::SocketError;
use crate::dialog::machine::ByteQueue;
use crate::dialog::mux::Conns;
use crate::dialog::{
    AccessMode, Action, Connection, Dialect, Op, Options, Ran, SockError, SocketState,
};
use crate::link::{Clock, CmeError, Exec, Link, LinkError, SystemClock, Transport};
use crate::session::Command;

/// Received bytes not yet read, at most `cap` of them.
#[derive(Debug)]
pub(crate) struct RxQueue {
    bytes: VecDeque<u8>,
    cap: usize,
}

impl RxQueue {
    /// An empty queue of at most `cap` bytes.
    pub(crate) fn new(cap: usize) -> Self {
        RxQueue {
            bytes: VecDeque::new(),
            cap: cap.max(1),
        }
    }
}

impl ByteQueue for RxQueue {
    fn push(&mut self, data: &[u8]) -> usize {
        let n = data.len().min(self.cap.saturating_sub(self.bytes.len()));
        self.bytes.extend(data.iter().take(n));
        n
    }
    fn pop_into(&mut self, out: &mut [u8]) -> usize {
        let n = out.len().min(self.bytes.len());
        for (dst, src) in out.iter_mut().zip(self.bytes.drain(..n)) {
            *dst = src;
        }
        n
    }
    fn len(&self) -> usize {
        self.bytes.len()
    }
    fn clear(&mut self) {
        self.bytes.clear();
    }
}

/// A portable SSL connection through a module: the same program for every
/// family, the family's dialog supplied by `D`.
///
/// ```no_run
/// # use atgen_runtime::socket::{Dialect, SslConfig, SslSocket};
/// # use atgen_runtime::link::{Link, SerialTransport};
/// # fn demo<D: Dialect>(dialect: D) -> Result<(), Box<dyn std::error::Error>> {
/// let link: Link<SerialTransport, D::Family> = Link::open("/dev/ttyUSB2", 115_200)?;
/// let mut sock = SslSocket::new(link, dialect, SslConfig::default());
/// sock.connect("example.com", 443)?;            // configure + open
/// sock.write(b"GET / HTTP/1.0\r\n\r\n")?;        // split and retried as needed
/// let mut buf = [0u8; 512];
/// let n = sock.read(&mut buf)?;                   // 0: the peer closed
/// sock.close()?;
/// # let _ = n; Ok(()) }
/// ```
pub struct SslSocket<T: Transport, D: Dialect, C: Clock = SystemClock> {
    link: Link<T, D::Family, C>,
    dialect: D,
    config: SslConfig,
    conn: Connection<RxQueue>,
    /// The link's restart count the connection has seen.
    restarts: u64,
}

/// The last request that failed: its name and the link's error.
type LastFailure = Option<(String, LinkError)>;

impl<T: Transport, D: Dialect, C: Clock> SslSocket<T, D, C> {
    /// A socket over `link`; nothing is sent yet. The PSK key, if any, is
    /// registered with the link as a secret, and a module restart (`RDY`) ends
    /// the command under way at once (the connection is lost with it).
    pub fn new(mut link: Link<T, D::Family, C>, dialect: D, config: SslConfig) -> Self {
        if let Some(psk) = &config.psk {
            link.add_secret(psk.key.as_bytes());
        }
        link.config_mut().abort_on_restart = true;
        let rx = RxQueue::new(config.rx_capacity);
        let restarts = link.restarts();
        SslSocket {
            conn: Connection::with_queue(dialect.dialog(), rx),
            link,
            dialect,
            config,
            restarts,
        }
    }

    pub fn config(&self) -> &SslConfig {
        &self.config
    }

    /// Changes take effect at the next call (ids only before [`SslSocket::open`]).
    pub fn config_mut(&mut self) -> &mut SslConfig {
        &mut self.config
    }

    pub fn dialect(&self) -> &D {
        &self.dialect
    }

    pub fn link(&self) -> &Link<T, D::Family, C> {
        &self.link
    }

    /// The link, for other commands and for URCs that are not the connection's.
    pub fn link_mut(&mut self) -> &mut Link<T, D::Family, C> {
        &mut self.link
    }

    pub fn into_link(self) -> Link<T, D::Family, C> {
        self.link
    }

    pub fn state(&self) -> SocketState {
        self.conn.state()
    }

    pub fn is_open(&self) -> bool {
        self.conn.is_open()
    }

    /// Whether the peer closed the connection (reads end once the data before
    /// the close is read).
    pub fn peer_closed(&self) -> bool {
        self.conn.peer_closed()
    }

    /// Received bytes waiting to be read (without asking the module).
    pub fn buffered(&self) -> usize {
        self.conn.buffered()
    }

    /// The most bytes one send carries now: the family's cap under the
    /// settings made ([`SslSocket::write`] splits larger data into sends of this size).
    pub fn send_chunk(&self) -> usize {
        self.conn
            .send_chunk(&self.config.options(), self.link.session())
    }

    /// The receive mode in use.
    pub fn access_mode(&self) -> AccessMode {
        self.dialect.access_mode(self.config.access_mode)
    }

    /// Validates every request that [`SslSocket::connect`] would send, without I/O.
    pub fn check(&self, host: &str, port: u16) -> Result<(), SocketError> {
        check(&self.dialect, &self.config, host, port)
    }

    /// Sends the configuration the spec's set-up roles map [`SslConfig`] onto
    /// (version, seclevel, cipher suite, negotiate time, PSK, certificate paths,
    /// data format).
    pub fn configure(&mut self) -> Result<(), SocketError> {
        self.drive(Op::configure(), "configure").map(drop)
    }

    /// Uploads a certificate or key the family's way (BC26: QSSLCFG data mode with
    /// byte-count check; ML302: QSECWRITE with XOR-16 check). A client key is
    /// registered as a secret first, so it is never logged.
    pub fn upload(&mut self, kind: CertKind, data: &[u8]) -> Result<(), SocketError> {
        if kind == CertKind::ClientKey {
            self.link.add_secret(data);
        }
        self.drive(Op::upload(kind.index(), data), "upload")
            .map(drop)
    }

    /// Opens the connection; returns once the module reports it open.
    pub fn open(&mut self, host: &str, port: u16) -> Result<(), SocketError> {
        self.drive(Op::open(host, port), "open").map(drop)
    }

    /// [`SslSocket::check`], [`SslSocket::configure`], then [`SslSocket::open`].
    pub fn connect(&mut self, host: &str, port: u16) -> Result<(), SocketError> {
        self.check(host, port)?;
        self.configure()?;
        self.open(host, port)
    }

    /// Sends all of `data`, split into the family's largest sends; a `SEND FAIL`
    /// is retried [`SslConfig::send_retries`] times with a doubling backoff.
    /// Returns `data.len()`.
    pub fn write(&mut self, data: &[u8]) -> Result<usize, SocketError> {
        self.drive(Op::write(data), "write")
    }

    /// Reads what has arrived into `buf`, waiting up to [`SslConfig::read_timeout`]
    /// (no timeout: until data arrives or the peer closes). `Ok(0)`: the peer
    /// closed and every byte before the close was read.
    pub fn read(&mut self, buf: &mut [u8]) -> Result<usize, SocketError> {
        let timeout = self.config.read_timeout;
        match self.read_within(buf, timeout)? {
            Some(n) => Ok(n),
            None => Err(SocketError::ReadTimeout {
                family: self.dialect.family(),
                waited: timeout.unwrap_or_default(),
            }),
        }
    }

    /// Like [`SslSocket::read`] with its own wait: `Ok(None)` when nothing
    /// arrived within `timeout` (`None`: wait until data or the peer's close).
    pub fn read_within(
        &mut self,
        buf: &mut [u8],
        timeout: Option<Duration>,
    ) -> Result<Option<usize>, SocketError> {
        if buf.is_empty() && self.conn.state() != SocketState::Idle {
            return Ok(Some(0));
        }
        let deadline = timeout.map(|t| self.link.clock().now().saturating_add(t));
        match self.drive(Op::read(buf.len().max(1), deadline), "read") {
            Ok(_) => Ok(Some(self.conn.take(buf))),
            Err(SocketError::ReadTimeout { .. }) => Ok(None),
            Err(e) => Err(e),
        }
    }

    /// Closes the connection. After a peer close the module's own close
    /// errors are ignored (the connection is gone either way). Received data not
    /// read yet stays readable.
    pub fn close(&mut self) -> Result<(), SocketError> {
        self.drive(Op::close(), "close").map(drop)
    }

    /// Runs one operation of the connection to its end.
    fn drive(&mut self, op: Op<'_>, what: &'static str) -> Result<usize, SocketError> {
        let family = self.dialect.family();
        let SslSocket {
            link,
            config,
            conn,
            restarts,
            ..
        } = self;
        drive(link, conn, config, restarts, op, what, family)
    }
}

/// Runs one operation of the active connection of `conns` to its end: the
/// requests it asks for on the link (URCs routed to `conns`), polls and sleeps.
pub(crate) fn drive<T: Transport, F: crate::Family, C: Clock>(
    link: &mut Link<T, F, C>,
    conns: &mut dyn Conns<RxQueue>,
    config: &SslConfig,
    restarts: &mut u64,
    op: Op<'_>,
    what: &'static str,
    family: &'static str,
) -> Result<usize, SocketError> {
    let o = config.options();
    // Shortened to the options' lifetime: the connection ties the two.
    let mut op = op;
    let mut last: LastFailure = None;
    let mut next: Option<Action<'_>> = None;
    absorb(link, conns, &o, restarts);
    conns.active().secret_upload(&op, link.session_mut());
    let result = loop {
        let action = match next.take() {
            Some(a) => a,
            None => {
                let now = link.clock().now();
                conns.active().step(&mut op, &o, link.session(), now)
            }
        };
        match action {
            Action::Done(r) => break r,
            Action::Run { cmd, data, cap } => {
                let name = command_name(cmd.command(), cmd.sub());
                let exec = Exec {
                    data,
                    ..Exec::default()
                };
                let res = link.run_capped(&cmd, exec, cap, &name);
                absorb(link, conns, &o, restarts);
                let response = link.session().response().to_vec();
                let ran = match &res {
                    Ok(_) => Ran::Ok {
                        response: &response,
                        hex: link.payload_hex(),
                    },
                    Err(e) => ran_of(e),
                };
                if ran == Ran::SendFail {
                    log::warn!(target: "atgen::socket", "{family}: {name}: SEND FAIL");
                }
                let now = link.clock().now();
                next = conns
                    .active()
                    .ran(&mut op, &o, ran, link.session_mut(), now);
                if let Err(e) = res {
                    last = Some((name, e));
                }
            }
            Action::Poll(until) => {
                let now = link.clock().now();
                if let Err(e) = link.poll_urcs(until.saturating_sub(now)) {
                    return Err(SocketError::from_link(family, "read (waiting for URCs)", e));
                }
                absorb(link, conns, &o, restarts);
            }
            Action::Sleep(until) => {
                let now = link.clock().now();
                link.clock().sleep(until.saturating_sub(now));
            }
        }
    };
    let rebooted = conns.active().rebooted();
    result.map_err(|e| error(family, e, last, what, rebooted, config))
}

/// Validates every request [`SslSocket::connect`] would send for `config`,
/// without a link or any I/O.
pub fn check<D: Dialect>(
    dialect: &D,
    config: &SslConfig,
    host: &str,
    port: u16,
) -> Result<(), SocketError> {
    dialect
        .dialog()
        .check(&config.options(), host, port)
        .map_err(|e| error(dialect.family(), e, None, "check", false, config))
}

/// The socket's error for a connection error; `last`: the failed request,
/// `rebooted`: the module restarted while the connection was open.
fn error(
    family: &'static str,
    e: SockError,
    last: LastFailure,
    what: &'static str,
    rebooted: bool,
    config: &SslConfig,
) -> SocketError {
    {
        match e {
            SockError::Failed => match last {
                Some((command, LinkError::Rebooted { .. })) => SocketError::Rebooted {
                    family,
                    cause: format!("the module printed RDY while {command} waited for its answer"),
                    command,
                },
                Some((command, e)) if rebooted => SocketError::Rebooted {
                    family,
                    cause: e.to_string(),
                    command,
                },
                Some((command, e)) => SocketError::from_link(family, command, e),
                None => SocketError::Protocol {
                    family,
                    command: what.to_string(),
                    got: "no answer to report".to_string(),
                    expected: "a request to have run",
                },
            },
            SockError::Validation(v) => SocketError::Validation(v),
            SockError::Unsupported { family, what, hint } => {
                SocketError::Unsupported { family, what, hint }
            }
            SockError::Unsendable {
                family,
                command,
                byte,
                index,
                why,
            } => SocketError::Unsendable {
                family,
                command,
                byte,
                index,
                why,
            },
            SockError::NotOpen { family, op } => SocketError::NotOpen { family, op },
            SockError::AlreadyOpen { family } => SocketError::Protocol {
                family,
                command: "open".to_string(),
                got: "a second open() on an open socket".to_string(),
                expected: "close() before opening again",
            },
            SockError::PeerClosed { family, op } => SocketError::PeerClosed { family, op },
            SockError::TimedOut => SocketError::ReadTimeout {
                family,
                waited: config.read_timeout.unwrap_or_default(),
            },
            SockError::SendFail {
                family,
                command,
                attempts,
                sent,
                total,
            } => SocketError::SendFail {
                family,
                command: command.to_string(),
                attempts,
                sent,
                total,
            },
            SockError::Rebooted { family } => SocketError::Rebooted {
                family,
                command: what.to_string(),
                cause: "the module printed RDY while the connection was open".to_string(),
            },
            SockError::Overflow { family, lost } => SocketError::Overflow {
                family,
                lost,
                capacity: config.rx_capacity.max(1),
            },
            SockError::Malformed { family, frame } => SocketError::Protocol {
                family,
                command: what.to_string(),
                got: format!("\"{}\"", crate::link::escape(&frame)),
                expected: crate::dialog::machine::MALFORMED_EXPECTED,
            },
            SockError::ShortData {
                family,
                announced,
                arrived,
            } => SocketError::Protocol {
                family,
                command: what.to_string(),
                got: format!("{arrived} of the {announced} bytes its data header announced"),
                expected: crate::dialog::machine::SHORT_EXPECTED,
            },
        }
    }
}

/// `QSSLOPEN`, or `QSSLCFG "seclevel"` for a sub-command: how socket errors
/// name the command.
fn command_name(command: &str, sub: Option<&str>) -> String {
    match sub {
        Some(sub) => format!("{command} \"{sub}\""),
        None => command.to_string(),
    }
}

/// How a request ended, for the connection.
fn ran_of(e: &LinkError) -> Ran<'static> {
    match e {
        LinkError::SendFail { .. } => Ran::SendFail,
        LinkError::Module { code, .. } => Ran::Code(*code),
        LinkError::Cme {
            code: CmeError::Numeric(n),
            ..
        } => Ran::Code(*n),
        LinkError::Error { .. } => Ran::Error,
        _ => Ran::Failed,
    }
}

/// Tells the connections about restarts, and hands them the URCs that are
/// their own; every other URC stays queued for the caller.
fn absorb<T: Transport, F: crate::Family, C: Clock>(
    link: &mut Link<T, F, C>,
    conns: &mut dyn Conns<RxQueue>,
    o: &Options<'_>,
    restarts: &mut u64,
) {
    if link.restarts() != *restarts {
        *restarts = link.restarts();
        conns.restarted();
    }
    let _ = link.take_urcs(|f| conns.route(o, &f.frame, f.hex));
}
