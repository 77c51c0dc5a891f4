//! Several SSL connections on one module for the `embedded-io` drivers: the
//! modem, the sans-IO dispatcher ([`Mux`]) with up to `C` connections of `N`
//! received bytes each, and each connection's borrowed options. This file
//! holds what needs no I/O; the loops are [`connections_methods!`], expanded
//! by each driver.

use core::time::Duration;

use super::error::{ModemError, SocketError};
use super::modem::Modem;
use crate::dialog::mux::{Ids, Slot};
use crate::dialog::{ConnId, Dialect, Mux, MuxError, Options, SockError, SocketState};

/// Up to `C` SSL connections at once on one module, without a heap: ids from
/// the family's range, URCs routed to the connection they name, `N` bytes of
/// receive queue each, every other URC left in the modem's queue. Use the
/// aliases `nb::Connections` and `asynch::Connections`.
pub struct Connections<'o, IO, D: Dialect, const C: usize = 4, const N: usize = 2048> {
    pub(crate) modem: Modem<IO, D::Family>,
    pub(crate) dialect: D,
    pub(crate) mux: Mux<heapless::Deque<u8, N>, C>,
    pub(crate) options: [Option<Options<'o>>; C],
    pub(crate) read_timeout: Option<Duration>,
}

impl<'o, IO, D: Dialect, const C: usize, const N: usize> Connections<'o, IO, D, C, N> {
    /// Connections over `modem`; nothing is sent yet. A module restart (`RDY`)
    /// ends the command under way at once. Reads wait at most 10 s.
    pub fn new(mut modem: Modem<IO, D::Family>, dialect: D) -> Self {
        modem.session.config_mut().abort_on_restart = true;
        Connections {
            mux: Mux::new(dialect.dialog()),
            modem,
            dialect,
            options: [None; C],
            read_timeout: Some(Duration::from_secs(10)),
        }
    }

    pub fn dialect(&self) -> &D {
        &self.dialect
    }

    pub fn modem(&self) -> &Modem<IO, D::Family> {
        &self.modem
    }

    /// The modem, for other commands (bring-up: `raw("AT+QIACT=1", ..)`) and
    /// the URCs no connection took.
    pub fn modem_mut(&mut self) -> &mut Modem<IO, D::Family> {
        &mut self.modem
    }

    /// How long `read` waits for data (`None`: until data or the peer's close).
    pub fn set_read_timeout(&mut self, timeout: Option<Duration>) {
        self.read_timeout = timeout;
    }

    /// The connection ids of the family (the manual's range).
    pub fn connection_ids(&self) -> (i64, i64) {
        self.mux.range()
    }

    /// The connections held, open or not yet closed.
    pub fn connections(&self) -> impl Iterator<Item = ConnId> + '_ {
        self.mux.connections()
    }

    pub fn state(&self, c: ConnId) -> Option<SocketState> {
        self.slot(c).map(|s| s.conn.state())
    }

    /// Bytes received for `c` and not read yet.
    pub fn buffered(&self, c: ConnId) -> Option<usize> {
        self.slot(c).map(|s| s.conn.buffered())
    }

    pub(crate) fn slot(&self, c: ConnId) -> Option<&Slot<heapless::Deque<u8, N>>> {
        self.mux.slot_of(c)
    }

    pub(crate) fn gone<E>(&self, c: ConnId) -> SocketError<E> {
        SocketError::Connections(MuxError::Gone {
            family: self.dialect.family(),
            id: c.id(),
        })
    }

    /// Adds a connection for `options` (its id: `options.connection`, or the
    /// lowest free one when `pick`), checked before anything is sent.
    pub(crate) fn add<E>(
        &mut self,
        mut options: Options<'o>,
        pick: bool,
        host: &str,
        port: u16,
    ) -> Result<ConnId, SocketError<E>> {
        let family = self.dialect.family();
        if pick {
            options.connection =
                self.mux
                    .free_id()
                    .ok_or(SocketError::Connections(MuxError::NoFreeId {
                        family,
                        range: self.mux.range(),
                        limit: C,
                    }))?;
        }
        self.dialect
            .dialog()
            .check(&options, host, port)
            .map_err(SocketError::Connection)?;
        if let Some((_, key)) = options.psk {
            self.modem.add_secret(key.as_bytes());
        }
        let c = self
            .mux
            .add(Ids::of(&options), heapless::Deque::new())
            .map_err(SocketError::Connections)?;
        if let Some(place) = self.options.get_mut(c.handle.0) {
            *place = Some(options);
        }
        Ok(c)
    }

    pub(crate) fn forget(&mut self, c: ConnId) {
        if self.slot(c).is_some() {
            self.mux.remove(c.handle);
            if let Some(place) = self.options.get_mut(c.handle.0) {
                *place = None;
            }
        }
    }

    /// The error of a connection's operation.
    pub(crate) fn error<E>(
        &self,
        e: SockError,
        last: Option<ModemError<E>>,
        op: &'static str,
        rebooted: bool,
    ) -> SocketError<E> {
        super::socket::socket_error(
            self.dialect.family(),
            e,
            last,
            op,
            rebooted,
            self.read_timeout,
            N,
        )
    }
}

