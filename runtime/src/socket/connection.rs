//! `SslSocket`: the connection state and the policies every family shares
//! (splitting sends, retrying `SEND FAIL`, draining the receive buffer, EOF after
//! a peer close).

use std::collections::VecDeque;
use std::time::Duration;

use super::config::{AccessMode, CertKind, SslConfig};
use super::dialect::{Dialect, UrcEvent};
use super::error::SocketError;
use crate::link::{Clock, Link, SystemClock, Transport};

/// Where the connection is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SocketState {
    /// Not opened yet (or a failed open).
    Idle,
    /// Open; data may flow both ways.
    Open,
    /// Closed by [`SslSocket::close`].
    Closed,
}

/// How long one poll for URCs waits when a read has no deadline.
const IDLE_POLL: Duration = Duration::from_secs(1);

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
    state: SocketState,
    /// Received bytes not yet read.
    rx: VecDeque<u8>,
    /// Buffer mode: the module announced data and its buffer was not drained yet.
    data_ready: bool,
    peer_closed: bool,
}

impl<T: Transport, D: Dialect, C: Clock> SslSocket<T, D, C> {
    /// A socket over `link`; nothing is sent yet. The PSK key, if any, is
    /// registered with the link as a secret.
    pub fn new(mut link: Link<T, D::Family, C>, dialect: D, config: SslConfig) -> Self {
        if let Some(psk) = &config.psk {
            link.add_secret(psk.key.as_bytes());
        }
        SslSocket {
            link,
            dialect,
            config,
            state: SocketState::Idle,
            rx: VecDeque::new(),
            data_ready: false,
            peer_closed: false,
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
        self.state
    }

    pub fn is_open(&self) -> bool {
        self.state == SocketState::Open
    }

    /// Whether the peer closed the connection (reads end once the data before
    /// the close is read).
    pub fn peer_closed(&self) -> bool {
        self.peer_closed
    }

    /// Received bytes waiting to be read (without asking the module).
    pub fn buffered(&self) -> usize {
        self.rx.len()
    }

    /// The receive mode in use.
    pub fn access_mode(&self) -> AccessMode {
        self.dialect.access_mode(&self.config)
    }

    /// Validates every request that [`SslSocket::connect`] would send, without I/O.
    pub fn check(&self, host: &str, port: u16) -> Result<(), SocketError> {
        self.dialect.check(&self.config, host, port)
    }

    /// Sends the configuration (`QSSLCFG`: version, seclevel, cipher suite,
    /// negotiate time, PSK, certificate paths, data format).
    pub fn configure(&mut self) -> Result<(), SocketError> {
        self.dialect.configure(&mut self.link, &self.config)
    }

    /// Uploads a certificate or key the family's way (BC26: QSSLCFG data mode with
    /// byte-count check; ML302: QSECWRITE with XOR-16 check). A client key is
    /// registered as a secret first, so it is never logged.
    pub fn upload(&mut self, kind: CertKind, data: &[u8]) -> Result<(), SocketError> {
        if kind == CertKind::ClientKey {
            self.link.add_secret(data);
        }
        self.dialect
            .upload(&mut self.link, &self.config, kind, data)
    }

    /// Opens the connection; returns once the module reports it open.
    pub fn open(&mut self, host: &str, port: u16) -> Result<(), SocketError> {
        if self.state == SocketState::Open {
            return Err(SocketError::Protocol {
                family: self.dialect.family(),
                command: "open".to_string(),
                got: "a second open() on an open socket".to_string(),
                expected: "close() before opening again",
            });
        }
        self.rx.clear();
        self.data_ready = false;
        self.peer_closed = false;
        if let Err(e) = self.dialect.open(&mut self.link, &self.config, host, port) {
            return Err(self.explain(e));
        }
        self.state = SocketState::Open;
        self.absorb_urcs();
        Ok(())
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
        let family = self.dialect.family();
        if self.state != SocketState::Open {
            return Err(SocketError::NotOpen {
                family,
                op: "write",
            });
        }
        if data.is_empty() {
            return Ok(0);
        }
        self.dialect.check_payload(&self.config, data)?;
        let max = self.dialect.max_chunk(&self.config).max(1);
        let mut sent = 0;
        for chunk in data.chunks(max) {
            self.absorb_urcs();
            if self.peer_closed {
                return Err(SocketError::PeerClosed {
                    family,
                    op: "write",
                });
            }
            self.send_chunk(chunk, sent, data.len())?;
            sent += chunk.len();
        }
        self.absorb_urcs();
        Ok(data.len())
    }

    fn send_chunk(&mut self, chunk: &[u8], sent: usize, total: usize) -> Result<(), SocketError> {
        let mut failures = 0u32;
        let mut backoff = self.config.send_backoff;
        loop {
            match self.dialect.send(&mut self.link, &self.config, chunk) {
                Ok(()) => return Ok(()),
                Err(SocketError::SendFail {
                    family, command, ..
                }) => {
                    failures += 1;
                    if failures > self.config.send_retries {
                        return Err(SocketError::SendFail {
                            family,
                            command,
                            attempts: failures,
                            sent,
                            total,
                        });
                    }
                    log::warn!(
                        target: "atgen::socket",
                        "{family}: {command}: SEND FAIL; retry {failures} of {} in {backoff:?}",
                        self.config.send_retries
                    );
                    self.link.clock().sleep(backoff);
                    backoff = backoff.saturating_mul(2);
                }
                Err(e) => {
                    let e = self.explain(e);
                    // A send refused because the peer just closed reads better as such.
                    self.absorb_urcs();
                    if self.peer_closed {
                        log::debug!(target: "atgen::socket", "send after the peer closed: {e}");
                        return Err(SocketError::PeerClosed {
                            family: self.dialect.family(),
                            op: "write",
                        });
                    }
                    return Err(e);
                }
            }
        }
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
        let family = self.dialect.family();
        if self.state != SocketState::Open && self.rx.is_empty() {
            if self.state == SocketState::Closed {
                return Ok(Some(0));
            }
            return Err(SocketError::NotOpen { family, op: "read" });
        }
        if buf.is_empty() {
            return Ok(Some(0));
        }
        let deadline = timeout.map(|t| self.link.clock().now().saturating_add(t));
        loop {
            self.absorb_urcs();
            if !self.rx.is_empty() {
                return Ok(Some(self.take_into(buf)));
            }
            if self.state == SocketState::Open
                && self.link.urcs().iter().any(|u| u.text().trim() == "RDY")
            {
                let e = SocketError::Protocol {
                    family,
                    command: "read".to_string(),
                    got: "RDY".to_string(),
                    expected: "data or a close URC",
                };
                return Err(self.explain(e));
            }
            if self.data_ready && self.access_mode() == AccessMode::Buffer {
                self.drain_once(buf.len())?;
                continue;
            }
            if self.peer_closed || self.state != SocketState::Open {
                return Ok(Some(0));
            }
            let wait = match deadline {
                None => IDLE_POLL,
                Some(d) => {
                    let now = self.link.clock().now();
                    if now >= d {
                        return Ok(None);
                    }
                    d - now
                }
            };
            self.link
                .poll_urcs(wait)
                .map_err(|e| SocketError::from_link(family, "read (waiting for URCs)", e))?;
        }
    }

    /// One QSSLRECV: data goes to the receive buffer; an empty answer means the
    /// module's buffer is drained, and the next "recv" URC will announce more.
    fn drain_once(&mut self, want: usize) -> Result<(), SocketError> {
        let max = want.clamp(1, usize::from(self.config.recv_chunk.max(1)));
        // Cleared first: a "recv" URC that arrives during the command sets it again.
        self.data_ready = false;
        match self.dialect.recv(&mut self.link, &self.config, max) {
            Ok(data) if data.is_empty() => Ok(()),
            Ok(data) => {
                self.rx.extend(data);
                self.data_ready = true;
                Ok(())
            }
            Err(e) if self.peer_closed && !e.is_usage() => {
                // The module may refuse to read a connection the peer closed: EOF.
                log::debug!(target: "atgen::socket", "read after the peer closed: {e}");
                Ok(())
            }
            Err(e) => {
                self.data_ready = true;
                Err(self.explain(e))
            }
        }
    }

    fn take_into(&mut self, buf: &mut [u8]) -> usize {
        let n = buf.len().min(self.rx.len());
        for (dst, src) in buf.iter_mut().zip(self.rx.drain(..n)) {
            *dst = src;
        }
        n
    }

    /// A failure while the module restarted says so: a `RDY` in the URC queue
    /// explains the timeout that followed it.
    fn explain(&mut self, e: SocketError) -> SocketError {
        let rebooted = self.link.urcs().iter().any(|u| u.text().trim() == "RDY");
        if !rebooted || matches!(e, SocketError::Rebooted { .. }) {
            return e;
        }
        self.state = SocketState::Closed;
        let command = match &e {
            SocketError::Link { command, .. }
            | SocketError::Module { command, .. }
            | SocketError::Error { command, .. }
            | SocketError::Protocol { command, .. } => command.clone(),
            _ => "the last command".to_string(),
        };
        SocketError::Rebooted {
            family: self.dialect.family(),
            command,
            cause: e.to_string(),
        }
    }

    /// Takes the connection's URCs out of the link's queue and acts on them;
    /// every other URC stays queued for the caller.
    fn absorb_urcs(&mut self) {
        let dialect = &self.dialect;
        let config = &self.config;
        let mine = self
            .link
            .take_urcs(|f| dialect.classify(config, f) != UrcEvent::Other);
        for frame in mine {
            match self.dialect.classify(&self.config, &frame) {
                UrcEvent::DataReady => self.data_ready = true,
                UrcEvent::Data(d) => self.rx.extend(d),
                UrcEvent::Closed => self.peer_closed = true,
                UrcEvent::Other => {}
            }
        }
    }

    /// Closes the connection. After a peer close the module's own close
    /// errors are ignored (the connection is gone either way). Received data not
    /// read yet stays readable.
    pub fn close(&mut self) -> Result<(), SocketError> {
        if self.state != SocketState::Open {
            return Ok(());
        }
        self.absorb_urcs();
        let peer_closed = self.peer_closed;
        let result = self
            .dialect
            .close(&mut self.link, &self.config, peer_closed);
        self.state = SocketState::Closed;
        self.data_ready = false;
        match result {
            Err(e) if peer_closed => {
                log::debug!(target: "atgen::socket", "close after the peer closed: {e}");
                Ok(())
            }
            other => other,
        }
    }
}
