//! `std::io::Read` and `Write` on one connection of a [`Modem`], for code
//! written against streams: [`Modem::stream`] borrows the modem for as long
//! as the stream is used; the other connections keep receiving meanwhile
//! (their URCs are routed to them). Like the single socket's impls: `read`
//! with the connection's read timeout (`ErrorKind::TimedOut`), `Ok(0)` the
//! peer's close; `write` sends the whole buffer; `flush` has nothing to do.

use std::io;

use super::modem::Modem;
use crate::dialog::{ConnId, Dialect};
use crate::link::{Clock, Transport};

/// One connection of a [`Modem`] as a `std::io` stream.
pub struct Stream<'m, T: Transport, D: Dialect, C: Clock> {
    pub(crate) modem: &'m mut Modem<T, D, C>,
    pub(crate) conn: ConnId,
}

impl<T: Transport, D: Dialect, C: Clock> Stream<'_, T, D, C> {
    /// The connection the stream reads and writes.
    pub fn connection(&self) -> ConnId {
        self.conn
    }
}

impl<T: Transport, D: Dialect, C: Clock> io::Read for Stream<'_, T, D, C> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        self.modem.read(self.conn, buf).map_err(io::Error::from)
    }
}

impl<T: Transport, D: Dialect, C: Clock> io::Write for Stream<'_, T, D, C> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.modem.write(self.conn, buf).map_err(io::Error::from)
    }

    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}