/// The I/O methods of [`Connections`]: `connect`, `connect_as`, `write`,
/// `read`, `read_within`, `close`. `$E` is the port's error type.
macro_rules! connections_methods {
    ($E:ty; $($async:ident)?; $($await:ident)?) => {
        /// Configures and opens a connection on the lowest free id of the family's range.
        pub $($async)? fn connect(
            &mut self,
            options: $crate::dialog::Options<'o>,
            host: &str,
            port: u16,
        ) -> Result<$crate::driver::ConnId, $crate::driver::SocketError<$E>> {
            let c = self.add(options, true, host, port)?;
            self.open(c, host, port) $(.$await)?
        }

        /// Configures and opens a connection on the id `options.connection` names.
        pub $($async)? fn connect_as(
            &mut self,
            options: $crate::dialog::Options<'o>,
            host: &str,
            port: u16,
        ) -> Result<$crate::driver::ConnId, $crate::driver::SocketError<$E>> {
            let c = self.add(options, false, host, port)?;
            self.open(c, host, port) $(.$await)?
        }

        $($async)? fn open(
            &mut self,
            c: $crate::driver::ConnId,
            host: &str,
            port: u16,
        ) -> Result<$crate::driver::ConnId, $crate::driver::SocketError<$E>> {
            let mut r = self.op(c, $crate::dialog::Op::configure(), "configure") $(.$await)?;
            if r.is_ok() {
                r = self.op(c, $crate::dialog::Op::open(host, port), "open") $(.$await)?;
            }
            match r {
                Ok(_) => Ok(c),
                Err(e) => {
                    self.forget(c);
                    Err(e)
                }
            }
        }

        /// Sends all of `data` on `c`, split into the family's largest sends.
        pub $($async)? fn write(
            &mut self,
            c: $crate::driver::ConnId,
            data: &[u8],
        ) -> Result<usize, $crate::driver::SocketError<$E>> {
            self.op(c, $crate::dialog::Op::write(data), "write") $(.$await)?
        }

        /// Reads what has arrived for `c` into `buf`, waiting up to the read
        /// timeout. `Ok(0)`: the peer closed and every byte before was read.
        pub $($async)? fn read(
            &mut self,
            c: $crate::driver::ConnId,
            buf: &mut [u8],
        ) -> Result<usize, $crate::driver::SocketError<$E>> {
            let timeout = self.read_timeout;
            match self.read_within(c, buf, timeout) $(.$await)?? {
                Some(n) => Ok(n),
                None => Err($crate::driver::SocketError::ReadTimeout {
                    family: self.dialect.family(),
                    waited: timeout.unwrap_or_default(),
                }),
            }
        }

        /// Like `read` with its own wait: `Ok(None)` when nothing arrived.
        pub $($async)? fn read_within(
            &mut self,
            c: $crate::driver::ConnId,
            buf: &mut [u8],
            timeout: Option<core::time::Duration>,
        ) -> Result<Option<usize>, $crate::driver::SocketError<$E>> {
            if buf.is_empty() && self.state(c) != Some($crate::dialog::SocketState::Idle) {
                return Ok(Some(0));
            }
            let deadline = timeout.map(|t| self.modem.io.now().saturating_add(t));
            let op = $crate::dialog::Op::read(buf.len().max(1), deadline);
            match self.op(c, op, "read") $(.$await)? {
                Ok(_) => match self.mux.slot_of_mut(c) {
                    Some(s) => Ok(Some(s.conn.take(buf))),
                    None => Err(self.gone(c)),
                },
                Err($crate::driver::SocketError::ReadTimeout { .. }) => Ok(None),
                Err(e) => Err(e),
            }
        }

        /// Closes `c` on the module and frees its id.
        pub $($async)? fn close(
            &mut self,
            c: $crate::driver::ConnId,
        ) -> Result<(), $crate::driver::SocketError<$E>> {
            let r = self.op(c, $crate::dialog::Op::close(), "close") $(.$await)?.map(drop);
            self.forget(c);
            r
        }

        /// Runs one operation of `c`, the URCs of every connection routed.
        $($async)? fn op(
            &mut self,
            c: $crate::driver::ConnId,
            op: $crate::dialog::Op<'_>,
            what: &'static str,
        ) -> Result<usize, $crate::driver::SocketError<$E>> {
            let family = self.dialect.family();
            let o = match (self.slot(c), self.options.get(c.handle.0).copied().flatten()) {
                (Some(_), Some(o)) => o,
                _ => return Err(self.gone(c)),
            };
            let Some(mut slot) = self.mux.remove(c.handle) else {
                return Err(self.gone(c));
            };
            let driven = {
                let mut active = $crate::dialog::mux::Active {
                    slot: &mut slot,
                    others: &mut self.mux,
                };
                self.modem.drive_op(&mut active, &o, op) $(.$await)?
            };
            let rebooted = slot.conn.rebooted();
            self.mux.put_back(c.handle, slot);
            match driven {
                Ok((result, last)) => result.map_err(|e| self.error(e, last, what, rebooted)),
                Err(error) => Err($crate::driver::SocketError::Command { family, op: what, error }),
            }
        }
    };
}

pub(crate) use connections_methods;
