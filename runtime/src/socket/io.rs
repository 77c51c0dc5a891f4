//! `std::io::Read` and `Write` for [`SslSocket`], for code written against streams.
//!
//! `read` follows [`SslSocket::read`] (with [`SslConfig::read_timeout`] as the
//! timeout, giving `ErrorKind::TimedOut`); `Ok(0)` is the peer's close. `write`
//! sends the whole buffer (split and retried as the family needs); `flush` has
//! nothing to do, since every write waits for the module's answer.
//!
//! [`SslConfig::read_timeout`]: super::SslConfig::read_timeout

use std::io;

use super::connection::SslSocket;
use crate::dialog::Dialect;
use crate::link::{Clock, Transport};

impl<T: Transport, D: Dialect, C: Clock> io::Read for SslSocket<T, D, C> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        SslSocket::read(self, buf).map_err(io::Error::from)
    }
}

impl<T: Transport, D: Dialect, C: Clock> io::Write for SslSocket<T, D, C> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        SslSocket::write(self, buf).map_err(io::Error::from)
    }

    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}
