//! The SSL socket of the `embedded-io` drivers: the sans-IO
//! [`Connection`] driven on a [`Modem`]. This file holds what needs no I/O
//! (state, accessors, URC routing, the error mapping); the loop is in
//! [`super::io`].

use core::time::Duration;

use super::error::{ModemError, SocketError};
use super::modem::Modem;
use crate::dialog::machine::ByteQueue;
use crate::dialog::mux::Conns;
use crate::dialog::{AccessMode, Connection, Dialect, Options, Ran, SockError, SocketState};
use crate::session::{CmeText, Failure, RESTART};

/// A portable SSL connection through a module, without a heap: the same
/// program for every family, the family's dialog supplied by `D`, received
/// bytes in a `heapless::Deque` of `N` bytes.
///
/// `IO` is the driver's half; use the aliases [`crate::nb::SslSocket`] and
/// [`crate::asynch::SslSocket`]. The options are borrowed (`'o`): PSK and
/// certificate paths are `&str`s the program keeps.
pub struct SslSocket<
    'o,
    IO,
    D: Dialect,
    const N: usize = 2048,
    const RX: usize = 4096,
    const BLK: usize = 2048,
    const TX: usize = 512,
    const URCS: usize = 8,
    const URC_LEN: usize = 256,
> {
    pub(crate) modem: Modem<IO, D::Family, RX, BLK, TX, URCS, URC_LEN>,
    pub(crate) dialect: D,
    pub(crate) options: Options<'o>,
    pub(crate) conn: Connection<heapless::Deque<u8, N>>,
    pub(crate) read_timeout: Option<Duration>,
}

impl<
        'o,
        IO,
        D: Dialect,
        const N: usize,
        const RX: usize,
        const BLK: usize,
        const TX: usize,
        const URCS: usize,
        const URC_LEN: usize,
    > SslSocket<'o, IO, D, N, RX, BLK, TX, URCS, URC_LEN>
{
    /// A socket over `modem`; nothing is sent yet. The PSK key, if any, is
    /// registered as a secret, and a module restart (`RDY`) ends the command
    /// under way at once (the connection is lost with it). Reads wait at most
    /// 10 s ([`SslSocket::set_read_timeout`]).
    pub fn new(
        mut modem: Modem<IO, D::Family, RX, BLK, TX, URCS, URC_LEN>,
        dialect: D,
        options: Options<'o>,
    ) -> Self {
        if let Some((_, key)) = options.psk {
            modem.add_secret(key.as_bytes());
        }
        modem.session.config_mut().abort_on_restart = true;
        SslSocket {
            conn: Connection::new(dialect.dialog()),
            modem,
            dialect,
            options,
            read_timeout: Some(Duration::from_secs(10)),
        }
    }

    pub fn options(&self) -> &Options<'o> {
        &self.options
    }

    /// Changes take effect at the next call (ids only before `open`).
    pub fn options_mut(&mut self) -> &mut Options<'o> {
        &mut self.options
    }

    /// How long `read` waits for data (`None`: until data or the peer's close).
    pub fn set_read_timeout(&mut self, timeout: Option<Duration>) {
        self.read_timeout = timeout;
    }

    pub fn read_timeout(&self) -> Option<Duration> {
        self.read_timeout
    }

    pub fn dialect(&self) -> &D {
        &self.dialect
    }

    pub fn modem(&self) -> &Modem<IO, D::Family, RX, BLK, TX, URCS, URC_LEN> {
        &self.modem
    }

    /// The modem, for other commands and for URCs that are not the connection's.
    pub fn modem_mut(&mut self) -> &mut Modem<IO, D::Family, RX, BLK, TX, URCS, URC_LEN> {
        &mut self.modem
    }

    pub fn into_modem(self) -> Modem<IO, D::Family, RX, BLK, TX, URCS, URC_LEN> {
        self.modem
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

    /// The receive mode in use.
    pub fn access_mode(&self) -> AccessMode {
        self.dialect.access_mode(self.options.mode)
    }

    /// Validates every request `connect` would send, without I/O.
    pub fn check<E>(&self, host: &str, port: u16) -> Result<(), SocketError<E>> {
        self.dialect
            .dialog()
            .check(&self.options, host, port)
            .map_err(|e| self.error(e, None, "check"))
    }

    /// The socket's error for a connection error; `last`: the request that failed.
    pub(crate) fn error<E>(
        &self,
        e: SockError,
        last: Option<ModemError<E>>,
        op: &'static str,
    ) -> SocketError<E> {
        let family = self.dialect.family();
        let rebooted = self.conn.rebooted();
        socket_error(family, e, last, op, rebooted, self.read_timeout, N)
    }
}

/// A driver socket's error for a connection error; `last`: the request that
/// failed, `rebooted`: the module restarted while the connection was open,
/// `capacity`: the connection's receive queue.
pub(crate) fn socket_error<E>(
    family: &'static str,
    e: SockError,
    last: Option<ModemError<E>>,
    op: &'static str,
    rebooted: bool,
    read_timeout: Option<Duration>,
    capacity: usize,
) -> SocketError<E> {
    match e {
        SockError::Failed => match last {
            Some(error) if error.is_rebooted() || rebooted => SocketError::Rebooted {
                family,
                op,
                during: Some(error),
            },
            Some(error) => SocketError::Command { family, op, error },
            None => SocketError::NoRequest { family, op },
        },
        SockError::TimedOut => SocketError::ReadTimeout {
            family,
            waited: read_timeout.unwrap_or_default(),
        },
        SockError::Rebooted { family } => SocketError::Rebooted {
            family,
            op,
            during: None,
        },
        SockError::Overflow { family, lost } => SocketError::Overflow {
            family,
            lost,
            capacity,
        },
        other => SocketError::Connection(other),
    }
}

/// How a request ended, for the connection.
pub(crate) fn ran_of<E>(e: &ModemError<E>) -> Ran<'static> {
    match e.failure() {
        Some(Failure::SendFail) => Ran::SendFail,
        Some(Failure::Module { code, .. })
        | Some(Failure::Cme {
            code: CmeText::Numeric(code),
        }) => Ran::Code(*code),
        Some(Failure::Error) => Ran::Error,
        _ => Ran::Failed,
    }
}

/// Routes an unsolicited frame to the connections: a restart is every
/// connection's (and still queued for the program); a connection's own
/// frames (data, data ready, closed) are taken.
pub(crate) fn route<Q: ByteQueue>(
    conns: &mut dyn Conns<Q>,
    o: &Options<'_>,
    frame: &[u8],
    hex: bool,
) -> bool {
    if frame == RESTART.as_bytes() {
        conns.restarted();
        return false;
    }
    conns.route(o, frame, hex)
}
